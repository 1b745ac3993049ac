// CSRF protection with a per-session synchronizer token. Forms carry it as _csrf (the csrfField partial),
// scripts as the X-CSRF-Token header. Requests authenticated by a bearer token are not exposed to CSRF
// (a browser never adds that header by itself) and skip the check.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../../kernel/errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'express-session' {
  interface SessionData {
    csrf?: string;
  }
}

export function csrfToken(req: Request): string {
  // A request authenticated by a bearer token has no session, and needs no token.
  if (!req.session) return '';
  req.session.csrf ??= crypto.randomBytes(24).toString('base64url');
  return req.session.csrf;
}

export function csrfProtection(options: { skip: (req: Request) => boolean }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE.has(req.method) || options.skip(req)) {
      // Expose the token lazily: only pages that render a form create a session for it.
      Object.defineProperty(res.locals, 'csrfToken', { get: () => csrfToken(req), configurable: true, enumerable: true });
      return next();
    }
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    const expected = req.session?.csrf;
    if (typeof sent !== 'string' || !expected || !equal(sent, expected)) {
      return next(
        new ForbiddenError({
          bn: 'নিরাপত্তা টোকেন পাওয়া যায়নি বা মেয়াদ শেষ। পৃষ্ঠাটি আবার খুলে চেষ্টা করুন; কিছুই পরিবর্তন হয়নি।',
          en: 'The security token is missing or expired. Reload the page and try again; nothing was changed.',
        }),
      );
    }
    Object.defineProperty(res.locals, 'csrfToken', { get: () => csrfToken(req), configurable: true, enumerable: true });
    next();
  };
}

/**
 * The same check for a route that parses its own body after the global check was skipped for it (a multipart
 * upload form: the token travels in the form body, which only the route's upload middleware reads).
 */
export function assertCsrfToken(req: Request): void {
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const expected = req.session?.csrf;
  if (typeof sent !== 'string' || !expected || !equal(sent, expected)) {
    throw new ForbiddenError({
      bn: 'নিরাপত্তা টোকেন পাওয়া যায়নি বা মেয়াদ শেষ। পৃষ্ঠাটি আবার খুলে চেষ্টা করুন; কিছুই পরিবর্তন হয়নি।',
      en: 'The security token is missing or expired. Reload the page and try again; nothing was changed.',
    });
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * True when the Cookie header names `name`, read the way the session middleware's parser reads it (names are
 * trimmed: `udbhabon.sid =…` is the session cookie too). A plain substring test missed that spelling, so a
 * request the session authenticated was taken as cookie-less and skipped this check.
 */
export function carriesCookie(req: Request, name: string): boolean {
  return (req.headers.cookie ?? '').split(';').some((pair) => {
    const eq = pair.indexOf('=');
    return eq !== -1 && pair.slice(0, eq).trim() === name;
  });
}
