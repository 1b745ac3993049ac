// A session touch beside a content write on another instance. The engine applies an update as "read the document,
// apply, write it all back", so a touch that `$set`s only the expiry can write the old session content back over a
// simultaneous sign-out, CSRF token or flash written by another request.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { SessionData } from 'express-session';
import { SESSIONS_COLLECTION, SESSION_MARKERS_COLLECTION } from '../../src/platform/auth/session.js';
import { DbSessionStore, removeExpiredSessions, type SessionDocument } from '../../src/platform/auth/session-store.js';
import { resetDatabase } from '../support/db.js';

function storeWith(now: () => number): DbSessionStore {
  const db = mongoose.connection.db!;
  // No touch window: every touch writes, as happens when a busy session's window has just passed.
  return new DbSessionStore({ collection: db.collection(SESSIONS_COLLECTION), markers: db.collection(SESSION_MARKERS_COLLECTION), ttlSeconds: 3600, touchAfterSeconds: 0, now });
}

const call = <T>(fn: (cb: (err?: unknown, v?: T) => void) => void) => new Promise<T | undefined>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

const session = (csrf: string, at: number) => ({ cookie: { originalMaxAge: 3_600_000, expires: new Date(at + 3_600_000) }, passport: { user: 'u1' }, csrf }) as unknown as SessionData;

describe('session touch beside a content write', function () {
  this.timeout(120_000);
  beforeEach(resetDatabase);

  it('when one instance touches a session many times while another writes new content, then the new content is what stays stored', async () => {
    const sessions = mongoose.connection.db!.collection<SessionDocument>(SESSIONS_COLLECTION);
    const lost: string[] = [];
    for (let trial = 0; trial < 12; trial += 1) {
      let now = Date.now();
      const a = storeWith(() => now);
      const b = storeWith(() => now);
      const sid = `race-${trial}`;
      await call((cb) => a.set(sid, session('old', now), cb));
      await call((cb) => b.get(sid, cb as never));
      now += 1000;
      const touches = Array.from({ length: 24 }, () => call((cb) => a.touch(sid, session('old', now), cb as never)));
      const write = new Promise((r) => setTimeout(r, trial % 4)).then(() => call((cb) => b.set(sid, session('new', now), cb)));
      await Promise.all([...touches, write]);
      const stored = await sessions.findOne({ _id: sid });
      if (JSON.parse(stored!.session).csrf !== 'new') lost.push(`trial ${trial}`);
    }
    expect(lost, 'trials where a touch wrote the old content back').to.deep.equal([]);
  });

  it('when the expiry written with the content has passed but a touch moved it, then the session is still served and kept by the clean-up; past the touch too, it is refused and removed', async () => {
    const sessions = mongoose.connection.db!.collection<SessionDocument>(SESSIONS_COLLECTION);
    let now = Date.now();
    const a = storeWith(() => now);
    await call((cb) => a.set('rolled', session('kept', now), cb));
    // An hour later, a touch with the cookie's new expiry.
    now += 3_000_000;
    await call((cb) => a.touch('rolled', session('kept', now), cb as never));
    now += 1_000_000; // past the content's own expiry, within the touch's
    const fresh = storeWith(() => now);
    expect(await call((cb) => fresh.get('rolled', cb as never))).to.have.property('csrf', 'kept');
    expect(await removeExpiredSessions(sessions, new Date(now))).to.equal(0);
    expect(await sessions.findOne({ _id: 'rolled' })).to.not.equal(null);
    now += 3_600_000;
    expect(await removeExpiredSessions(sessions, new Date(now))).to.equal(1);
    expect(await sessions.countDocuments({})).to.equal(0);
    const later = storeWith(() => now);
    expect(await call((cb) => later.get('rolled', cb as never))).to.equal(null);
  });
});
