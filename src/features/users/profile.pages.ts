// One's own profile and password pages (the password page is where a one-time password must be replaced).
import type { Request, Response } from 'express';
import { ConflictError, ValidationError } from '../../kernel/errors.js';
import { flash } from '../../platform/http/flash.js';
import { parseForm } from '../../platform/http/validation.js';
import { actorOf, contextOf, type Routes } from '../access/index.js';
import { officeChoices } from './directory.service.js';
import { changeOwnPassword, getOwnProfile, updateOwnProfile } from './profile.service.js';
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
  tr,
  type Values,
} from './user.presenters.js';
import { changePasswordFormSchema, profileFormSchema } from './user.schemas.js';

export function profilePages(pages: Routes): void {
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
}
