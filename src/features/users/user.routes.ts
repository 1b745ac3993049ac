// Pages and API of the users feature. Routes are thin: parse, call the service, render or answer.
// Handlers that take a record load it (and check its scope: 404 outside the subtree) before reading the body,
// so a request about another office's record is "not found" whatever it sends.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { dhakaPartsOf, formatDateEn, formatShortDateBn, toBanglaDigits } from '../../lib/index.js';
import { ConflictError, ValidationError, type FieldErrors, type Message } from '../../platform/errors.js';
import { flash } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseForm, parseOrThrow } from '../../platform/http/validation.js';
import { translator, type Language } from '../../platform/i18n/index.js';
import { contextOf } from '../access/context.js';
import { Routes, actorOf, type RouteTable } from '../access/routes.js';
import type { AuthSettings } from '../auth/auth.service.js';
import { ROLES, type Role } from './user.model.js';
import {
  actingChargeSchema,
  changePasswordFormSchema,
  changePasswordSchema,
  createUserSchema,
  editUserFormSchema,
  listQuerySchema,
  patchUserSchema,
  profileFormSchema,
  profileSchema,
  tokenNameSchema,
} from './user.schemas.js';
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
import { changeOwnPassword, getOwnProfile, updateOwnProfile } from './profile.service.js';
import {
  createOwnToken,
  listOwnTokens,
  listUserTokens,
  revokeOwnOrManagedToken,
  revokeUserToken,
  type TokenInfo,
} from './tokens.service.js';
import type { ActingChargeView, UserDetail, UserSummary } from './user.records.js';

/** The configuration default (TOKEN_DAYS), used when the app does not pass its auth settings. */
const DEFAULT_SETTINGS: AuthSettings = { lockoutAttempts: 5, lockoutMinutes: 15, tokenDays: 90 };

type Values = Record<string, unknown>;

// --- Small view helpers ----------------------------------------------------------------------------------

function langOf(res: Response): Language {
  return res.locals.lang === 'en' ? 'en' : 'bn';
}

function tr(res: Response, key: string): string {
  return (res.locals.t as (k: string) => string)(key);
}

/** The same text in both languages, for flash messages (shown in the language of the next page). */
function both(key: string): Message {
  return { bn: translator('bn')(key), en: translator('en')(key) };
}

function localise(fields: FieldErrors, lang: Language): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]));
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

function dateText(iso: string, lang: Language): string {
  return lang === 'en' ? formatDateEn(iso) : formatShortDateBn(iso);
}

function instantText(d: Date | null, lang: Language): string | null {
  if (!d) return null;
  const p = dhakaPartsOf(d);
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = `${dateText(p.date, lang)} ${pad(p.hour)}:${pad(p.minute)}`;
  return lang === 'en' ? text : toBanglaDigits(text);
}

function pick(lang: Language, bn: string, en: string | null | undefined): string {
  return lang === 'en' ? en || bn : bn;
}

function roleLabels(res: Response, roles: readonly Role[]): string {
  return roles.map((r) => tr(res, `roles.${r}`)).join(', ');
}

function roleOptions(res: Response, selected: unknown): { value: Role; label: string; checked: boolean }[] {
  const chosen = new Set(Array.isArray(selected) ? selected.map(String) : selected ? [String(selected)] : []);
  return ROLES.map((r) => ({ value: r, label: tr(res, `roles.${r}`), checked: chosen.has(r) }));
}

type OfficeChoice = Awaited<ReturnType<typeof officeChoices>>[number];

/** Offices indented by depth (non-breaking spaces survive in <option>); inactive ones only when already chosen. */
function officeOptions(choices: OfficeChoice[], selected: unknown, lang: Language): { value: string; label: string; selected: boolean }[] {
  return choices
    .filter((o) => o.active || o.id === selected)
    .map((o) => ({
      value: o.id,
      label: `${'\u00a0\u00a0\u00a0'.repeat(o.depth)}${pick(lang, o.nameBn, o.nameEn)}`,
      selected: o.id === selected,
    }));
}

function languageOptions(res: Response, selected: unknown) {
  return (['bn', 'en'] as const).map((l) => ({ value: l, label: tr(res, `users.languages.${l}`), selected: l === (selected ?? 'bn') }));
}

/** A form's values as typed (strings, roles as a list), to show them again on an error. */
function formValues(body: unknown): Values {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Values = {};
  for (const [k, v] of Object.entries(b)) if (k !== '_csrf' && !/password/i.test(k)) out[k] = v;
  return out;
}

