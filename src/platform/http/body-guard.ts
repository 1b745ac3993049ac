// Request bodies: parsed once, here, and refused when they cannot be what the route was asked to apply.
// - An API operation documented as taking JSON refuses any other content type (415) and an empty body (400,
//   except DELETE, whose body is optional):
//   before this, a text/plain or empty PUT of the minutes was parsed as "nothing" and emptied them.
// - Text that is not valid UTF-8, or that holds a lone surrogate (JSON "\ud800"), is refused (400) instead of
//   being stored as U+FFFD or as a string no other system can encode.
// Which operations take JSON is read from the OpenAPI registry, so the document and the refusal cannot differ.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { UnsupportedMediaTypeError, ValidationError, type Message } from '../../kernel/errors.js';
import type { OpenApiRegistry } from './openapi.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPES = ['application/json', 'application/*+json'];

export const BODY_MESSAGES = {
  notJson: {
    bn: 'এই ঠিকানায় তথ্য JSON আকারে পাঠান (Content-Type: application/json)।',
    en: 'Send the body as JSON (Content-Type: application/json).',
  },
  empty: {
    bn: 'অনুরোধে কোনো তথ্য নেই। JSON আকারে তথ্য পাঠান।',
    en: 'The request has no body. Send the fields as JSON.',
  },
  invalidUtf8: {
    bn: 'পাঠানো লেখা সঠিক UTF-8 নয় (অচেনা বাইট বা একক সারোগেট আছে)। লেখাটি UTF-8 এ সংরক্ষণ করে আবার পাঠান।',
    en: 'The text is not valid UTF-8 (it has invalid bytes or a lone surrogate). Save it as UTF-8 and send it again.',
  },
} satisfies Record<string, Message>;

/** An error body-parser passes on with our own type, so the error handler can answer 400 instead of its 403. */
export const INVALID_UTF8 = 'encoding.invalid';

/** How many body bytes the parsers read for a request (none → the request had no body). */
const bytesRead = new WeakMap<Request, number>();

/** The body parsers of the app, with the checks around them. */
export function bodyParsing(api: OpenApiRegistry, options: { limit: string }): RequestHandler[] {
  return [
    refuseOtherContentTypes(api),
    express.json({ limit: options.limit, verify: (req, _res, buf) => checkRaw(req as Request, buf, false) }),
    express.urlencoded({ extended: false, limit: options.limit, verify: (req, _res, buf, encoding) => checkRaw(req as Request, buf, true, encoding) }),
    refuseEmptyAndIllFormed(api),
  ];
}

function takesJson(api: OpenApiRegistry, req: Request): boolean {
  if (!WRITE_METHODS.has(req.method) || !req.originalUrl.startsWith('/api/')) return false;
  const contract = api.bodyFor(req.method, req.originalUrl.split('?')[0]!);
  return !!contract && contract.contentType === 'application/json';
}

/** Whether the request announces body bytes (a chunked body may still turn out empty: checked after reading). */
function announcesBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
}

function refuseOtherContentTypes(api: OpenApiRegistry): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (takesJson(api, req) && announcesBody(req) && !req.is(JSON_TYPES)) {
      return next(new UnsupportedMediaTypeError(BODY_MESSAGES.notJson, { contentType: req.get('content-type') ?? null }));
    }
    next();
  };
}

function refuseEmptyAndIllFormed(api: OpenApiRegistry): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    // A DELETE may come without a body (HTTP gives it none by convention); its route refuses what it misses.
    if (req.method !== 'DELETE' && takesJson(api, req) && !bytesRead.get(req)) return next(new ValidationError({ _: BODY_MESSAGES.empty }, BODY_MESSAGES.empty));
    if (req.body !== undefined && !isWellFormed(req.body)) return next(invalidUtf8());
    next();
  };
}

function invalidUtf8(): ValidationError {
  return new ValidationError({ _: BODY_MESSAGES.invalidUtf8 }, BODY_MESSAGES.invalidUtf8);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * body-parser's verify hook: sees the raw bytes before they are decoded (where invalid sequences would become
 * U+FFFD). A form body is checked after its %XX escapes are undone, since that is where its bytes are.
 */
function checkRaw(req: Request, buf: Buffer, form: boolean, encoding?: string): void {
  bytesRead.set(req, buf.length);
  // Only UTF-8 can be checked as UTF-8; another declared charset is decoded by the parser as declared.
  if (encoding && !/^utf-?8$/i.test(encoding)) return;
  try {
    strictUtf8.decode(form ? unescapeForm(buf) : buf);
  } catch {
    throw Object.assign(new Error('invalid UTF-8 in the request body'), { type: INVALID_UTF8 });
  }
}

/** The bytes a form body stands for: %XX → that byte, + → space (the rest as sent). */
function unescapeForm(buf: Buffer): Buffer {
  if (!buf.includes(0x25)) return buf;
  const out = Buffer.allocUnsafe(buf.length);
  let n = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === 0x25 && i + 2 < buf.length && isHex(buf[i + 1]) && isHex(buf[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(buf[i + 1]!, buf[i + 2]!), 16);
      i += 2;
    } else out[n++] = c === 0x2b ? 0x20 : c;
  }
  return out.subarray(0, n);
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no u flag).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No string (value or key) anywhere in the parsed body holds a lone surrogate (iterative: bodies may nest deep). */
export function isWellFormed(body: unknown): boolean {
  const stack: unknown[] = [body];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return false;
    } else if (value && typeof value === 'object') {
      if (Array.isArray(value)) for (const v of value as unknown[]) stack.push(v);
      else
        for (const [k, v] of Object.entries(value)) {
          if (LONE_SURROGATE.test(k)) return false;
          stack.push(v);
        }
    }
  }
  return true;
}
