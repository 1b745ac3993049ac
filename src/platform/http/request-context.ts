// Per-request context: a request id and the interface language.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { isLanguage, translator, type Language } from '../i18n/index.js';

const LANG_COOKIE = 'lang';

export interface LanguageOptions {
  /** The signed-in user's saved choice, if any. */
  preferred?(req: Request): Language | undefined;
  /** Saves a new choice for the signed-in user. */
  remember?(req: Request, lang: Language): Promise<void>;
}

/**
 * Picks the page language: ?lang= (saved for the user, and in a cookie), else the user's saved choice,
 * else the cookie, else Bangla.
 */
export function languageMiddleware(options: LanguageOptions = {}) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const fromQuery = req.query.lang;
    let lang: Language;
    if (isLanguage(fromQuery)) {
      lang = fromQuery;
      res.cookie(LANG_COOKIE, lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000 });
      if (options.preferred?.(req) && options.preferred(req) !== lang) await options.remember?.(req, lang);
    } else {
      const cookie = parseCookie(req.headers.cookie, LANG_COOKIE);
      lang = options.preferred?.(req) ?? (isLanguage(cookie) ? cookie : 'bn');
    }
    // An API client may also ask with Accept-Language: en.
    if (!isLanguage(fromQuery) && req.originalUrl.startsWith('/api/') && /^en\b/i.test(req.get('accept-language') ?? '')) lang = 'en';
    res.locals.lang = lang;
    res.locals.t = translator(lang);
    next();
  };
}

/**
 * The language for a request that failed before languageMiddleware ran (a body refused while it was parsed):
 * ?lang=, else Accept-Language: en on the API, else the cookie, else Bangla.
 */
export function requestLanguage(req: Request): Language {
  const fromQuery = req.query?.lang;
  if (isLanguage(fromQuery)) return fromQuery;
  if (req.originalUrl.startsWith('/api/') && /^en\b/i.test(req.get('accept-language') ?? '')) return 'en';
  const cookie = parseCookie(req.headers.cookie, LANG_COOKIE);
  return isLanguage(cookie) ? cookie : 'bn';
}

export function requestId(req: Request): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
}

function parseCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
