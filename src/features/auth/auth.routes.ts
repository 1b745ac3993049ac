// Sign-in and sign-out pages, API tokens and "who am I".
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { AppError, NotFoundError } from '../../kernel/errors.js';
import { flash } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { perAddressLimit } from '../../platform/http/rate-limit.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import type { SessionAuth } from '../../platform/auth/passport.js';
import { contextOf, assertCan, Routes, actorOf, type RouteTable } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import { User, findToken, issueToken, listTokens, revokeToken } from '../users/index.js';
import { authenticateWithStamp, type AuthSettings } from './auth.service.js';

const credentials = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

/** Only same-site relative paths are followed after sign-in. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) && !value.startsWith('/login') ? value : '/';
}

export function authRoutes(deps: {
  table: RouteTable;
  api: OpenApiRegistry;
  auth: SessionAuth;
  settings: AuthSettings & { loginRateLimit: number };
}): { pages: Routes; apiRoutes: Routes } {
  const limit = perAddressLimit({ limit: deps.settings.loginRateLimit, windowMinutes: 15 });
  const pages = new Routes(deps.table, 'page');

  pages.get('/login', 'public', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('auth/login', { title: res.locals.t('auth.title'), next: safeNext(req.query.next) });
  });

  pages.post('/login', 'public', limit, async (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    try {
      if (!username.trim() || !password) {
        return res.status(400).render('auth/login', {
          title: res.locals.t('auth.title'),
          username,
          next: safeNext(body.next),
          error: lang === 'en' ? 'Enter your username and password.' : 'ব্যবহারকারীর নাম ও পাসওয়ার্ড দিন।',
        });
      }
      await deps.auth.signIn(req, username, password);
      const signedIn = req.user!;
      if (signedIn.language !== lang) res.cookie('lang', signedIn.language, { httpOnly: true, sameSite: 'lax' });
      return res.redirect(signedIn.mustChangePassword ? '/profile/password' : safeNext(body.next));
    } catch (err) {
      if (err instanceof AppError && (err.status === 401 || err.status === 429)) {
        if (err.status === 429 && typeof err.details?.retryAfterSeconds === 'number') res.set('Retry-After', String(err.details.retryAfterSeconds));
        return res.status(err.status).render('auth/login', {
          title: res.locals.t('auth.title'),
          username,
          next: safeNext(body.next),
          error: err.messages[lang],
        });
      }
      next(err);
    }
  });

  pages.post('/logout', 'signed-in', async (req, res) => {
    await deps.auth.signOut(req);
    flash(req, 'info', { bn: 'আপনি সাইন আউট করেছেন।', en: 'You have signed out.' });
    res.redirect('/login');
  });

  const apiRoutes = new Routes(deps.table, 'api', '/api/v1');

  apiRoutes.post('/auth/token', 'public', limit, async (req, res) => {
    const { username, password } = parseOrThrow(credentials, req.body);
    const ctx = contextOf(req);
    const { actor, passwordStamp } = await authenticateWithStamp(username, password, ctx, deps.settings);
    const name = typeof (req.body as { name?: unknown }).name === 'string' ? String((req.body as { name: string }).name).slice(0, 60) : 'API';
    const issued = await issueToken({ ...ctx, actor }, deps.settings, name, passwordStamp);
    res.status(201).json({ token: issued.token, expiresAt: issued.expiresAt.toISOString(), id: issued.id });
  });

  apiRoutes.get('/me', 'signed-in', async (req, res) => {
    const actor = actorOf(req);
    const tree = await officeTree();
    const post = actor.posts[0]!;
    const office = tree.get(post.office);
    res.json({
      id: actor.userId,
      username: actor.username,
      name: actor.nameBn,
      nameEn: actor.nameEn ?? null,
      designation: post.designationBn,
      designationEn: post.designationEn ?? null,
      roles: [...new Set(actor.posts.flatMap((p) => p.roles))],
      office: { id: post.office, name: office?.nameBn ?? null, nameEn: office?.nameEn ?? null },
      language: actor.language,
      posts: actor.posts.map((p) => ({
        office: { id: p.office, name: tree.get(p.office)?.nameBn ?? null },
        roles: p.roles,
        designation: p.designationBn,
        acting: p.acting,
      })),
    });
  });

  apiRoutes.get('/tokens', 'self.manage', async (req, res) => {
    const actor = actorOf(req);
    const userParam = typeof req.query.user === 'string' ? req.query.user : undefined;
    let userId = actor.userId;
    if (userParam && userParam !== actor.userId) {
      const owner = /^[0-9a-f]{24}$/i.test(userParam) ? await User.findById(userParam).lean() : null;
      if (!owner) throw new NotFoundError();
      assertCan(actor, 'token.manage', await officeTree(), { office: String(owner.office) });
      userId = userParam;
    }
    const tokens = await listTokens([userId]);
    res.json({ items: tokens.map((t) => ({ ...t, active: !t.revokedAt && t.expiresAt > new Date() })) });
  });

  apiRoutes.delete('/tokens/:tokenId', 'self.manage', async (req, res) => {
    const actor = actorOf(req);
    const token = await findToken(String(req.params.tokenId));
    if (!token) throw new NotFoundError();
    const owner = await User.findById(token.user).lean();
    if (token.user !== actor.userId) {
      assertCan(actor, 'token.manage', await officeTree(), { office: owner ? String(owner.office) : null });
    }
    await revokeToken(contextOf(req), token.id, { id: token.user, office: owner ? String(owner.office) : undefined });
    res.status(204).end();
  });

  const tokenOut = z.object({ token: z.string(), expiresAt: z.string(), id: z.string() });
  deps.api.add({ method: 'post', path: '/api/v1/auth/token', summary: 'Exchange a username and password for a bearer token', tags: ['auth'], body: credentials, responses: { 201: { description: 'Token (shown once)', schema: tokenOut }, 401: { description: 'Wrong username or password' }, 429: { description: 'Locked or rate limited' } } });
  deps.api.add({
    method: 'get',
    path: '/api/v1/me',
    summary: 'The signed-in user',
    tags: ['auth'],
    auth: true,
    responses: {
      200: {
        description: 'Who the caller is',
        schema: z.object({ id: z.string(), username: z.string(), name: z.string(), designation: z.string(), roles: z.array(z.string()), office: z.object({ id: z.string(), name: z.string().nullable() }) }),
      },
    },
  });
  deps.api.add({ method: 'get', path: '/api/v1/tokens', summary: "The caller's API tokens (admins: ?user= for a user in their scope)", tags: ['auth'], auth: true, responses: { 200: { description: 'Tokens (hashes only)' } } });
  deps.api.add({ method: 'delete', path: '/api/v1/tokens/{tokenId}', summary: 'Revoke a token (own, or as admin in scope)', tags: ['auth'], auth: true, responses: { 204: { description: 'Revoked' } } });

  return { pages, apiRoutes };
}
