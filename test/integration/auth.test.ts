import { expect } from 'chai';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { SignInSlot } from '../../src/features/auth/auth.model.js';
import { ApiToken } from '../../src/features/users/api-tokens.js';
import { User } from '../../src/features/users/user.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { TEST_PASSWORD, createUser, createWorld } from '../support/factories.js';
import { csrfFrom, signIn, tokenFor } from '../support/auth.js';

describe('sign-in, sessions, CSRF and API tokens', function () {
  // Each sign-in verifies an argon2 hash (memory-hard by design): a lockout test makes six, which took over
  // 30 s on 2 cores beside other work.
  this.timeout(120_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ env: { LOCKOUT_ATTEMPTS: '5', LOCKOUT_MINUTES: '15' } });
  });
  afterEach(() => server.close());

  it('when a user signs in with the right password, then they reach their home page and the session id is renewed', async () => {
    await createUser({ office: world.root, roles: ['head'], username: 'dg', nameBn: 'মহাপরিচালক সাহেব' });
    const agent = request.agent(server.url);
    const form = await agent.get('/login').expect(200);
    const before = String(form.headers['set-cookie']).match(/udbhabon\.sid=([^;]+)/)?.[1];
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: 'DG ', password: TEST_PASSWORD }).expect(302);
    expect(res.headers.location).to.equal('/');
    const after = String(res.headers['set-cookie']).match(/udbhabon\.sid=([^;]+)/)?.[1];
    expect(before).to.be.a('string');
    expect(after).to.be.a('string').and.not.equal(before);
    expect(String(res.headers['set-cookie'])).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
    const home = await agent.get('/').expect(200);
    expect(home.text).to.include('মহাপরিচালক সাহেব');
    expect(home.text).to.include('data-role="head"');
    expect(home.text).to.include('স্বাক্ষরের অপেক্ষায় কার্যবিবরণী');
  });

  it('when the password is wrong, then a clear Bangla message is shown and the attempt is recorded and audited', async () => {
    await createUser({ office: world.root, roles: ['observer'], username: 'obs' });
    const agent = request.agent(server.url);
    const form = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: 'obs', password: 'wrong' }).expect(401);
    expect(res.text).to.include('ব্যবহারকারীর নাম বা পাসওয়ার্ড সঠিক নয়।');
    expect(res.text).to.include('value="obs"'); // the username is kept in the form
    expect(await SignInSlot.countDocuments({ kind: 'slot', username: 'obs' })).to.equal(1);
    expect(await AuditEntry.countDocuments({ action: 'auth.sign-in-failed', 'actor.username': 'obs' })).to.equal(1);
  });

  it('when the password is wrong 5 times, then the 6th attempt is locked out, even with the right password, saying how long to wait', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'mon' });
    const agent = request.agent(server.url);
    const csrf = csrfFrom((await agent.get('/login')).text);
    for (let i = 1; i <= 5; i++) {
      const r = await agent.post('/login').type('form').send({ _csrf: csrf, username: 'mon', password: `bad-${i}` });
      expect(r.status, `attempt ${i}`).to.equal(401);
    }
    const sixth = await agent.post('/login').type('form').send({ _csrf: csrf, username: 'mon', password: TEST_PASSWORD }).expect(429);
    expect(sixth.text).to.include('অ্যাকাউন্টটি সাময়িকভাবে বন্ধ আছে। ১৫ মিনিট পর আবার চেষ্টা করুন।');
    expect(Number(sixth.headers['retry-after'])).to.be.within(14 * 60, 15 * 60);
    const api = await request(server.url).post('/api/v1/auth/token').send({ username: 'mon', password: TEST_PASSWORD }).expect(429);
    expect(api.body.error.code).to.equal('too_many_requests');
    expect(await AuditEntry.countDocuments({ action: 'auth.account-locked' })).to.equal(1);
  });

  it('when the lockout time has passed, then the right password works again', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'mon2' });
    for (let i = 1; i <= 5; i++) {
      const r = await request(server.url).post('/api/v1/auth/token').send({ username: 'mon2', password: 'bad' });
      expect(r.status, `attempt ${i}`).to.equal(401);
    }
    await request(server.url).post('/api/v1/auth/token').send({ username: 'mon2', password: TEST_PASSWORD }).expect(429);
    const later = await startTestServer({ clock: new Date(Date.now() + 16 * 60_000).toISOString() });
    try {
      await request(later.url).post('/api/v1/auth/token').send({ username: 'mon2', password: TEST_PASSWORD }).expect(201);
    } finally {
      await later.close();
    }
  });

  it('when a form is posted without or with a wrong CSRF token, then 403 and nothing changes', async () => {
    await createUser({ office: world.root, roles: ['observer'], username: 'obs2' });
    const agent = request.agent(server.url);
    await agent.get('/login');
    const none = await agent.post('/login').type('form').send({ username: 'obs2', password: TEST_PASSWORD }).expect(403);
    expect(none.text).to.include('নিরাপত্তা টোকেন');
    await agent.post('/login').type('form').send({ _csrf: 'forged', username: 'obs2', password: TEST_PASSWORD }).expect(403);
    expect(await SignInSlot.countDocuments({ username: 'obs2' })).to.equal(0);
    const { agent: signed } = await signIn(server.url, 'obs2');
    await signed.post('/logout').type('form').send({}).expect(403);
    await signed.get('/').expect(200).expect((r) => expect(r.text).to.include('/logout')); // still signed in
  });

  it('when an API client exchanges credentials, then 201 {token, expiresAt}; a wrong password is 401 JSON; no token is 401', async () => {
    await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a', designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা' });
    const ok = await request(server.url).post('/api/v1/auth/token').send({ username: 'field-a', password: TEST_PASSWORD }).expect(201);
    expect(ok.body.token).to.match(/^udb_[A-Za-z0-9_-]{40,}$/);
    expect(new Date(ok.body.expiresAt).getTime()).to.be.greaterThan(Date.now());
    const bad = await request(server.url).post('/api/v1/auth/token').send({ username: 'field-a', password: 'nope' }).expect(401);
    expect(bad.body.error.code).to.equal('unauthorized');
    expect(bad.body.error.message).to.include('সঠিক নয়');
    await request(server.url).post('/api/v1/auth/token').send({ username: 'field-a' }).expect(400);
    await request(server.url).get('/api/v1/me').expect(401);
    await request(server.url).get('/api/v1/me').set('Authorization', 'Bearer udb_not-a-real-token').expect(401);
  });

  it('when /api/v1/me is called with a token, then it returns id, username, name, designation, roles and office', async () => {
    const u = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-b', nameBn: 'শারমিন', designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা' });
    const token = await tokenFor(server.url, 'field-b');
    const me = await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).to.include({ id: String(u._id), username: 'field-b', name: 'শারমিন', designation: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা' });
    expect(me.body.roles).to.deep.equal(['field_officer']);
    expect(me.body.office).to.deep.include({ id: String(world.upazilaA._id), name: 'উপজেলা ক' });
  });

  it('when the owner lists and revokes a token, then it stops working at once; the token is stored only as a hash', async () => {
    await createUser({ office: world.root, roles: ['innovation_officer'], username: 'io' });
    const token = await tokenFor(server.url, 'io');
    const auth = { Authorization: `Bearer ${token}` };
    const list = await request(server.url).get('/api/v1/tokens').set(auth).expect(200);
    expect(list.body.items).to.have.length(1);
    expect(JSON.stringify(list.body)).not.to.include(token);
    const stored = await ApiToken.find().lean();
    expect(JSON.stringify(stored)).not.to.include(token);
    await request(server.url).delete(`/api/v1/tokens/${list.body.items[0].id}`).set(auth).expect(204);
    await request(server.url).get('/api/v1/me').set(auth).expect(401);
  });

  it('when a user changes their password, then every API token issued before it gets 401 and a new token works', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'changer' });
    const first = { Authorization: `Bearer ${await tokenFor(server.url, 'changer')}` };
    const second = { Authorization: `Bearer ${await tokenFor(server.url, 'changer')}` };
    await request(server.url).get('/api/v1/me').set(first).expect(200);
    const newPassword = 'a-new-password-2026';
    await request(server.url).post('/api/v1/me/password').set(first).send({ currentPassword: TEST_PASSWORD, newPassword }).expect(204);
    await request(server.url).get('/api/v1/me').set(first).expect(401);
    await request(server.url).get('/api/v1/me').set(second).expect(401);
    const fresh = { Authorization: `Bearer ${await tokenFor(server.url, 'changer', newPassword)}` };
    await request(server.url).get('/api/v1/me').set(fresh).expect(200);
  });

  it('when an admin resets a password, then the user’s earlier API tokens get 401', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'resetter' });
    const u = await createUser({ office: world.root, roles: ['monitor'], username: 'forgetful' });
    const theirs = { Authorization: `Bearer ${await tokenFor(server.url, 'forgetful')}` };
    await request(server.url).get('/api/v1/me').set(theirs).expect(200);
    const admin = { Authorization: `Bearer ${await tokenFor(server.url, 'resetter')}` };
    await request(server.url).post(`/api/v1/users/${u._id}/reset-password`).set(admin).expect(200);
    await request(server.url).get('/api/v1/me').set(theirs).expect(401);
    await request(server.url).get('/api/v1/me').set(admin).expect(200);
  });

  it('when a token stored before tokens were stamped meets a password change, then it works until the change and not after', async () => {
    const u = await createUser({ office: world.root, roles: ['monitor'], username: 'oldtoken' });
    const token = await tokenFor(server.url, 'oldtoken');
    await ApiToken.collection.updateMany({ user: u._id }, { $unset: { passwordStamp: '' } });
    const auth = { Authorization: `Bearer ${token}` };
    await request(server.url).get('/api/v1/me').set(auth).expect(200);
    await request(server.url).post('/api/v1/me/password').set(auth).send({ currentPassword: TEST_PASSWORD, newPassword: 'another-password-2026' }).expect(204);
    await request(server.url).get('/api/v1/me').set(auth).expect(401);
  });

  it('when the session cookie is written with a space before "=", then it still needs the CSRF token for an API write (403, nothing changed)', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'spaced' });
    const agent = request.agent(server.url);
    const form = await agent.get('/login').expect(200);
    const signedIn = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: 'spaced', password: TEST_PASSWORD }).expect(302);
    const value = /udbhabon\.sid=([^;]+)/.exec(String(signedIn.headers['set-cookie']))?.[1];
    expect(value).to.be.a('string');
    const csrf = csrfFrom((await agent.get('/').expect(200)).text);
    const token = await tokenFor(server.url, 'spaced');
    const tokenId = (await agent.get('/api/v1/tokens').expect(200)).body.items[0].id as string;
    // The session cookie sent by hand in the odd spelling.
    const spaced = `udbhabon.sid =${value}`;
    // It authenticates (so a 403 below is the CSRF check, not a missing sign-in) ...
    const me = await request(server.url).get('/api/v1/me').set('Cookie', spaced).expect(200);
    expect(me.body.username).to.equal('spaced');
    // ... so a write without the token is refused, and the token still works.
    const refused = await request(server.url).delete(`/api/v1/tokens/${tokenId}`).set('Cookie', spaced).expect(403);
    expect(refused.body.error.code).to.equal('forbidden');
    await request(server.url).delete(`/api/v1/tokens/${tokenId}`).set('Cookie', ` ${spaced.replace('=', '\t=')}`).expect(403);
    await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    // With the session's CSRF token the same write goes through.
    await request(server.url).delete(`/api/v1/tokens/${tokenId}`).set('Cookie', spaced).set('X-CSRF-Token', csrf).expect(204);
    await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('when a deactivated user has a session or a token, then both stop working', async () => {
    const u = await createUser({ office: world.root, roles: ['monitor'], username: 'leaver' });
    const { agent } = await signIn(server.url, 'leaver');
    const token = await tokenFor(server.url, 'leaver');
    await User.updateOne({ _id: u._id }, { $set: { active: false } });
    await agent.get('/').expect(200).expect((r) => expect(r.text).to.include('href="/login"'));
    await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    await request(server.url).post('/api/v1/auth/token').send({ username: 'leaver', password: TEST_PASSWORD }).expect(401);
  });

  it('when a user holds an acting charge in force today, then they act with that post too, and not after it ends', async () => {
    const u = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'acting' });
    await User.updateOne(
      { _id: u._id },
      { $push: { actingCharges: { office: world.districtB._id, roles: ['head'], designationBn: 'উপপরিচালক', from: '2025-01-01', to: '2025-12-31' } } },
    );
    const during = await startTestServer({ clock: '2025-06-01T06:00:00Z' });
    const after = await startTestServer({ clock: '2026-01-02T06:00:00Z' });
    try {
      const meDuring = await request(during.url).get('/api/v1/me').set('Authorization', `Bearer ${await tokenFor(during.url, 'acting')}`).expect(200);
      expect(meDuring.body.roles).to.have.members(['field_officer', 'head']);
      expect(meDuring.body.posts[1]).to.deep.include({ designation: 'উপপরিচালক', acting: true });
      const meAfter = await request(after.url).get('/api/v1/me').set('Authorization', `Bearer ${await tokenFor(after.url, 'acting')}`).expect(200);
      expect(meAfter.body.roles).to.deep.equal(['field_officer']);
    } finally {
      await during.close();
      await after.close();
    }
  });

  it('when a signed-in user switches to English, then the choice is saved for them and used in a new session', async () => {
    const u = await createUser({ office: world.root, roles: ['observer'], username: 'lang' });
    const first = await signIn(server.url, 'lang');
    await first.agent.get('/?lang=en').expect(200);
    expect((await User.findById(u._id).lean())?.language).to.equal('en');
    const second = await signIn(server.url, 'lang');
    const page = await second.agent.get('/').set('Cookie', '').expect(200);
    expect(page.text).to.include('<html lang="en">');
  });

  it('when too many sign-in requests come from one address, then it is told how long to wait', async () => {
    const limited = await startTestServer({ env: { LOGIN_RATE_LIMIT: '3' } });
    try {
      for (let i = 0; i < 3; i++) await request(limited.url).post('/api/v1/auth/token').send({ username: 'x', password: 'y' });
      const res = await request(limited.url).post('/api/v1/auth/token').send({ username: 'x', password: 'y' }).expect(429);
      expect(res.body.error.message).to.match(/মিনিট পর আবার চেষ্টা করুন/);
      expect(Number(res.headers['retry-after'])).to.be.greaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
