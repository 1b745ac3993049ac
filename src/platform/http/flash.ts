// One-time messages shown on the next page (after a redirect), kept in the session.
import type { NextFunction, Request, Response } from 'express';
import type { Message } from '../errors.js';

export interface Flash {
  readonly type: 'success' | 'error' | 'info';
  readonly message: Message;
}

declare module 'express-session' {
  interface SessionData {
    flash?: Flash[];
  }
}

export function flash(req: Request, type: Flash['type'], message: Message): void {
  if (!req.session) return;
  (req.session.flash ??= []).push({ type, message });
}

/** Moves pending messages into res.locals.flash (in the page's language) for the next rendered page. */
export function flashMiddleware(req: Request, res: Response, next: NextFunction): void {
  const pending = req.session?.flash;
  if (pending?.length && req.method === 'GET') {
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    res.locals.flash = pending.map((f) => ({ type: f.type, text: f.message[lang] }));
    req.session.flash = [];
  }
  next();
}