/**
 * After a conflict the form shows the current values of the fields someone else changed and keeps the rest as
 * typed, at the current version: saving again keeps both people's edits unless both touched the same field.
 */
function mergeConflict(values: Values, err: ConflictError): Values {
  const changed = Array.isArray(err.details?.changed) ? (err.details.changed as string[]) : [];
  const current = (err.details?.current ?? {}) as Record<string, unknown>;
  const merged: Values = { ...values, version: err.details?.version };
  for (const f of changed) if (f in current && f !== 'active') merged[f] = current[f] ?? '';
  return merged;
}

function summaryView(u: UserSummary, lang: Language, res: Response, base: string) {
  return {
    id: u.id,
    href: `${base}/${u.id}`,
    username: u.username,
    name: pick(lang, u.nameBn, u.nameEn),
    designation: pick(lang, u.designationBn, u.designationEn),
    officeName: pick(lang, u.office.nameBn, u.office.nameEn),
    roles: roleLabels(res, u.roles),
    active: u.active,
    mustChangePassword: u.mustChangePassword,
  };
}

function chargeView(c: ActingChargeView, lang: Language, res: Response) {
  return {
    id: c.id,
    designation: pick(lang, c.designationBn, c.designationEn),
    officeName: pick(lang, c.office.nameBn, c.office.nameEn),
    roles: roleLabels(res, c.roles),
    from: dateText(c.from, lang),
    to: dateText(c.to, lang),
    note: c.note,
    status: c.status,
    statusLabel: tr(res, `users.chargeStatus.${c.status}`),
  };
}

function detailView(u: UserDetail, lang: Language, res: Response, base: string) {
  return {
    ...summaryView(u, lang, res, base),
    nameBn: u.nameBn,
    nameEn: u.nameEn,
    designationBn: u.designationBn,
    designationEn: u.designationEn,
    email: u.email,
    phone: u.phone,
    languageLabel: tr(res, `users.languages.${u.language}`),
    lastLogin: instantText(u.lastLoginAt, lang),
    passwordChanged: instantText(u.passwordChangedAt, lang),
    version: u.version,
    charges: u.actingCharges.map((c) => chargeView(c, lang, res)),
  };
}

function tokenView(t: TokenInfo, lang: Language, res: Response) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    created: instantText(t.createdAt, lang),
    expires: instantText(t.expiresAt, lang),
    lastUsed: instantText(t.lastUsedAt ?? null, lang),
    status: t.status,
    statusLabel: tr(res, `users.tokenStatus.${t.status}`),
    active: t.status === 'active',
  };
}

function pager(req: Request, page: number, pagesCount: number) {
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) if (k !== 'page' && typeof v === 'string' && v) params.set(k, v);
    params.set('page', String(p));
    return `?${params}`;
  };
  return { prev: page > 1 ? link(page - 1) : undefined, next: page < pagesCount ? link(page + 1) : undefined };
}

// --- API shapes ------------------------------------------------------------------------------------------

const officeOut = z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() });
const summaryOut = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  designation: z.string(),
  designationEn: z.string().nullable(),
  office: officeOut,
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
});
const chargeOut = z.object({
  id: z.string(),
  office: officeOut,
  roles: z.array(z.enum(ROLES)),
  designation: z.string(),
  designationEn: z.string().nullable(),
  from: z.string().describe('YYYY-MM-DD (Dhaka)'),
  to: z.string().describe('YYYY-MM-DD (Dhaka), inclusive'),
  note: z.string().nullable(),
  status: z.enum(['current', 'upcoming', 'ended']),
});
const detailOut = summaryOut.extend({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.enum(['bn', 'en']),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  passwordChangedAt: z.string().nullable(),
  version: z.number().int().describe('Send it back with PATCH'),
  actingCharges: z.array(chargeOut),
});

function apiSummary(u: UserSummary): z.infer<typeof summaryOut> {
  return {
    id: u.id,
    username: u.username,
    name: u.nameBn,
    nameEn: u.nameEn,
    designation: u.designationBn,
    designationEn: u.designationEn,
    office: { id: u.office.id, name: u.office.nameBn, nameEn: u.office.nameEn },
    roles: u.roles,
    active: u.active,
  };
}

function apiCharge(c: ActingChargeView): z.infer<typeof chargeOut> {
  return {
    id: c.id,
    office: { id: c.office.id, name: c.office.nameBn, nameEn: c.office.nameEn },
    roles: c.roles,
    designation: c.designationBn,
    designationEn: c.designationEn,
    from: c.from,
    to: c.to,
    note: c.note,
    status: c.status,
  };
}

