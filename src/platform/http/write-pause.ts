// Write pause: while a backup (or restore) runs, a record { _id: 'write-pause', until } in `_maintenance`
// tells every app instance to refuse changes (503, Retry-After) so the copy is consistent. Reads go on.
// The record is read by `_id` (the one indexed lookup on the embedded engine), at most once per ttl per
// instance; a stale record (until in the past, e.g. a killed backup) is ignored.
import type { RequestHandler } from 'express';
import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { AppError, type Message } from '../../kernel/errors.js';

export const MAINTENANCE_COLLECTION = '_maintenance';
export const WRITE_PAUSE_ID = 'write-pause';

export interface WritePauseRecord {
  _id: typeof WRITE_PAUSE_ID;
  reason: string;
  /** The pause ends by itself at this instant unless its owner refreshes it. */
  until: Date;
  startedAt?: Date;
  /** Identifies the owner, so it removes only its own record. */
  token?: string;
  host?: string;
  pid?: number;
}

export const WRITE_PAUSED_MESSAGES: Message = {
  bn: 'ব্যাকআপ চলছে: কিছুক্ষণের জন্য তথ্য সংরক্ষণ বন্ধ আছে। একটু পরে আবার চেষ্টা করুন।',
  en: 'A backup is running: saving is paused for a moment. Please try again shortly.',
};

export const WRITE_PAUSE_RETRY_AFTER_SECONDS = 30;

/** 503 `write_paused`: rendered by the app's error handler as JSON under /api/, as a page elsewhere. */
export class WritePausedError extends AppError {
  readonly status = 503;
  readonly code = 'write_paused';
  constructor(messages: Message = WRITE_PAUSED_MESSAGES) {
    super(messages);
  }
}

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses changes (any method but GET/HEAD/OPTIONS) while `isPaused()` says so. */
export function writePauseMiddleware(isPaused: () => Promise<boolean>): RequestHandler {
  return (req, res, next) => {
    if (READ_ONLY_METHODS.has(req.method)) {
      next();
      return;
    }
    isPaused().then(
      (paused) => {
        if (!paused) {
          next();
          return;
        }
        res.set('Retry-After', String(WRITE_PAUSE_RETRY_AFTER_SECONDS));
        next(new WritePausedError());
      },
      // The check failing means the database is failing: let the request meet that error itself.
      () => next(),
    );
  };
}

/**
 * `isPaused()` for the middleware: reads the record by `_id` at most once per `ttlMs` (concurrent callers
 * share one read); true while the record exists and `until` is in the future. When the read fails, the last
 * known answer stands. Without a connection (getDb() undefined) nothing is paused.
 */
export function createWritePauseCheck(
  getDb: () => Db | undefined = () => mongoose.connection.db,
  ttlMs = 1000,
  now: () => number = Date.now,
): () => Promise<boolean> {
  let until = 0; // the cached record's `until` (ms), 0 when there is none
  let checkedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const refresh = async (): Promise<void> => {
    const db = getDb();
    if (!db) {
      until = 0;
      return;
    }
    try {
      const record = await db
        .collection<WritePauseRecord>(MAINTENANCE_COLLECTION)
        .findOne({ _id: WRITE_PAUSE_ID }, { projection: { until: 1 } });
      until = record?.until instanceof Date ? record.until.getTime() : 0;
    } catch {
      /* keep the last known answer */
    }
  };

  return async () => {
    if (now() - checkedAt >= ttlMs) {
      if (!inFlight) {
        inFlight = refresh().finally(() => {
          checkedAt = now();
          inFlight = undefined;
        });
      }
      await inFlight;
    }
    return until > now();
  };
}
