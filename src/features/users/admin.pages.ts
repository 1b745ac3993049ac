// People management pages: the admin list and the directory everyone may read (they share the list and the
// person's page), creating and editing people, deactivating and reactivating them, resetting their passwords
// and their acting charges. Handlers that take a record load it (and check its scope: 404 outside the subtree)
// before reading the body, so a request about another office's record is "not found" whatever it sends.
import type { Request, Response } from 'express';
import { ConflictError, ValidationError } from '../../kernel/errors.js';
import { flash } from '../../platform/http/flash.js';
import { parseForm } from '../../platform/http/validation.js';
import { actorOf, contextOf, type Routes } from '../access/index.js';
import {
  OwnAccountError,
  addActingCharge,
  createUser,
  deactivateUser,
  reactivateUser,
  removeActingCharge,
  resetPassword,
  updateUser,
} from './admin.service.js';
import { getUser, listUsers, officeChoices } from './directory.service.js';
import { ROLES } from './user.model.js';
import {
  both,
  conflictView,
  detailValues,
  detailView,
  formValues,
  langOf,
  languageOptions,
  localise,
  mergeConflict,
  officeOptions,
  pager,
  param,
  pick,
  roleOptions,
  summaryView,
  tr,
  type Values,
} from './user.presenters.js';
import { actingChargeSchema, createUserSchema, editUserFormSchema, listQuerySchema } from './user.schemas.js';
import type { UserDetail } from './user.records.js';

