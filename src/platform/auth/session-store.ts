// The express-session store: sessions in the database, so any app instance can serve any request.
// Written for the engine (database.md) instead of connect-mongo, whose clean-up sent `w: 0` deletes (which
// desynchronise FerretDB's replies) and whose get filtered on `expires` as well as `_id` (a full scan of the
// collection on every request with a cookie). Here:
// - get reads `{_id}` only and checks expiry in code; an expired session is deleted (acknowledged) and absent;
// - a database error is an error (the request fails), never "no session" (which would sign the user out);
// - set writes only when the session's content changed, touch at most every `touchAfterSeconds`, and a touch
//   writes its new expiry to a record of its own (`<sid>#touch`), never over the session's content;
// - expired sessions nobody asks for again are removed by a periodic job (one scan per run, not per request);
// - sessions read are kept in process, so a page view costs no session read. Every content write (sign-in,
//   sign-out, a new CSRF token, a flash message) replaces a change marker; each process re-reads it every
//   `checkEveryMs` (as the other caches do, change-marker.ts), so another instance's sign-out is seen within
//   about twice that time (see currentMarker) and this instance's at once.
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

export interface MarkerDocument {
  _id: string;
  value: string;
}

export interface DbSessionStoreOptions {
  readonly collection: Collection<SessionDocument>;
  /** Where the sessions' change marker lives (the same database as the sessions, so an outage fails both). */
  readonly markers: Collection<MarkerDocument>;
  /** Lifetime of a session whose cookie carries no expiry. */
  readonly ttlSeconds: number;
  /** An unchanged session's expiry is pushed forward at most this often (connect-mongo's touchAfter). */
  readonly touchAfterSeconds: number;
  /** How often the marker is re-read (another instance's change is seen within about twice this). */
  readonly checkEveryMs?: number;
  /**
   * Milliseconds since the epoch. express-session computes cookie expiry from the system clock, so the store
   * compares against the same clock by default (an injected fixed test clock would disagree with it).
   */
  readonly now?: () => number;
  /** How many sessions this process keeps (least recently used go first). */
  readonly keepAtMost?: number;
}

interface Held {
  /** The stored JSON: each request gets its own parsed copy (express-session mutates what get returns). */
  json: string;
  hash: string;
  expires: number;
  lastModified: number;
  /** The marker value it was read or written under; a different marker means "read it again". */
  marker: string;
}

type Callback<T = void> = (err?: unknown, value?: T) => void;

const MARKER_ID = 'sessions';

