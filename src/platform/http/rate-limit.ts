// Per-address request limits (sign-in, token requests, public verification), with a message that says how
// long to wait. The count is per app instance (memory store); the account lockout is the cross-instance guard.
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { toBanglaDigits } from '../../lib/index.js';
import { TooManyRequestsError } from '../../kernel/errors.js';

export function perAddressLimit(options: { limit: number; windowMinutes: number }): RequestHandler {
  return rateLimit({
    windowMs: options.windowMinutes * 60_000,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : options.windowMinutes * 60;
      const minutes = Math.ceil(seconds / 60);
      next(
        new TooManyRequestsError(
          {
            bn: `এই ঠিকানা থেকে অনেকবার চেষ্টা করা হয়েছে। ${toBanglaDigits(minutes)} মিনিট পর আবার চেষ্টা করুন।`,
            en: `Too many attempts from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          },
          { retryAfterSeconds: seconds },
        ),
      );
    },
  });
}
