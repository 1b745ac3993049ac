// The account lockout under simultaneous attempts (issue 16, probe 3): a password is checked only after its
// attempt has claimed one of LOCKOUT_ATTEMPTS numbered slots, so a burst cannot get more checks than that.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { SignInSlot } from '../../src/features/auth/auth.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { TEST_PASSWORD, createUser, createWorld } from '../support/factories.js';
import { LOCKOUT_ENV, tokenRequest } from '../support/auth.js';

const ENV = LOCKOUT_ENV;

/** The password checks that failed, as the audit log counts them: one row per check, numbered. */
async function failedChecks(username: string): Promise<string[]> {
  const rows = await AuditEntry.find({ action: 'auth.sign-in-failed', 'actor.username': username }).lean();
  return rows.map((r) => String((r as { note?: string }).note)).sort();
}

describe('sign-in lockout under simultaneous attempts', function () {
  this.timeout(120_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ env: ENV });
  });
  afterEach(() => server.close());

  it('when 20 wrong passwords arrive at once, then exactly 5 are checked (5 × 401, numbered 1..5 once each) and 15 are refused as locked', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'burst' });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => tokenRequest(server.url, 'burst', `wrong-${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401), statuses.join(',')).to.have.length(5);
    expect(statuses.filter((s) => s === 429), statuses.join(',')).to.have.length(15);
    for (const locked of answers.filter((a) => a.status === 429)) expect(locked.body.error.code).to.equal('too_many_requests');
    expect(await failedChecks('burst')).to.deep.equal([1, 2, 3, 4, 5].map((n) => `failure ${n} of 5`));
    expect(await AuditEntry.countDocuments({ action: 'auth.account-locked', 'actor.username': 'burst' })).to.equal(1);
    expect(await AuditEntry.countDocuments({ action: 'auth.sign-in-refused-locked', 'actor.username': 'burst' })).to.equal(15);
    expect(await SignInSlot.countDocuments({ kind: 'slot', username: 'burst' })).to.equal(5);
    // And it stays locked for the right password.
    await tokenRequest(server.url, 'burst', TEST_PASSWORD).expect(429);
  });

  it('when the right password arrives in a burst of 15 wrong ones after the lock is reached, then it is refused too', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'inburst' });
    const wrong = Array.from({ length: 15 }, (_, i) => tokenRequest(server.url, 'inburst', `wrong-${i}`).then((r) => r.status));
    // Sent once the five slots are taken, while the burst is still being answered.
    const deadline = Date.now() + 30_000;
    while ((await SignInSlot.countDocuments({ kind: 'slot', username: 'inburst' })) < 5 && Date.now() < deadline) await sleep(20);
    const right = await tokenRequest(server.url, 'inburst', TEST_PASSWORD);
    const statuses = await Promise.all(wrong);
    expect(right.status, JSON.stringify(right.body)).to.equal(429);
    expect(right.body.token).to.equal(undefined);
    expect(statuses.filter((s) => s === 401)).to.have.length(5);
    expect(await AuditEntry.countDocuments({ action: 'auth.sign-in', 'actor.username': 'inburst' })).to.equal(0);
    expect(await failedChecks('inburst')).to.have.length(5);
  });

  it('when LOCKOUT_MINUTES have passed (injected clock), then the right password works and the count starts again', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'later' });
    for (let i = 1; i <= 5; i++) expect((await tokenRequest(server.url, 'later', 'bad')).status, `attempt ${i}`).to.equal(401);
    await tokenRequest(server.url, 'later', TEST_PASSWORD).expect(429);
    const almost = await startTestServer({ clock: new Date(Date.now() + 14 * 60_000).toISOString(), env: ENV });
    const after = await startTestServer({ clock: new Date(Date.now() + 16 * 60_000).toISOString(), env: ENV });
    try {
      const stillLocked = await tokenRequest(almost.url, 'later', TEST_PASSWORD).expect(429);
      expect(Number(stillLocked.headers['retry-after'] ?? stillLocked.body.error.details?.retryAfterSeconds ?? 0)).to.be.at.most(60 + 5);
      await tokenRequest(after.url, 'later', TEST_PASSWORD).expect(201);
      // A fresh count after the sign-in: four more wrong passwords are four 401s, not a lock.
      for (let i = 1; i <= 4; i++) expect((await tokenRequest(after.url, 'later', 'bad')).status, `after, attempt ${i}`).to.equal(401);
      await tokenRequest(after.url, 'later', TEST_PASSWORD).expect(201);
    } finally {
      await almost.close();
      await after.close();
    }
  });

  it('when a user signs in successfully after 4 wrong passwords, then the count starts again (4 more are not a lock; the 5th of them is)', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'reset' });
    for (let i = 1; i <= 4; i++) expect((await tokenRequest(server.url, 'reset', 'bad')).status).to.equal(401);
    await tokenRequest(server.url, 'reset', TEST_PASSWORD).expect(201);
    for (let i = 1; i <= 5; i++) expect((await tokenRequest(server.url, 'reset', 'bad')).status, `attempt ${i}`).to.equal(401);
    await tokenRequest(server.url, 'reset', TEST_PASSWORD).expect(429);
  });

  it('when wrong passwords are LOCKOUT_MINUTES apart, then they do not add up to a lock', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'slow' });
    for (let i = 1; i <= 4; i++) expect((await tokenRequest(server.url, 'slow', 'bad')).status).to.equal(401);
    const later = await startTestServer({ clock: new Date(Date.now() + 16 * 60_000).toISOString(), env: ENV });
    try {
      for (let i = 1; i <= 4; i++) expect((await tokenRequest(later.url, 'slow', 'bad')).status, `later, attempt ${i}`).to.equal(401);
      await tokenRequest(later.url, 'slow', TEST_PASSWORD).expect(201);
    } finally {
      await later.close();
    }
  });

  it('when the same burst goes to the sign-in page, then the page answers 401 five times and 429 for the rest', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'pageburst' });
    const agent = request.agent(server.url);
    const form = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => agent.post('/login').type('form').send({ _csrf: csrf, username: 'pageburst', password: `wrong-${i}` })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).to.deep.equal([...Array(5).fill(401), ...Array(7).fill(429)]);
    expect(await failedChecks('pageburst')).to.have.length(5);
  });
});