// A session id (express-session's uid-safe: base64url) never contains '#', so touch records cannot collide with one.
const TOUCH_SUFFIX = '#touch';
const touchId = (sid: string): string => `${sid}${TOUCH_SUFFIX}`;
const isTouchId = (id: string): boolean => id.endsWith(TOUCH_SUFFIX);

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
  private readonly markers: Collection<MarkerDocument>;
  private readonly ttlMs: number;
  private readonly touchAfterMs: number;
  private readonly checkEveryMs: number;
  private readonly now: () => number;
  private readonly limit: number;
  private readonly held = new Map<string, Held>();
  private marker: string | undefined;
  private markerCheckedAt = 0;
  private markerRead: Promise<string> | undefined;

  constructor(options: DbSessionStoreOptions) {
    super();
    this.collection = options.collection;
    this.markers = options.markers;
    this.ttlMs = options.ttlSeconds * 1000;
    this.touchAfterMs = options.touchAfterSeconds * 1000;
    this.checkEveryMs = options.checkEveryMs ?? 500;
    this.now = options.now ?? Date.now;
    this.limit = options.keepAtMost ?? 20_000;
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
    this.held.delete(sid);
    settle(
      (async () => {
        await this.collection.deleteOne({ _id: sid });
        await this.collection.deleteOne({ _id: touchId(sid) });
        await this.changed();
      })(),
      callback,
    );
  }

  /** Deletes every expired session (one scan of the collection); returns how many went. */
  removeExpired(): Promise<number> {
    return removeExpiredSessions(this.collection, new Date(this.now()));
  }

  /**
   * The marker's value, read from the database at most every checkEveryMs (one read shared by concurrent
   * callers). A busy instance does not wait for that read: up to 2 × checkEveryMs after the last check it
   * serves what it holds while the read runs (so no page view stalls on it, as a page view with a bearer token
   * does not); an idle instance, or one whose reads fail, waits, so an outage still fails the request.
   */
  private async currentMarker(): Promise<string> {
    const age = this.now() - this.markerCheckedAt;
    if (this.marker !== undefined && age <= this.checkEveryMs) return this.marker;
    this.markerRead ??= (async () => {
      try {
        const doc = await this.markers.findOne({ _id: MARKER_ID });
        this.marker = doc?.value ?? 'none';
        this.markerCheckedAt = this.now();
        return this.marker;
      } finally {
        this.markerRead = undefined;
      }
    })();
    if (this.marker !== undefined && age <= 2 * this.checkEveryMs) {
      this.markerRead.catch(() => undefined); // a failed read leaves the value to age: the next callers wait and see the error
      return this.marker;
    }
    return this.markerRead;
  }

  /** After a content write or a removal: every process (this one too) reads the sessions it holds again. */
  private async changed(): Promise<string> {
    const value = crypto.randomUUID();
    try {
      await this.markers.replaceOne({ _id: MARKER_ID }, { value }, { upsert: true });
    } catch (err) {
      // Two first writes race on the embedded engine (its upsert is read-then-insert): the other one's insert
      // has just changed the marker, which is all that is needed.
      if (!isDuplicateKey(err)) throw err;
    }
    this.marker = value;
    this.markerCheckedAt = this.now();
    return value;
  }

  private async read(sid: string): Promise<SessionData | null> {
    const marker = await this.currentMarker();
    const now = this.now();
    const held = this.held.get(sid);
    if (held && held.marker === marker && held.expires > now) {
      this.keep(sid, held);
      return JSON.parse(held.json) as SessionData;
    }
    const doc = await this.collection.findOne({ _id: sid });
    if (!doc) {
      this.held.delete(sid);
      return null;
    }
    let expires = doc.expires?.getTime() ?? now + this.ttlMs;
    let lastModified = doc.lastModified?.getTime() ?? 0;
    if (expires <= now) {
      // Past the expiry written with its content: a touch may have moved it since.
      const touched = await this.collection.findOne({ _id: touchId(sid) });
      if (!touched || touched.expires.getTime() <= now) {
        this.held.delete(sid);
        await this.collection.deleteOne({ _id: sid });
        if (touched) await this.collection.deleteOne({ _id: touchId(sid) });
        return null;
      }
      expires = touched.expires.getTime();
      lastModified = Math.max(lastModified, touched.lastModified?.getTime() ?? 0);
    }
    const session = JSON.parse(doc.session) as SessionData;
    this.keep(sid, { json: doc.session, hash: contentHash(session), expires, lastModified, marker });
    return session;
  }

  private async write(sid: string, session: SessionData): Promise<void> {
    const hash = contentHash(session);
    if (this.held.get(sid)?.hash === hash) return this.extend(sid, session);
    const now = this.now();
    const doc: SessionDocument = { _id: sid, session: JSON.stringify(session), expires: this.expiryOf(session, now), lastModified: new Date(now) };
    this.held.delete(sid);
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
    const marker = await this.changed();
    this.keep(sid, { json: doc.session, hash, expires: doc.expires.getTime(), lastModified: now, marker });
  }

  private async extend(sid: string, session: SessionData): Promise<void> {
    const now = this.now();
    const held = this.held.get(sid);
    if (held && now - held.lastModified < this.touchAfterMs) return;
    const expires = this.expiryOf(session, now);
    // The new expiry goes into a document of its own: the engine writes back the whole document an update read,
    // so any write of the session's document here (a `$set` of the expiry, or a re-read and replace) could put
    // old content back over another request's sign-out, CSRF token or flash written meanwhile (measured: 12 of
    // 12 trials with 24 touches beside one write). The touch record never holds content, so it has none to undo.
    const record = { session: '', expires, lastModified: new Date(now) };
    try {
      await this.collection.replaceOne({ _id: touchId(sid) }, record, { upsert: true });
    } catch (err) {
      // Two first touches at once (the engine's upsert is read-then-insert): the other one's insert counts.
      if (!isDuplicateKey(err)) throw err;
      await this.collection.replaceOne({ _id: touchId(sid) }, record);
    }
    // Only the expiry moved: no marker change (another process holding an older expiry just reads it again).
    if (held) this.keep(sid, { ...held, expires: expires.getTime(), lastModified: now });
  }

  private expiryOf(session: SessionData, now: number): Date {
    const expires = session.cookie?.expires;
    if (expires) return new Date(expires);
    return new Date(now + this.ttlMs);
  }

  private keep(sid: string, state: Held): void {
    this.held.delete(sid); // re-inserted last: the Map's order is least recently used first
    this.held.set(sid, state);
    if (this.held.size > this.limit) {
      const oldest = this.held.keys().next().value;
      if (oldest !== undefined) this.held.delete(oldest);
    }
  }
}

/**
 * Deletes every session expired at `now` (one scan of the collection; acknowledged deletes by `_id`); returns how
 * many sessions went. A session whose touch record is still live stays; a touch record past its time goes.
 */
export async function removeExpiredSessions(collection: Collection<SessionDocument>, now: Date): Promise<number> {
  const expired = await collection.find({ expires: { $lt: now } }, { projection: { _id: 1 } }).toArray();
  const ids = new Set(expired.map((d) => d._id));
  let removed = 0;
  for (const id of ids) {
    if (isTouchId(id)) {
      await collection.deleteOne({ _id: id });
      continue;
    }
    if (!ids.has(touchId(id))) {
      const touched = await collection.findOne({ _id: touchId(id) });
      if (touched && touched.expires.getTime() >= now.getTime()) continue;
    }
    await collection.deleteOne({ _id: id });
    await collection.deleteOne({ _id: touchId(id) });
    removed += 1;
  }
  return removed;
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
