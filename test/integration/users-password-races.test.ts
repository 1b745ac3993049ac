// A password change or reset beside a versioned save of the same user (an admin's edit). The engine applies every
// update as "read, apply, write the whole document back", so a password `$set` that takes no version claim can be
// undone by the edit's write-back: the old password (and its API tokens) would keep working.
import { expect } from 'chai';
import request from 'supertest';
import { saveVersioned } from '../../src/platform/db/versioned.js';
import { verifyPassword } from '../../src/features/users/password.js';
import { User } from '../../src/features/users/user.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { signIn, tokenFor } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { TEST_PASSWORD, createUser, createWorld } from '../support/factories.js';

/** Versioned edits of `userId` one after another until `stop` is set (each from the version it read). */
async function editLoop(userId: unknown, tag: string, stop: { done: boolean }): Promise<number> {
  let saved = 0;
  for (let i = 0; !stop.done; i += 1) {
    const doc = await User.findById(userId);
    if (!doc) throw new Error('user vanished');
    doc.nameBn = `সম্পাদনা ${tag} ${i}`;
    try {
      await saveVersioned('user', doc, { lost: async () => { throw new Error('lost'); } });
      saved += 1;
    } catch (err) {
      if ((err as Error).message !== 'lost') throw err;
    }
  }
  return saved;
}

describe('password writes beside versioned saves of the same user', function () {
  this.timeout(240_000);
  let server: TestServer;

  beforeEach(async () => {
    await resetDatabase();
    server = await startTestServer();
  });
  afterEach(() => server.close());

  it('when an admin resets a password while the person is being edited, then every reset that answers 200 is the password stored (the old one never comes back)', async () => {
    const world = await createWorld();
    const boss = await createUser({ office: world.root, roles: ['admin'] });
    const admin = { Authorization: `Bearer ${await tokenFor(server.url, boss.username)}` };
    const target = await createUser({ office: world.root, roles: ['monitor'] });
    const failures: string[] = [];
    let resets = 0;
    for (let trial = 0; trial < 6; trial += 1) {
      const stop = { done: false };
      const loops = [0, 1, 2].map((k) => editLoop(target._id, `${trial}-${k}`, stop));
      const answer = await request(server.url).post(`/api/v1/users/${target._id}/reset-password`).set(admin);
      // Let the edits run on past the reset's write, where a stale write-back would land.
      await new Promise((r) => setTimeout(r, 150));
      stop.done = true;
      await Promise.all(loops);
      expect([200, 409], JSON.stringify(answer.body)).to.include(answer.status);
      if (answer.status !== 200) continue;
      resets += 1;
      const stored = await User.findById(target._id).select('+passwordHash').lean();
      if (!(await verifyPassword(stored!.passwordHash, answer.body.oneTimePassword))) failures.push(`trial ${trial}: the reset password was lost`);
      if (await verifyPassword(stored!.passwordHash, TEST_PASSWORD)) failures.push(`trial ${trial}: the old password works again`);
      if (!stored!.mustChangePassword) failures.push(`trial ${trial}: mustChangePassword lost`);
    }
    expect(failures).to.deep.equal([]);
    expect(resets, 'most resets get through (they retry a lost version)').to.be.greaterThan(3);
  });

  it('when a person changes their own password while an admin edits them, then the new password is the one stored (or, refused as busy, the old one stays) and the edits are kept', async () => {
    const world = await createWorld();
    const failures: string[] = [];
    let busy = 0;
    for (let trial = 0; trial < 4; trial += 1) {
      const target = await createUser({ office: world.root, roles: ['monitor'] });
      const token = await tokenFor(server.url, target.username);
      const stop = { done: false };
      const loops = [0, 1, 2].map((k) => editLoop(target._id, `${trial}-${k}`, stop));
      const newPassword = `new-password-${trial}-xyz`;
      const answer = await request(server.url)
        .post('/api/v1/me/password')
        .set({ Authorization: `Bearer ${token}` })
        .send({ currentPassword: TEST_PASSWORD, newPassword });
      await new Promise((r) => setTimeout(r, 150));
      stop.done = true;
      const saved = (await Promise.all(loops)).reduce((a, b) => a + b, 0);
      // Against three admins saving without pause, a change may lose every retry on a loaded machine: then it
      // says so (409, "try again") and the old password stays. What must never happen is an answer that does
      // not match what is stored.
      expect(answer.status, JSON.stringify(answer.body)).to.be.oneOf([200, 204, 409]);
      const stored = await User.findById(target._id).select('+passwordHash').lean();
      if (answer.status === 409) {
        busy += 1;
        if (!(await verifyPassword(stored!.passwordHash, TEST_PASSWORD))) failures.push(`trial ${trial}: refused, yet the old password no longer works`);
      } else if (!(await verifyPassword(stored!.passwordHash, newPassword))) failures.push(`trial ${trial}: the new password was lost`);
      expect(saved, 'the edits were saved too').to.be.greaterThan(0);
      expect(stored!.nameBn).to.match(/^সম্পাদনা /);
    }
    expect(failures).to.deep.equal([]);
    expect(busy, 'at least one change gets through its retries').to.be.below(4);
  });

  it('when a person switches the page language while an admin resets their password, then the reset password is the one stored', async () => {
    const world = await createWorld();
    const boss = await createUser({ office: world.root, roles: ['admin'] });
    const admin = { Authorization: `Bearer ${await tokenFor(server.url, boss.username)}` };
    const failures: string[] = [];
    for (let trial = 0; trial < 6; trial += 1) {
      const target = await createUser({ office: world.root, roles: ['monitor'] });
      const { agent } = await signIn(server.url, target.username);
      const stop = { done: false };
      let switches = 0;
      const switching = (async () => {
        for (let i = 0; !stop.done; i += 1) {
          const res = await agent.get(`/profile?lang=${i % 2 ? 'bn' : 'en'}`).redirects(0);
          // Once the reset lands, every page leads to the password form.
          if (res.status !== 200) break;
          switches += 1;
        }
      })();
      const answer = await request(server.url).post(`/api/v1/users/${target._id}/reset-password`).set(admin);
      await new Promise((r) => setTimeout(r, 150));
      stop.done = true;
      await switching;
      expect(switches, 'the language was switched meanwhile').to.be.greaterThan(0);
      expect([200, 409], JSON.stringify(answer.body)).to.include(answer.status);
      if (answer.status !== 200) continue;
      const stored = await User.findById(target._id).select('+passwordHash').lean();
      if (!(await verifyPassword(stored!.passwordHash, answer.body.oneTimePassword))) failures.push(`trial ${trial}: the reset password was lost`);
    }
    expect(failures).to.deep.equal([]);
  });
});
