import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../../lib/index.js';
import { carriesCookie } from '../../platform/auth/csrf.js';
import { SESSION_COOKIE } from '../../platform/auth/session.js';
import { UnauthorizedError } from '../../kernel/errors.js';
import { actorForToken } from './auth.service.js';

/** Authorization: Bearer <token> → req.user. A token that is unknown, expired or revoked is refused (401). */
export function bearerAuth(clock: Clock) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await actorForToken(match[1]!, clock) : undefined;
    if (!actor) {
      return next(
        new UnauthorizedError({
          bn: 'টোকেনটি সঠিক নয়, মেয়াদোত্তীর্ণ বা বাতিল। নতুন টোকেন নিন।',
          en: 'The token is not valid, has expired or was revoked. Get a new token.',
        }),
      );
    }
    req.user = actor;
    next();
  };
}

/**
 * True when the request carries no ambient credentials, so cross-site request forgery cannot use it: it was
 * authenticated by a bearer token, or it is an API call without the session cookie (e.g. POST /auth/token).
 * An API call that does carry the session cookie (a script in our own pages) must send X-CSRF-Token.
 */
export function exemptFromCsrf(req: Request): boolean {
  if (req.user?.via === 'token') return true;
  // Checking a PDF against its verification record changes nothing, and its upload form is multipart.
  if (req.method === 'POST' && /^\/verify\/[0-9A-Z]+$/.test(req.path)) return true;
  // A multipart upload form carries its token in the body, which only the route's upload middleware reads: the
  // route checks the token itself once the body is parsed (assertCsrfToken), before anything is stored.
  if (req.method === 'POST' && /^\/initiatives\/[0-9a-f]{24}\/attachments$/i.test(req.path) && req.is('multipart/form-data')) return true;
  if (req.method === 'POST' && /^\/offices\/[0-9a-f]{24}\/letterhead$/i.test(req.path) && req.is('multipart/form-data')) return true;
  // Signed in by the session cookie: ambient credentials, whatever the URL.
  if (req.user) return false;
  return req.originalUrl.startsWith('/api/') && !carriesCookie(req, SESSION_COOKIE);
}