function apiDetail(u: UserDetail): z.infer<typeof detailOut> {
  return {
    ...apiSummary(u),
    email: u.email,
    phone: u.phone,
    language: u.language,
    mustChangePassword: u.mustChangePassword,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    passwordChangedAt: u.passwordChangedAt?.toISOString() ?? null,
    version: u.version,
    actingCharges: u.actingCharges.map(apiCharge),
  };
}

const apiListQuery = listQuerySchema.extend({ pageSize: z.coerce.number().int().min(1).max(100).default(50) });

// --- Routes ----------------------------------------------------------------------------------------------

export function userRoutes(deps: { table: RouteTable; api: OpenApiRegistry; settings?: AuthSettings }): {
  pages: Routes;
  apiRoutes: Routes;
} {
  const pages = new Routes(deps.table, 'page');
  const apiRoutes = new Routes(deps.table, 'api', '/api/v1');
  const settings = deps.settings ?? DEFAULT_SETTINGS;

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

  function conflictView(err: ConflictError, res: Response, lang: Language, offices: OfficeChoice[]) {
    const changed = Array.isArray(err.details?.changed) ? (err.details.changed as string[]) : [];
    const current = (err.details?.current ?? {}) as Record<string, unknown>;
    const show = (field: string): string => {
      const v = current[field];
      if (v === undefined || v === null || v === '') return '—';
      if (field === 'office') {
        const o = offices.find((x) => x.id === v);
        return o ? pick(lang, o.nameBn, o.nameEn) : String(v);
      }
      if (field === 'roles' && Array.isArray(v)) return roleLabels(res, v as Role[]);
      if (field === 'active') return tr(res, v ? 'users.active' : 'users.inactive');
      if (field === 'language') return tr(res, `users.languages.${String(v)}`);
      return typeof v === 'string' ? v : JSON.stringify(v);
    };
    return {
      message: err.messages[lang],
      fields: changed.map((f) => ({
        label: tr(res, `users.${f}`) === `users.${f}` ? f : tr(res, `users.${f}`),
        current: f in current ? show(f) : undefined,
      })),
    };
  }

  function detailValues(u: UserDetail): Values {
    return {
      nameBn: u.nameBn,
      nameEn: u.nameEn ?? '',
      designationBn: u.designationBn,
      designationEn: u.designationEn ?? '',
      office: u.office.id,
      email: u.email ?? '',
      phone: u.phone ?? '',
      language: u.language,
      roles: u.roles,
      version: u.version,
    };
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

  pages.get('/admin/users/:userId/tokens', 'token.manage', async (req, res) => {
    const lang = langOf(res);
    const { user, tokens } = await listUserTokens(contextOf(req), param(req, 'userId'));
    res.render('users/tokens', {
      title: `${tr(res, 'users.tokensTitle')} — ${user.username}`,
      user: summaryView(user, lang, res, '/admin/users'),
      tokens: tokens.map((t) => tokenView(t, lang, res)),
    });
  });

  pages.post('/admin/users/:userId/tokens/:tokenId/revoke', 'token.manage', async (req, res) => {
    const userId = param(req, 'userId');
    await revokeUserToken(contextOf(req), userId, param(req, 'tokenId'));
    flash(req, 'success', both('users.flash.tokenRevoked'));
    res.redirect(`/admin/users/${userId}/tokens`);
  });

  // --- One's own profile, password and tokens ---

  async function renderProfile(
    req: Request,
    res: Response,
    o: { status?: number; values?: Values; errors?: Record<string, string>; conflict?: ConflictError } = {},
  ): Promise<void> {
    const lang = langOf(res);
    const ctx = contextOf(req);
    const me = await getOwnProfile(ctx);
    const values = o.values ?? { ...detailValues(me) };
    res.status(o.status ?? 200).render('profile/index', {
      title: tr(res, 'users.profile'),
      user: detailView(me, lang, res, '/users'),
      values,
      errors: o.errors ?? {},
      hasErrors: Object.keys(o.errors ?? {}).length > 0,
      conflict: o.conflict ? conflictView(o.conflict, res, lang, await officeChoices(ctx, 'user.read')) : undefined,
      languageOptions: languageOptions(res, values.language),
    });
  }

  pages.get('/profile', 'self.manage', (req, res) => renderProfile(req, res));

  pages.post('/profile', 'self.manage', async (req, res) => {
    const lang = langOf(res);
    const values = formValues(req.body);
    const parsed = parseForm(profileFormSchema, req.body, lang);
    if (!parsed.ok) return renderProfile(req, res, { status: 400, values, errors: parsed.errors });
    try {
      await updateOwnProfile(contextOf(req), parsed.data);
    } catch (err) {
      if (err instanceof ValidationError) return renderProfile(req, res, { status: 400, values, errors: localise(err.fields, lang) });
      if (err instanceof ConflictError) return renderProfile(req, res, { status: 409, values: mergeConflict(values, err), conflict: err });
      throw err;
    }
    flash(req, 'success', both('users.flash.profileSaved'));
    res.redirect('/profile');
  });

  function renderPassword(req: Request, res: Response, o: { status?: number; errors?: Record<string, string> } = {}): void {
    res.set('Cache-Control', 'no-store');
    res.status(o.status ?? 200).render('profile/password', {
      title: tr(res, 'users.passwordTitle'),
      forced: actorOf(req).mustChangePassword,
      username: actorOf(req).username,
      errors: o.errors ?? {},
      hasErrors: Object.keys(o.errors ?? {}).length > 0,
    });
  }

  pages.get('/profile/password', 'self.manage', (req, res) => renderPassword(req, res));

  pages.post('/profile/password', 'self.manage', async (req, res) => {
    const lang = langOf(res);
    const parsed = parseForm(changePasswordFormSchema, req.body, lang);
    if (!parsed.ok) return renderPassword(req, res, { status: 400, errors: parsed.errors });
    try {
      await changeOwnPassword(contextOf(req), parsed.data);
    } catch (err) {
      if (err instanceof ValidationError) return renderPassword(req, res, { status: 400, errors: localise(err.fields, lang) });
      throw err;
    }
    flash(req, 'success', both('users.flash.passwordChanged'));
    res.redirect(actorOf(req).mustChangePassword ? '/' : '/profile');
  });

  async function renderOwnTokens(
    req: Request,
    res: Response,
    o: { status?: number; created?: { token: string; expiresAt: Date }; errors?: Record<string, string>; name?: unknown } = {},
  ): Promise<void> {
    const lang = langOf(res);
    const tokens = await listOwnTokens(contextOf(req));
    if (o.created) res.set('Cache-Control', 'no-store');
    res.status(o.status ?? 200).render('profile/tokens', {
      title: tr(res, 'users.myTokens'),
      tokens: tokens.map((t) => tokenView(t, lang, res)),
      created: o.created ? { token: o.created.token, expires: instantText(o.created.expiresAt, lang) } : undefined,
      errors: o.errors ?? {},
      name: o.name ?? '',
    });
  }

  pages.get('/profile/tokens', 'self.manage', (req, res) => renderOwnTokens(req, res));

  pages.post('/profile/tokens', 'self.manage', async (req, res) => {
    const parsed = parseForm(tokenNameSchema, req.body, langOf(res));
    if (!parsed.ok) return renderOwnTokens(req, res, { status: 400, errors: parsed.errors, name: (req.body as Values | undefined)?.name });
    const created = await createOwnToken(contextOf(req), settings, parsed.data.name);
    await renderOwnTokens(req, res, { created });
  });

  pages.post('/profile/tokens/:tokenId/revoke', 'self.manage', async (req, res) => {
    await revokeOwnOrManagedToken(contextOf(req), param(req, 'tokenId'));
    flash(req, 'success', both('users.flash.tokenRevoked'));
    res.redirect('/profile/tokens');
  });

  // --- API ---

  apiRoutes.get('/users', 'user.read', async (req, res) => {
    const q = parseOrThrow(apiListQuery, req.query);
    const list = await listUsers(contextOf(req), q);
    res.json({ items: list.items.map(apiSummary), total: list.total, page: list.page, pageSize: list.pageSize });
  });

  apiRoutes.post('/users', 'user.manage', async (req, res) => {
    const input = parseOrThrow(createUserSchema, req.body ?? {});
    const { user, oneTimePassword } = await createUser(contextOf(req), input);
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ ...apiDetail(user), oneTimePassword });
  });

  apiRoutes.get('/users/:userId', 'user.read', async (req, res) => {
    res.json(apiDetail(await getUser(contextOf(req), param(req, 'userId'), 'user.read')));
  });

  apiRoutes.patch('/users/:userId', 'user.manage', async (req, res) => {
    const ctx = contextOf(req);
    const user = await getUser(ctx, param(req, 'userId'), 'user.manage');
    const input = parseOrThrow(patchUserSchema, req.body ?? {});
    res.json(apiDetail(await updateUser(ctx, user.id, input)));
  });

  apiRoutes.post('/users/:userId/reset-password', 'user.manage', async (req, res) => {
    const { oneTimePassword } = await resetPassword(contextOf(req), param(req, 'userId'));
    res.set('Cache-Control', 'no-store');
    res.json({ oneTimePassword });
  });

  apiRoutes.post('/users/:userId/acting-charges', 'user.manage', async (req, res) => {
    const ctx = contextOf(req);
    const user = await getUser(ctx, param(req, 'userId'), 'user.manage');
    const input = parseOrThrow(actingChargeSchema, req.body ?? {});
    res.status(201).json(apiCharge(await addActingCharge(ctx, user.id, input)));
  });

  apiRoutes.delete('/users/:userId/acting-charges/:chargeId', 'user.manage', async (req, res) => {
    await removeActingCharge(contextOf(req), param(req, 'userId'), param(req, 'chargeId'));
    res.status(204).end();
  });

  apiRoutes.patch('/me', 'self.manage', async (req, res) => {
    const input = parseOrThrow(profileSchema, req.body ?? {});
    res.json(apiDetail(await updateOwnProfile(contextOf(req), input)));
  });

  apiRoutes.post('/me/password', 'self.manage', async (req, res) => {
    await changeOwnPassword(contextOf(req), parseOrThrow(changePasswordSchema, req.body ?? {}));
    res.status(204).end();
  });

  registerOpenApi(deps.api);
  return { pages, apiRoutes };
}

