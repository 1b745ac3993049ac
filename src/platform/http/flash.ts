// One-time messages shown on the next page (after a redirect), kept in the session.
import type { NextFunction, Request, Response } from 'express';
import { AppError, ValidationError, type Message } from '../../kernel/errors.js';

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

/** An error's message followed by its field messages, for a flash on the page the user returns to. */
export function messageWithFields(err: AppError): Message {
  const fields = err instanceof ValidationError ? Object.values(err.fields).map((f) => (typeof f === 'string' ? { bn: f, en: f } : f)) : [];
  return { bn: [err.messages.bn, ...fields.map((f) => f.bn)].join(' '), en: [err.messages.en, ...fields.map((f) => f.en)].join(' ') };
}
