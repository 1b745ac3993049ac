// API token pages: a person's tokens for those with token.manage, and one's own tokens (issue, revoke).
import type { Request, Response } from 'express';
import { flash } from '../../platform/http/flash.js';
import { parseForm } from '../../platform/http/validation.js';
import type { TokenSettings } from './api-tokens.js';
import { contextOf, type Routes } from '../access/index.js';
import { createOwnToken, listOwnTokens, listUserTokens, revokeOwnOrManagedToken, revokeUserToken } from './tokens.service.js';
import { both, instantText, langOf, param, summaryView, tokenView, tr, type Values } from './user.presenters.js';
import { tokenNameSchema } from './user.schemas.js';

/** A person's tokens (token.manage, within the admin's subtree). */
export function userTokenPages(pages: Routes): void {
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
}

/** One's own tokens: the new token is shown once, never cached. */
export function ownTokenPages(pages: Routes, settings: TokenSettings): void {
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
}