function registerOpenApi(api: OpenApiRegistry): void {
  const tags = ['users'];
  const listOut = z.object({ items: z.array(summaryOut), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
  const conflict = {
    description: 'Changed by someone else since `version`: error.details.changed names the fields, details.version is current',
  };
  api.add({
    method: 'get',
    path: '/api/v1/users',
    summary: 'People the caller may see (their office subtree), to fill references; q matches names, username and designation',
    tags,
    auth: true,
    query: apiListQuery,
    responses: { 200: { description: 'A page of people', schema: listOut } },
  });
  api.add({
    method: 'post',
    path: '/api/v1/users',
    summary: 'Create a user (admin; office within the admin’s subtree); the one-time password is returned once',
    tags,
    auth: true,
    body: createUserSchema,
    responses: {
      201: { description: 'Created', schema: detailOut.extend({ oneTimePassword: z.string() }) },
      400: { description: 'Invalid fields (e.g. username taken)' },
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/users/{userId}',
    summary: 'One person, with version and acting charges',
    tags,
    auth: true,
    responses: { 200: { description: 'The person', schema: detailOut }, 404: { description: 'Unknown or outside the caller’s offices' } },
  });
  api.add({
    method: 'patch',
    path: '/api/v1/users/{userId}',
    summary: 'Edit a user (admin): send the version you read and the fields to change (active: false deactivates)',
    tags,
    auth: true,
    body: patchUserSchema,
    responses: { 200: { description: 'Saved', schema: detailOut }, 409: conflict },
  });
  api.add({
    method: 'post',
    path: '/api/v1/users/{userId}/reset-password',
    summary: 'Replace the password with a new one-time password (admin), returned once',
    tags,
    auth: true,
    responses: { 200: { description: 'The one-time password', schema: z.object({ oneTimePassword: z.string() }) } },
  });
  api.add({
    method: 'post',
    path: '/api/v1/users/{userId}/acting-charges',
    summary: 'Give a user an acting charge (চলতি/অতিরিক্ত দায়িত্ব): office, roles, designation, Dhaka dates from–to',
    tags,
    auth: true,
    body: actingChargeSchema,
    responses: { 201: { description: 'The charge', schema: chargeOut } },
  });
  api.add({
    method: 'delete',
    path: '/api/v1/users/{userId}/acting-charges/{chargeId}',
    summary: 'Remove an acting charge',
    tags,
    auth: true,
    responses: { 204: { description: 'Removed' } },
  });
  api.add({
    method: 'patch',
    path: '/api/v1/me',
    summary: 'Edit one’s own names, e-mail, phone and language (not roles, office or username)',
    tags,
    auth: true,
    body: profileSchema,
    responses: { 200: { description: 'Saved', schema: detailOut }, 409: conflict },
  });
  api.add({
    method: 'post',
    path: '/api/v1/me/password',
    summary: 'Change one’s own password (current password required; new one at least 10 characters)',
    tags,
    auth: true,
    body: changePasswordSchema,
    responses: { 204: { description: 'Changed' }, 400: { description: 'Wrong current password or unacceptable new one' } },
  });
}
