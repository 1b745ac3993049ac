// The session store (src/platform/auth/session-store.ts) on the real engine: reads by `_id` only (and page
// views from what the process holds), writes only when the session changed, refuses and removes expired
// sessions, sees another instance's sign-out, and turns a database failure into an error answer, never into
// "signed out".
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Collection, CommandStartedEvent } from 'mongodb';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { systemClock } from '../../src/lib/index.js';
import { SESSIONS_COLLECTION, SESSION_MARKERS_COLLECTION, sessionJobs } from '../../src/platform/auth/session.js';
import { DbSessionStore, type SessionDocument } from '../../src/platform/auth/session-store.js';
import { startEmbeddedEngine, type EmbeddedEngine } from '../../src/platform/db/embedded-engine.js';
import { testConfig } from '../support/app.js';
import { signIn } from '../support/auth.js';
import { resetDatabase, testDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { testLogger } from '../support/logger.js';

const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);
// Two app instances must share it to accept each other's cookies.
const SECRET = 'session-store-test-secret-0123456789abcdef';

interface Server {
  url: string;
  close(): Promise<void>;
}

/** The app, with its sessions kept through `connection` (the rest of the app uses the run's database). */
async function startAppWithSessionsOn(connection: mongoose.Connection): Promise<Server> {
  const t = testDatabase();
  const app = createApp({ config: testConfig(), logger: testLogger, db: { ...t.db, connection }, clock: systemClock, sessionSecret: SECRET });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The session id inside the signed `udbhabon.sid` cookie an answer sets (s:<id>.<signature>). */
function sidOf(res: request.Response): string {
  const m = /udbhabon\.sid=([^;]+)/.exec(String(res.headers['set-cookie']));
  if (!m) throw new Error('no session cookie on the answer');
  const value = decodeURIComponent(m[1]!);
  return value.slice(2, value.lastIndexOf('.'));
}

/** The `udbhabon.sid=…` pair an answer sets, to send from another client. */
function cookieOf(res: request.Response): string {
  const m = /udbhabon\.sid=[^;]+/.exec(String(res.headers['set-cookie']));
  if (!m) throw new Error('no session cookie on the answer');
  return m[0];
}

function storeOn(connection: mongoose.Connection, now?: () => number): DbSessionStore {
  const db = connection.getClient().db(connection.name);
  return new DbSessionStore({ collection: db.collection(SESSIONS_COLLECTION), markers: db.collection(SESSION_MARKERS_COLLECTION), ttlSeconds: 3600, touchAfterSeconds: 60, ...(now ? { now } : {}) });
}

const call = <T>(fn: (cb: (err?: unknown, v?: T) => void) => void) => new Promise<T | undefined>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

describe('session store', () => {
  let monitored: mongoose.Connection;
  let commands: CommandStartedEvent[];
  let server: Server;
  let sessions: Collection<SessionDocument>;
  let username: string;

  before(async () => {
    const t = testDatabase();
    // A second connection to the same database, with command monitoring, used only for the app's sessions.
    monitored = mongoose.createConnection(t.uri, { dbName: t.dbName, monitorCommands: true, maxPoolSize: 4 });
    await monitored.asPromise();
    monitored.getClient().on('commandStarted', (e) => commands.push(e));
    sessions = mongoose.connection.db!.collection<SessionDocument>(SESSIONS_COLLECTION);
  });
  after(async () => {
    await monitored.close();
  });

  beforeEach(async () => {
    await resetDatabase();
    const world = await createWorld();
    username = (await createUser({ office: world.root, roles: ['head'] })).username;
    commands = [];
    server = await startAppWithSessionsOn(monitored);
  });
  afterEach(() => server.close());

  const on = (collection: string) => () => commands.filter((c) => (c.command as Record<string, unknown>)[c.commandName] === collection);
  const onSessions = on(SESSIONS_COLLECTION);
  const onMarkers = on(SESSION_MARKERS_COLLECTION);

  it('when a signed-in user only reads pages, then the session is neither written nor read again (the process holds it) and the cookie still rolls', async () => {
    const { agent } = await signIn(server.url, username);
    const sid = sidOf(await agent.get('/').expect(200));
    const stored = await sessions.findOne({ _id: sid });
    expect(stored, 'the session is stored under its id').to.not.equal(null);
    commands = [];
    for (const page of ['/', '/initiatives', '/']) {
      const res = await agent.get(page).expect(200);
      expect(String(res.headers['set-cookie']), 'rolling: each answer renews the cookie').to.match(/udbhabon\.sid=.*Expires=/i);
    }
    const writes = onSessions().filter((c) => WRITES.has(c.commandName));
    expect(writes.map((c) => c.commandName), 'no session write within the touch window').to.deep.equal([]);
    expect(onSessions().filter((c) => c.commandName === 'find'), 'served from what the process holds').to.have.length(0);
    const after = await sessions.findOne({ _id: sid });
    expect(after?.lastModified.getTime()).to.equal(stored!.lastModified.getTime());
    expect(after?.session).to.equal(stored!.session);
  });

  it('when sessions are read, written and removed through sign-in, pages and sign-out, then every command on them selects by {_id} alone', async () => {
    const { agent, csrf } = await signIn(server.url, username);
    await agent.get('/initiatives').expect(200);
    await agent.post('/logout').type('form').send({ _csrf: csrf });
    await agent.get('/initiatives').redirects(0).expect(302);
    const seen = [...onSessions(), ...onMarkers()];
    expect(onSessions().length).to.be.greaterThan(3);
    const selectors = seen.flatMap((c) => {
      const cmd = c.command as Record<string, unknown>;
      switch (c.commandName) {
        case 'find':
          return [cmd.filter];
        case 'update':
          return (cmd.updates as { q: unknown }[]).map((u) => u.q);
        case 'delete':
          return (cmd.deletes as { q: unknown }[]).map((d) => d.q);
        case 'insert':
          return [];
        default:
          return [{ unexpected: c.commandName }];
      }
    });
    for (const s of selectors) {
      expect(Object.keys(s as object), JSON.stringify(s)).to.deep.equal(['_id']);
      expect((s as { _id: unknown })._id, JSON.stringify(s)).to.be.a('string');
    }
    for (const c of seen.filter((x) => WRITES.has(x.commandName))) {
      expect((c.command as { writeConcern?: { w?: unknown } }).writeConcern?.w, 'acknowledged').to.not.equal(0);
    }
  });

  it('when a stored session has expired, then the cookie is refused (sign-in page) and the session is deleted', async () => {
    const { agent } = await signIn(server.url, username);
    const home = await agent.get('/').expect(200);
    const sid = sidOf(home);
    await sessions.updateOne({ _id: sid }, { $set: { expires: new Date(Date.now() - 1000) } });
    // Another instance (its own store, nothing held yet) reads the stored expiry.
    const other = await startAppWithSessionsOn(monitored);
    try {
      const page = await request(other.url).get('/initiatives').set('Cookie', cookieOf(home)).redirects(0);
      expect(page.status).to.equal(302);
      expect(page.headers.location).to.match(/^\/login/);
      expect(await sessions.findOne({ _id: sid })).to.equal(null);
      const api = await request(other.url).get('/api/v1/me').set('Cookie', cookieOf(home));
      expect(api.status).to.equal(401);
    } finally {
      await other.close();
    }
  });

  it('when a held session\'s time runs out, then the same process refuses it and deletes it', async () => {
    let now = Date.now();
    const store = storeOn(monitored, () => now);
    await call((cb) => store.set('runs-out', { cookie: { originalMaxAge: 60_000, expires: new Date(now + 60_000) }, passport: { user: 'u1' } } as never, cb));
    expect(await call((cb) => store.get('runs-out', cb as never))).to.have.nested.property('passport.user', 'u1');
    now += 61_000;
    expect(await call((cb) => store.get('runs-out', cb as never))).to.equal(null);
    expect(await sessions.findOne({ _id: 'runs-out' })).to.equal(null);
  });

  it('when a user signs out on one instance, then another instance that held the session refuses it within a second', async () => {
    const other = await startAppWithSessionsOn(monitored);
    try {
      const { agent, csrf } = await signIn(server.url, username);
      const cookie = cookieOf(await agent.get('/').expect(200));
      await request(other.url).get('/initiatives').set('Cookie', cookie).expect(200);
      await request(other.url).get('/initiatives').set('Cookie', cookie).expect(200);
      await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(302);
      await sleep(1_200); // the marker is re-read every 500 ms; an idle instance waits for it after 1 s
      const page = await request(other.url).get('/initiatives').set('Cookie', cookie).redirects(0);
      expect(page.status).to.equal(302);
      expect(page.headers.location).to.match(/^\/login/);
    } finally {
      await other.close();
    }
  });

  it('when the clean-up job runs, then expired sessions are deleted and live ones kept', async () => {
    const now = Date.now();
    await sessions.insertMany([
      { _id: 'gone-1', session: '{}', expires: new Date(now - 60_000), lastModified: new Date(now - 7_200_000) },
      { _id: 'gone-2', session: '{}', expires: new Date(now - 1), lastModified: new Date(now - 7_200_000) },
      { _id: 'live', session: '{}', expires: new Date(now + 3_600_000), lastModified: new Date(now) },
    ]);
    const [job] = sessionJobs({ client: mongoose.connection.getClient(), dbName: mongoose.connection.name });
    expect(job!.schedule).to.equal('*/5 * * * *');
    await job!.run(new Date(now));
    expect((await sessions.find({}).toArray()).map((d) => d._id)).to.deep.equal(['live']);
  });

  it('when a session is set with unchanged content, then nothing is written until the touch window has passed, and then only the expiry', async () => {
    let now = Date.now();
    const store = storeOn(monitored, () => now);
    const data = () => ({ cookie: { originalMaxAge: 3_600_000, expires: new Date(now + 3_600_000) }, passport: { user: 'u1' }, csrf: 'token' }) as never;
    await call((cb) => store.set('s1', data(), cb));
    await call((cb) => store.get('s1', cb as never));
    commands = [];
    now += 30_000;
    await call((cb) => store.set('s1', data(), cb));
    await call((cb) => store.touch('s1', data(), cb as never));
    expect(onSessions().map((c) => c.commandName), 'inside the window').to.deep.equal([]);
    now += 31_000;
    await call((cb) => store.touch('s1', data(), cb as never));
    expect(onSessions().map((c) => c.commandName), 'after the window: one touch').to.deep.equal(['update']);
    // Written to the session's touch record, never over its content (see session-touch-race.test.ts).
    const touched = await sessions.findOne({ _id: 's1#touch' });
    expect(touched?.expires.getTime()).to.equal(now + 3_600_000);
    expect(JSON.parse((await sessions.findOne({ _id: 's1' }))!.session).csrf).to.equal('token');
    commands = [];
    await call((cb) => store.set('s1', { ...(data() as object), csrf: 'changed' } as never, cb));
    expect(onSessions().map((c) => c.commandName), 'changed content is written').to.deep.equal(['update']);
    expect(JSON.parse((await sessions.findOne({ _id: 's1' }))!.session).csrf).to.equal('changed');
  });

  it('when 10 requests save one new session at once, then all succeed and one document holds it', async () => {
    const store = storeOn(monitored);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => new Promise<void>((resolve, reject) => store.set('same', { cookie: { originalMaxAge: 1000 }, n: i } as never, (err) => (err ? reject(err) : resolve())))),
    );
    expect(results.filter((r) => r.status === 'rejected')).to.deep.equal([]);
    expect(await sessions.countDocuments({ _id: 'same' })).to.equal(1);
  });
});

