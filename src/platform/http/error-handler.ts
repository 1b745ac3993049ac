// One place that turns errors into responses: JSON { error: { code, message, fields? } } under /api/,
// a Bangla-first HTML page elsewhere. Unexpected errors are logged with the request id and never leak details.
import type { ErrorRequestHandler, RequestHandler, Request } from 'express';
import { isTransientDbError } from '../db/transient.js';
import { AppError, DATABASE_UNAVAILABLE, NotFoundError, STATUS_MESSAGES, ValidationError, type FieldErrors, type Message } from '../../kernel/errors.js';
import type { Language } from '../i18n/index.js';
import { BODY_MESSAGES, INVALID_UTF8 } from './body-guard.js';
import { requestLanguage } from './request-context.js';

/** Seconds a client is asked to wait while the database is away: about one restart of the embedded engine. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function isApiRequest(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError(STATUS_MESSAGES[404]));
};

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const lang: Language = res.locals.lang ? (res.locals.lang === 'en' ? 'en' : 'bn') : requestLanguage(req);
  const { status, code, messages, fields, details } = describe(err);
  if (status === 503) req.log?.warn({ err }, 'request refused: service unavailable');
  else if (status >= 500) req.log?.error({ err }, 'request failed');
  else req.log?.info({ status, code }, 'request refused');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if ((status === 429 || status === 503) && details?.retryAfterSeconds) res.set('Retry-After', String(details.retryAfterSeconds));
  const message = messages[lang];
  const localFields = fields
    ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]))
    : undefined;
  if (isApiRequest(req) || !req.accepts('html')) {
    res.status(status).json({
      error: { code, message, messages, ...(localFields ? { fields: localFields } : {}), ...(details ? { details } : {}) },
    });
    return;
  }
  res.status(status).render(`errors/error`, {
    title: `${status}`,
    status,
    message,
    fields: localFields,
    requestId: req.id,
  });
};

interface Described {
  status: number;
  code: string;
  messages: Message;
  fields?: FieldErrors;
  details?: Record<string, unknown>;
}

function describe(err: unknown): Described {
  // The engine away or restarting is not a fault of this request nor a bug: 503, "try again in a few seconds".
  if (isTransientDbError(err)) {
    return { status: 503, code: 'database_unavailable', messages: DATABASE_UNAVAILABLE, details: { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS } };
  }
  if (err instanceof ValidationError) {
    return { status: err.status, code: err.code, messages: err.messages, fields: err.fields };
  }
  if (err instanceof AppError) {
    const { fields: _f, ...details } = err.details ?? {};
    return {
      status: err.status,
      code: err.code,
      messages: err.messages,
      ...(Object.keys(details).length ? { details } : {}),
    };
  }
  // body-parser and friends set `status`/`type` on their errors.
  const e = err as { status?: number; statusCode?: number; type?: string };
  // Our UTF-8 check inside body-parser (which would call any refusal of its verify hook 403).
  if (e.type === INVALID_UTF8) return { status: 400, code: 'invalid_encoding', messages: BODY_MESSAGES.invalidUtf8 };
  const status = e.status ?? e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      e.type === 'entity.parse.failed'
        ? 'invalid_json'
        : e.type === 'entity.too.large'
          ? 'too_large'
          : status === 415
            ? 'unsupported_media_type'
            : 'bad_request';
    const messages: Message =
      e.type === 'entity.parse.failed'
        ? { bn: 'পাঠানো JSON সঠিক নয়।', en: 'The JSON body could not be read.' }
        : (STATUS_MESSAGES[status] ?? STATUS_MESSAGES[400]!);
    return { status, code, messages };
  }
  return { status: 500, code: 'internal', messages: STATUS_MESSAGES[500]! };
}