export function adminPages(pages: Routes): void {
  // Lists: the admin page (user.manage scope, links to management) and the directory everyone may read.
  async function renderList(req: Request, res: Response, manage: boolean): Promise<void> {
    const lang = langOf(res);
    const ctx = contextOf(req);
    const parsed = listQuerySchema.safeParse(req.query);
    const q = parsed.success ? parsed.data : listQuerySchema.parse({});
    const action = manage ? 'user.manage' : 'user.read';
    const [list, offices] = await Promise.all([listUsers(ctx, { ...q, action }), officeChoices(ctx, action)]);
    const base = manage ? '/admin/users' : '/users';
    const pagesCount = Math.max(1, Math.ceil(list.total / list.pageSize));
    res.render('users/list', {
      title: tr(res, manage ? 'users.title' : 'users.directory'),
      heading: tr(res, manage ? 'users.title' : 'users.directory'),
      lead: tr(res, manage ? 'users.lead' : 'users.directoryLead'),
      manage,
      base,
      q: { ...q, q: q.q ?? '' },
      officeOptions: officeOptions(offices, q.office, lang),
      roleFilter: ROLES.map((r) => ({ value: r, label: tr(res, `roles.${r}`), selected: r === q.role })),
      activeFilter: [
        { value: 'all', label: tr(res, 'users.activeAll'), selected: !q.active || q.active === 'all' },
        { value: 'true', label: tr(res, 'users.activeOnly'), selected: q.active === 'true' },
        { value: 'false', label: tr(res, 'users.inactiveOnly'), selected: q.active === 'false' },
      ],
      users: list.items.map((u) => summaryView(u, lang, res, base)),
      total: list.total,
      page: q.page,
      pagesCount,
      ...pager(req, q.page, pagesCount),
    });
  }

  pages.get('/admin/users', 'user.manage', (req, res) => renderList(req, res, true));
  pages.get('/users', 'user.read', (req, res) => renderList(req, res, false));

  // Create and edit share one form.
  async function renderForm(
    req: Request,
    res: Response,
    o: { status?: number; values: Values; errors?: Record<string, string>; user?: UserDetail; conflict?: ConflictError },
  ): Promise<void> {
    const lang = langOf(res);
    const offices = await officeChoices(contextOf(req), 'user.manage');
    const isNew = !o.user;
    res.status(o.status ?? 200).render('users/form', {
      title: tr(res, isNew ? 'users.new' : 'users.editTitle'),
      isNew,
      action: isNew ? '/admin/users/new' : `/admin/users/${o.user!.id}/edit`,
      cancel: isNew ? '/admin/users' : `/admin/users/${o.user!.id}`,
      user: o.user ? summaryView(o.user, lang, res, '/admin/users') : undefined,
      values: o.values,
      errors: o.errors ?? {},
      hasErrors: Object.keys(o.errors ?? {}).length > 0,
      conflict: o.conflict ? conflictView(o.conflict, res, lang, offices) : undefined,
      officeOptions: officeOptions(offices, o.values.office, lang),
      roleOptions: roleOptions(res, o.values.roles),
      languageOptions: languageOptions(res, o.values.language),
    });
  }

  function renderOneTimePassword(res: Response, user: UserDetail, password: string, kind: 'created' | 'reset'): void {
    res.set('Cache-Control', 'no-store');
    res.render('users/one-time-password', {
      title: tr(res, kind === 'created' ? 'users.otpCreatedTitle' : 'users.otpResetTitle'),
      heading: tr(res, kind === 'created' ? 'users.otpCreatedTitle' : 'users.otpResetTitle'),
      message: tr(res, kind === 'created' ? 'users.otpCreated' : 'users.otpReset'),
      user: summaryView(user, langOf(res), res, '/admin/users'),
      password,
    });
  }

  pages.get('/admin/users/new', 'user.manage', async (req, res) => {
    const actor = actorOf(req);
    const offices = await officeChoices(contextOf(req), 'user.manage');
    const own = actor.posts[0]?.office;
    await renderForm(req, res, { values: { language: 'bn', office: offices.some((o) => o.id === own) ? own : '' } });
  });

  pages.post('/admin/users/new', 'user.manage', async (req, res) => {
    const lang = langOf(res);
    const values = formValues(req.body);
    const parsed = parseForm(createUserSchema, req.body, lang);
    if (!parsed.ok) return renderForm(req, res, { status: 400, values, errors: parsed.errors });
    try {
      const { user, oneTimePassword } = await createUser(contextOf(req), parsed.data);
      renderOneTimePassword(res, user, oneTimePassword, 'created');
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, { status: 400, values, errors: localise(err.fields, lang) });
      throw err;
    }
  });

  async function renderShow(
    req: Request,
    res: Response,
    o: { user: UserDetail; manage: boolean; status?: number; actingValues?: Values; actingErrors?: Record<string, string> },
  ): Promise<void> {
    const lang = langOf(res);
    const actor = actorOf(req);
    const base = o.manage ? '/admin/users' : '/users';
    const offices = o.manage ? await officeChoices(contextOf(req), 'user.manage') : [];
    const actingValues = o.actingValues ?? {};
    res.status(o.status ?? 200).render('users/show', {
      title: pick(lang, o.user.nameBn, o.user.nameEn),
      manage: o.manage,
      base,
      self: o.user.id === actor.userId,
      user: detailView(o.user, lang, res, base),
      actingValues,
      actingErrors: o.actingErrors ?? {},
      actingHasErrors: Object.keys(o.actingErrors ?? {}).length > 0,
      actingOffices: officeOptions(offices, actingValues.office, lang),
      actingRoles: roleOptions(res, actingValues.roles),
    });
  }

  pages.get('/admin/users/:userId', 'user.manage', async (req, res) => {
    await renderShow(req, res, { user: await getUser(contextOf(req), param(req, 'userId'), 'user.manage'), manage: true });
  });

  pages.get('/users/:userId', 'user.read', async (req, res) => {
    await renderShow(req, res, { user: await getUser(contextOf(req), param(req, 'userId'), 'user.read'), manage: false });
  });

  pages.get('/admin/users/:userId/edit', 'user.manage', async (req, res) => {
    const user = await getUser(contextOf(req), param(req, 'userId'), 'user.manage');
    await renderForm(req, res, { user, values: detailValues(user) });
  });

  pages.post('/admin/users/:userId/edit', 'user.manage', async (req, res) => {
    const lang = langOf(res);
    const ctx = contextOf(req);
    const user = await getUser(ctx, param(req, 'userId'), 'user.manage');
    const values = formValues(req.body);
    const parsed = parseForm(editUserFormSchema, req.body, lang);
    if (!parsed.ok) return renderForm(req, res, { status: 400, user, values, errors: parsed.errors });
    try {
      await updateUser(ctx, user.id, parsed.data);
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, { status: 400, user, values, errors: localise(err.fields, lang) });
      if (err instanceof OwnAccountError) return renderForm(req, res, { status: 403, user, values, errors: { _: err.messages[lang] } });
      if (err instanceof ConflictError) {
        // Keep what they typed, but at the current version: saving again is a deliberate overwrite.
        return renderForm(req, res, { status: 409, user, values: mergeConflict(values, err), conflict: err });
      }
      throw err;
    }
    flash(req, 'success', both('users.flash.updated'));
    res.redirect(`/admin/users/${user.id}`);
  });

  pages.post('/admin/users/:userId/deactivate', 'user.manage', async (req, res) => {
    const ctx = contextOf(req);
    const user = await getUser(ctx, param(req, 'userId'), 'user.manage');
    try {
      await deactivateUser(ctx, user.id);
      flash(req, 'success', both('users.flash.deactivated'));
    } catch (err) {
      if (!(err instanceof OwnAccountError)) throw err;
      flash(req, 'error', err.messages);
    }
    res.redirect(`/admin/users/${user.id}`);
  });

  pages.post('/admin/users/:userId/reactivate', 'user.manage', async (req, res) => {
    const ctx = contextOf(req);
    const user = await reactivateUser(ctx, param(req, 'userId'));
    flash(req, 'success', both('users.flash.reactivated'));
    res.redirect(`/admin/users/${user.id}`);
  });

  pages.post('/admin/users/:userId/reset-password', 'user.manage', async (req, res) => {
    const { user, oneTimePassword } = await resetPassword(contextOf(req), param(req, 'userId'));
    renderOneTimePassword(res, user, oneTimePassword, 'reset');
  });

  pages.post('/admin/users/:userId/acting', 'user.manage', async (req, res) => {
    const lang = langOf(res);
    const ctx = contextOf(req);
    const user = await getUser(ctx, param(req, 'userId'), 'user.manage');
    const actingValues = formValues(req.body);
    const parsed = parseForm(actingChargeSchema, req.body, lang);
    if (!parsed.ok) return renderShow(req, res, { user, manage: true, status: 400, actingValues, actingErrors: parsed.errors });
    try {
      await addActingCharge(ctx, user.id, parsed.data);
    } catch (err) {
      if (err instanceof ValidationError)
        return renderShow(req, res, { user, manage: true, status: 400, actingValues, actingErrors: localise(err.fields, lang) });
      throw err;
    }
    flash(req, 'success', both('users.flash.actingAdded'));
    res.redirect(`/admin/users/${user.id}#acting`);
  });

  pages.post('/admin/users/:userId/acting/:chargeId/remove', 'user.manage', async (req, res) => {
    const userId = param(req, 'userId');
    await removeActingCharge(contextOf(req), userId, param(req, 'chargeId'));
    flash(req, 'success', both('users.flash.actingRemoved'));
    res.redirect(`/admin/users/${userId}#acting`);
  });
}
