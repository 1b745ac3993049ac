// The express-session store: sessions in the database, so any app instance can serve any request.
// Written for the engine (database.md) instead of connect-mongo, whose clean-up sent `w: 0` deletes (which
// desynchronise FerretDB's replies) and whose get filtered on `expires` as well as `_id` (a full scan of the
// collection on every request with a cookie). Here:
// - get reads `{_id}` only and checks expiry in code; an expired session is deleted (acknowledged) and absent;
// - a database error is an error (the request fails), never "no session" (which would sign the user out);
// - set writes only when the session's content changed, touch at most every `touchAfterSeconds`;
// - expired sessions nobody asks for again are removed by a periodic job (one scan per run, not per request).
// Documents keep connect-mongo's shape ({ _id, session: JSON string, expires, lastModified }), so sessions
// stored before the switch stay valid.
import crypto from 'node:crypto';
import type { Collection } from 'mongodb';
import { Store, type SessionData } from 'express-session';
import { isDuplicateKey } from '../db/claim.js';
import type { Job } from '../scheduler/index.js';

export interface SessionDocument {
  _id: string;
  session: string;
  expires: Date;
  lastModified: Date;
}

export interface DbSessionStoreOptions {
  readonly collection: Collection<SessionDocument>;
  /** Lifetime of a session whose cookie carries no expiry. */
  readonly ttlSeconds: number;
  /** An unchanged session's expiry is pushed forward at most this often (connect-mongo's touchAfter). */
  readonly touchAfterSeconds: number;
  /**
   * Milliseconds since the epoch. express-session computes cookie expiry from the system clock, so the store
   * compares against the same clock by default (an injected fixed test clock would disagree with it).
   */
  readonly now?: () => number;
  /** How many sessions' last-written state this process remembers (to skip unchanged writes). */
  readonly rememberAtMost?: number;
}

interface Known {
  hash: string;
  lastModified: number;
}

type Callback<T = void> = (err?: unknown, value?: T) => void;

function settle<T>(work: Promise<T>, callback: Callback<T> | undefined): void {
  work.then(
    (value) => callback?.(null, value),
    (err: unknown) => callback?.(err),
  );
}

/** The content that decides whether a write is needed: everything but the cookie (touch covers that). */
function contentHash(session: SessionData): string {
  const { cookie: _cookie, ...content } = session as SessionData & Record<string, unknown>;
  return crypto.createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}

export class DbSessionStore extends Store {
  private readonly collection: Collection<SessionDocument>;
  private readonly ttlMs: number;
  private readonly touchAfterMs: number;
  private readonly now: () => number;
  private readonly limit: number;
  // What this process last read or wrote per session. Refreshed by every get (each request reads the stored
  // document first), so another instance's write is seen before this one decides to skip a write.
  private readonly known = new Map<string, Known>();

  constructor(options: DbSessionStoreOptions) {
    super();
    this.collection = options.collection;
    this.ttlMs = options.ttlSeconds * 1000;
    this.touchAfterMs = options.touchAfterSeconds * 1000;
    this.now = options.now ?? Date.now;
    this.limit = options.rememberAtMost ?? 50_000;
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    settle(this.read(sid), callback as Callback<SessionData | null>);
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    settle(this.write(sid, session), callback);
  }

  override touch(sid: string, session: SessionData, callback?: () => void): void {
    settle(this.extend(sid, session), callback as Callback | undefined);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.known.delete(sid);
    settle(
      this.collection.deleteOne({ _id: sid }).then(() => undefined),
      callback,
    );
  }

  /** Deletes every expired session (one scan of the collection); returns how many went. */
  removeExpired(): Promise<number> {
    return removeExpiredSessions(this.collection, new Date(this.now()));
  }

  private async read(sid: string): Promise<SessionData | null> {
    const doc = await this.collection.findOne({ _id: sid });
    if (!doc) {
      this.known.delete(sid);
      return null;
    }
    if (doc.expires && doc.expires.getTime() <= this.now()) {
      this.known.delete(sid);
      await this.collection.deleteOne({ _id: sid });
      return null;
    }
    const session = JSON.parse(doc.session) as SessionData;
    this.remember(sid, { hash: contentHash(session), lastModified: doc.lastModified?.getTime() ?? 0 });
    return session;
  }

  private async write(sid: string, session: SessionData): Promise<void> {
    const hash = contentHash(session);
    if (this.known.get(sid)?.hash === hash) return this.extend(sid, session);
    const now = this.now();
    const doc: SessionDocument = { _id: sid, session: JSON.stringify(session), expires: this.expiryOf(session, now), lastModified: new Date(now) };
    // replace, then insert: an upsert is not atomic on the embedded engine (two at once can both insert).
    const replaced = await this.collection.replaceOne({ _id: sid }, doc);
    if (replaced.matchedCount === 0) {
      try {
        await this.collection.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await this.collection.replaceOne({ _id: sid }, doc);
      }
    }
    this.remember(sid, { hash, lastModified: now });
  }

  private async extend(sid: string, session: SessionData): Promise<void> {
    const now = this.now();
    const known = this.known.get(sid);
    if (known && now - known.lastModified < this.touchAfterMs) return;
    await this.collection.updateOne({ _id: sid }, { $set: { expires: this.expiryOf(session, now), lastModified: new Date(now) } });
    if (known) this.remember(sid, { hash: known.hash, lastModified: now });
  }

  private expiryOf(session: SessionData, now: number): Date {
    const expires = session.cookie?.expires;
    if (expires) return new Date(expires);
    return new Date(now + this.ttlMs);
  }

  private remember(sid: string, state: Known): void {
    this.known.delete(sid); // re-inserted last: the Map's order is least recently used first
    this.known.set(sid, state);
    if (this.known.size > this.limit) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }
}

/** Deletes every session expired at `now` (one scan of the collection; acknowledged); returns how many went. */
export async function removeExpiredSessions(collection: Collection<SessionDocument>, now: Date): Promise<number> {
  const result = await collection.deleteMany({ expires: { $lt: now } });
  return result.deletedCount;
}

/** The clean-up as a scheduler job: expired sessions that are never read again would otherwise stay. */
export function sessionCleanUpJob(collection: Collection<SessionDocument>): Job {
  return {
    name: 'auth.remove-expired-sessions',
    // Every few minutes, so a soak of 11 minutes crosses it; each run is one scan, never one per request.
    schedule: '*/5 * * * *',
    run: async (now) => {
      await removeExpiredSessions(collection, now);
    },
  };
}