describe('session store: the database fails while a session is read', () => {
  let engine: EmbeddedEngine | undefined;
  let away: mongoose.Connection | undefined;
  let server: Server | undefined;

  after(async () => {
    await server?.close();
    await away?.close(true).catch(() => undefined);
    await engine?.stop();
  });

  it('when the sessions\' database stops answering, then a signed-in request gets a 5xx error, not 401 or the sign-in page', async function () {
    this.timeout(120_000);
    await resetDatabase();
    const world = await createWorld();
    const user = await createUser({ office: world.root, roles: ['head'] });
    // Sessions on an engine of their own, so it can be stopped without stopping the run's database.
    engine = await startEmbeddedEngine({ dataDir: path.join(testDatabase().tmpDir, 'sessions-engine'), port: 0, projectRoot: PROJECT_ROOT, logger: testLogger, supervise: false });
    away = mongoose.createConnection(engine.uri, { dbName: 'sessions_only', serverSelectionTimeoutMS: 3_000 });
    await away.asPromise();
    server = await startAppWithSessionsOn(away);
    const { agent } = await signIn(server.url, user.username);
    await engine.stop();
    await sleep(1_200); // what the process holds is trusted until the marker is 1 s old (2 × the check interval)
    const page = await agent.get('/initiatives').redirects(0);
    expect(page.status, page.text.slice(0, 200)).to.be.within(500, 599);
    const api = await agent.get('/api/v1/me').set('Accept', 'application/json');
    expect(api.status).to.be.within(500, 599);
    expect(api.body.error?.code).to.be.a('string');
  });
});
