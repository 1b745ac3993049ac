// Users through HTTP against the real database: admin pages and API, one-time passwords, profiles,
// acting charges, tokens, office scope, search, and the audit trail of every change.
import { expect } from 'chai';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { User } from '../../src/features/users/user.model.js';
import { searchKey } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { csrfFrom, signIn, tokenFor } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { TEST_PASSWORD, createUser, createWorld } from '../support/factories.js';

/** A urlencoded body with repeated keys for lists (roles=a&roles=b), as a browser sends checkboxes. */
function form(fields: Record<string, string | readonly string[] | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.append(k, String(v));
  }
  return p.toString();
}

function oneTimePasswordIn(html: string): string {
  const m = /data-testid="one-time-password">([^<]+)</.exec(html);
  if (!m) throw new Error(`no one-time password on the page: ${html.slice(0, 500)}`);
  return m[1]!;
}

async function auditOf(action: string, entityId?: string) {
  return AuditEntry.find({ action, ...(entityId ? { 'entity.id': entityId } : {}) }).lean();
}

describe('users: admin pages and API, profile, password, acting charges and tokens', () => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '10000' } });
  });
  afterEach(() => server.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('when an admin creates a user through the page, then the one-time password is shown once, the new user must change it, and then reaches home', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    const { agent, csrf } = await signIn(server.url, 'admin');
    const page = await agent.get('/admin/users/new').expect(200);
    expect(page.text).to.include('উপজেলা ক').and.include('name="roles" value="field_officer"').and.include('মাঠ পর্যায়ের কর্মকর্তা');
    const created = await agent
      .post('/admin/users/new')
      .type('form')
      .send(
        form({
          _csrf: csrf,
          username: ' Rahima.K ',
          nameBn: 'রহিমা খাতুন',
          nameEn: 'Rahima Khatun',
          designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা',
          designationEn: 'Upazila Women Affairs Officer',
          office: String(world.upazilaA._id),
          roles: ['field_officer', 'innovation_officer'],
          email: 'Rahima@Example.org',
          phone: '০১৭১১-১২৩৪৫৬',
          language: 'bn',
        }),
      )
      .expect(200);
    expect(created.headers['cache-control']).to.include('no-store');
    const otp = oneTimePasswordIn(created.text);
    expect(otp).to.have.length.of.at.least(12);
    const stored = await User.findOne({ username: 'rahima.k' }).select('+passwordHash').lean();
    expect(stored).to.deep.include({
      nameBn: 'রহিমা খাতুন',
      email: 'rahima@example.org',
      phone: '01711-123456',
      mustChangePassword: true,
      active: true,
    });
    expect(stored!.roles).to.have.members(['field_officer', 'innovation_officer']);
    expect(stored!.searchText).to.equal(searchKey('রহিমা খাতুন Rahima Khatun rahima.k উপজেলা মহিলা বিষয়ক কর্মকর্তা'));
    expect(stored!.passwordHash).to.not.include(otp);
    const [audit] = await auditOf('user.create', String(stored!._id));
    expect(audit!.changes.find((c) => c.field === 'nameBn')).to.deep.include({ before: null, after: 'রহিমা খাতুন' });
    expect(audit!.changes.find((c) => c.field === 'password')).to.deep.include({ before: '••••', after: '••••' });
    expect(JSON.stringify(audit)).to.not.include(otp);
    // The admin's user page does not show it again.
    expect((await agent.get(`/admin/users/${stored!._id}`).expect(200)).text).to.not.include(otp);

    const newcomer = request.agent(server.url);
    const login = await newcomer.get('/login');
    const signedIn = await newcomer
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), username: 'rahima.k', password: otp })
      .expect(302);
    expect(signedIn.headers.location).to.equal('/profile/password');
    expect((await newcomer.get('/profile').expect(302)).headers.location).to.equal('/profile/password');
    const pw = await newcomer.get('/profile/password').expect(200);
    expect(pw.text).to.include('data-testid="must-change"');
    const token = csrfFrom(pw.text);
    const wrong = await newcomer
      .post('/profile/password')
      .type('form')
      .send({ _csrf: token, currentPassword: 'nope', newPassword: 'a-long-new-secret', confirmPassword: 'a-long-new-secret' })
      .expect(400);
    expect(wrong.text)
      .to.include('বর্তমান পাসওয়ার্ড সঠিক নয়।')
      .and.match(/id="f-currentPassword"[^>]*aria-invalid="true"/);
    const short = await newcomer
      .post('/profile/password')
      .type('form')
      .send({ _csrf: token, currentPassword: otp, newPassword: 'short', confirmPassword: 'short' })
      .expect(400);
    expect(short.text)
      .to.include('কমপক্ষে ১০ অক্ষর')
      .and.match(/id="f-newPassword"[^>]*aria-invalid="true"/);
    await newcomer
      .post('/profile/password')
      .type('form')
      .send({ _csrf: token, currentPassword: otp, newPassword: 'rahima.k', confirmPassword: 'rahima.k' })
      .expect(400);
    await newcomer
      .post('/profile/password')
      .type('form')
      .send({ _csrf: token, currentPassword: otp, newPassword: 'mismatch-one-1', confirmPassword: 'mismatch-two-2' })
      .expect(400);
    const changed = await newcomer
      .post('/profile/password')
      .type('form')
      .send({ _csrf: token, currentPassword: otp, newPassword: 'নদী ও নৌকা ২০২৫', confirmPassword: 'নদী ও নৌকা ২০২৫' })
      .expect(302);
    expect(changed.headers.location).to.equal('/');
    const home = await newcomer.get('/').expect(200);
    expect(home.text).to.include('data-role="field_officer"').and.include('আপনার পাসওয়ার্ড বদলানো হয়েছে।');
    await newcomer.get('/profile').expect(200);
    const after = await User.findOne({ username: 'rahima.k' }).lean();
    expect(after!.mustChangePassword).to.equal(false);
    expect(after!.passwordChangedAt).to.be.instanceOf(Date);
    const [pwAudit] = await auditOf('user.password-change', String(after!._id));
    expect(pwAudit!.changes).to.deep.include({ field: 'password', before: '••••', after: '••••' });
    expect(pwAudit!.changes).to.deep.include({ field: 'mustChangePassword', before: true, after: false });
    await signIn(server.url, 'rahima.k', 'নদী ও নৌকা ২০২৫');
  });

  it('when an admin creates a user through the API, then 201 with the one-time password, which works once changed through /api/v1/me/password', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    const admin = bearer(await tokenFor(server.url, 'admin'));
    const res = await request(server.url)
      .post('/api/v1/users')
      .set(admin)
      .send({
        username: 'api.monitor',
        nameBn: 'মনিটর',
        designationBn: 'সহকারী পরিচালক',
        office: String(world.districtA._id),
        roles: ['monitor'],
      })
      .expect(201);
    expect(res.body).to.deep.include({
      username: 'api.monitor',
      name: 'মনিটর',
      designation: 'সহকারী পরিচালক',
      active: true,
      mustChangePassword: true,
      version: 0,
    });
    expect(res.body.office).to.deep.include({ id: String(world.districtA._id), name: 'জেলা ক' });
    expect(res.body.oneTimePassword).to.be.a('string').with.length.of.at.least(12);
    const first = bearer(await tokenFor(server.url, 'api.monitor', res.body.oneTimePassword));
    await request(server.url)
      .post('/api/v1/me/password')
      .set(first)
      .send({ currentPassword: res.body.oneTimePassword, newPassword: 'short' })
      .expect(400);
    await request(server.url)
      .post('/api/v1/me/password')
      .set(first)
      .send({ currentPassword: res.body.oneTimePassword, newPassword: 'a-much-longer-secret' })
      .expect(204);
    await request(server.url).post('/api/v1/auth/token').send({ username: 'api.monitor', password: res.body.oneTimePassword }).expect(401);
    await tokenFor(server.url, 'api.monitor', 'a-much-longer-secret');
    const openapi = await request(server.url).get('/api/v1/openapi.json').expect(200);
    expect(Object.keys(openapi.body.paths)).to.include.members([
      '/api/v1/users',
      '/api/v1/users/{userId}',
      '/api/v1/users/{userId}/acting-charges/{chargeId}',
      '/api/v1/me/password',
    ]);
  });

  it('when the username is taken, then the form shows the error beside the field with the values kept, and nothing is saved', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'shirin' });
    const { agent, csrf } = await signIn(server.url, 'admin');
    const before = await User.countDocuments();
    const res = await agent
      .post('/admin/users/new')
      .type('form')
      .send(
        form({
          _csrf: csrf,
          username: 'SHIRIN',
          nameBn: 'শিরিন আক্তার',
          designationBn: 'কর্মকর্তা',
          office: String(world.upazilaA._id),
          roles: ['field_officer'],
          language: 'bn',
        }),
      )
      .expect(400);
    expect(res.text).to.match(/id="f-username"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*f-username-error/);
    expect(res.text).to.include('id="f-username-error">এই ব্যবহারকারীর নাম আগে থেকেই আছে');
    expect(res.text)
      .to.include('value="শিরিন আক্তার"')
      .and.match(/value="field_officer" checked/);
    const bad = await agent
      .post('/admin/users/new')
      .type('form')
      .send(form({ _csrf: csrf, username: 'no', nameBn: '', designationBn: 'x', office: '', language: 'bn' }))
      .expect(400);
    expect(bad.text)
      .to.include('id="f-username-error"')
      .and.include('id="f-nameBn-error"')
      .and.include('id="f-roles-error"')
      .and.include('id="f-office-error"');
    const api = await request(server.url)
      .post('/api/v1/users')
      .set(bearer(await tokenFor(server.url, 'admin')))
      .send({ username: 'shirin', nameBn: 'শিরিন', designationBn: 'কর্মকর্তা', office: String(world.upazilaA._id), roles: ['field_officer'] })
      .expect(400);
    expect(api.body.error.fields.username).to.include('আগে থেকেই আছে');
    expect(await User.countDocuments()).to.equal(before);
    expect(await AuditEntry.countDocuments({ action: 'user.create' })).to.equal(0);
  });

  it('when a PATCH carries a stale version, then 409 names the fields changed meanwhile and nothing is saved', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    const u = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'target', nameBn: 'পুরোনো নাম' });
    const admin = bearer(await tokenFor(server.url, 'admin'));
    const read = await request(server.url).get(`/api/v1/users/${u._id}`).set(admin).expect(200);
    const v = read.body.version as number;
    const first = await request(server.url)
      .patch(`/api/v1/users/${u._id}`)
      .set(admin)
      .send({ version: v, phone: '01700-000000', designationBn: 'নতুন পদবি' })
      .expect(200);
    expect(first.body.version).to.equal(v + 1);
    const stale = await request(server.url).patch(`/api/v1/users/${u._id}`).set(admin).send({ version: v, nameBn: 'নতুন নাম' }).expect(409);
    expect(stale.body.error.code).to.equal('conflict');
    expect(stale.body.error.details.changed).to.have.members(['phone', 'designationBn']);
    expect(stale.body.error.details.version).to.equal(v + 1);
    expect((await User.findById(u._id).lean())!.nameBn).to.equal('পুরোনো নাম');
    await request(server.url).patch(`/api/v1/users/${u._id}`).set(admin).send({ nameBn: 'নতুন নাম' }).expect(400); // the version is required
    await request(server.url)
      .patch(`/api/v1/users/${u._id}`)
      .set(admin)
      .send({ version: v + 1, username: 'renamed' })
      .expect(400);

    // The edit page shows the same conflict and keeps what was typed.
    const { agent, csrf } = await signIn(server.url, 'admin');
    const page = await agent
      .post(`/admin/users/${u._id}/edit`)
      .type('form')
      .send(
        form({
          _csrf: csrf,
          version: v,
          nameBn: 'পাতা থেকে নাম',
          designationBn: 'পুরোনো পদবি',
          office: String(world.upazilaA._id),
          roles: ['field_officer'],
          language: 'bn',
        }),
      )
      .expect(409);
    expect(page.text).to.include('id="conflict"').and.include('ফোন').and.include('01700-000000').and.include('value="পাতা থেকে নাম"');
    expect(page.text).to.include(`name="version" value="${v + 1}"`);
    // The other person's changes are now in the form; saving again keeps both edits.
    expect(page.text)
      .to.match(/id="f-phone"[^>]*value="01700-000000"/)
      .and.match(/id="f-designationBn"[^>]*value="নতুন পদবি"/);
    await agent
      .post(`/admin/users/${u._id}/edit`)
      .type('form')
      .send(
        form({
          _csrf: csrf,
          version: v + 1,
          nameBn: 'পাতা থেকে নাম',
          designationBn: 'নতুন পদবি',
          phone: '01700-000000',
          office: String(world.upazilaA._id),
          roles: ['field_officer'],
          language: 'bn',
        }),
      )
      .expect(302);
    expect(await User.findById(u._id).lean()).to.deep.include({
      nameBn: 'পাতা থেকে নাম',
      phone: '01700-000000',
      designationBn: 'নতুন পদবি',
    });
  });

  it('when an admin of district A works, then district B people are not found, cannot be changed, and cannot be created there', async () => {
    await createUser({ office: world.districtA, roles: ['admin'], username: 'admin-a' });
    const inA = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'in-a', nameBn: 'ক জেলার কর্মী' });
    const inB = await createUser({ office: world.upazilaB, roles: ['field_officer'], username: 'in-b', nameBn: 'খ জেলার কর্মী' });
    const { agent, csrf } = await signIn(server.url, 'admin-a');
    const list = await agent.get('/admin/users').expect(200);
    expect(list.text).to.include('ক জেলার কর্মী').and.not.include('খ জেলার কর্মী');
    expect(list.text).to.not.include('জেলা খ'); // not even in the office filter
    await agent.get(`/admin/users/${inB._id}`).expect(404);
    await agent.get(`/admin/users/${inB._id}/edit`).expect(404);
    await agent.post(`/admin/users/${inB._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(404);
    await agent.post(`/admin/users/${inB._id}/reset-password`).type('form').send({ _csrf: csrf }).expect(404);
    await agent.post(`/admin/users/${inB._id}/edit`).type('form').send({ _csrf: csrf }).expect(404);
    await agent.get(`/admin/users/${inA._id}`).expect(200);
    const token = bearer(await tokenFor(server.url, 'admin-a'));
    await request(server.url).get(`/api/v1/users/${inB._id}`).set(token).expect(404);
    await request(server.url).patch(`/api/v1/users/${inB._id}`).set(token).send({ version: 0, nameBn: 'x' }).expect(404);
    await request(server.url).patch(`/api/v1/users/${inB._id}`).set(token).send({}).expect(404);
    await request(server.url).post(`/api/v1/users/${inB._id}/acting-charges`).set(token).send({}).expect(404);
    const api = await request(server.url).get('/api/v1/users').set(token).expect(200);
    expect(api.body.items.map((i: { username: string }) => i.username))
      .to.include('in-a')
      .and.not.include('in-b');
    const before = await User.countDocuments();
    const refused = await request(server.url)
      .post('/api/v1/users')
      .set(token)
      .send({ username: 'sneaky', nameBn: 'অন্য জেলা', designationBn: 'কর্মকর্তা', office: String(world.upazilaB._id), roles: ['admin'] })
      .expect(400);
    expect(refused.body.error.fields.office).to.be.a('string');
    const page = await agent
      .post('/admin/users/new')
      .type('form')
      .send(
        form({
          _csrf: csrf,
          username: 'sneaky2',
          nameBn: 'অন্য জেলা',
          designationBn: 'কর্মকর্তা',
          office: String(world.districtB._id),
          roles: ['field_officer'],
          language: 'bn',
        }),
      )
      .expect(400);
    expect(page.text).to.include('id="f-office-error"');
    // Moving someone of A into B is refused the same way.
    await request(server.url)
      .patch(`/api/v1/users/${inA._id}`)
      .set(token)
      .send({ version: 0, office: String(world.upazilaB._id) })
      .expect(400);
    expect(await User.countDocuments()).to.equal(before);
    expect(String((await User.findById(inA._id).lean())!.office)).to.equal(String(world.upazilaA._id));
  });

  it('when a field officer of upazila A reads people, then upazila B is not found through pages or API, and admin routes are forbidden', async () => {
    const field = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a' });
    const colleague = await createUser({ office: world.upazilaA, roles: ['innovation_officer'], username: 'colleague', nameBn: 'সহকর্মী' });
    const other = await createUser({ office: world.upazilaB, roles: ['field_officer'], username: 'field-b' });
    const { agent, csrf } = await signIn(server.url, 'field-a');
    await agent.get(`/users/${other._id}`).expect(404);
    expect((await agent.get(`/users/${colleague._id}`).expect(200)).text).to.include('সহকর্মী');
    const directory = await agent.get('/users').expect(200);
    expect(directory.text).to.include('colleague').and.not.include('field-b');
    await agent.get('/admin/users').expect(403);
    await agent.get(`/admin/users/${colleague._id}`).expect(403);
    await agent.post(`/admin/users/${colleague._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(403);
    const token = bearer(await tokenFor(server.url, 'field-a'));
    await request(server.url).get(`/api/v1/users/${other._id}`).set(token).expect(404);
    const own = await request(server.url).get(`/api/v1/users/${colleague._id}`).set(token).expect(200);
    expect(own.body).to.include({ username: 'colleague', name: 'সহকর্মী' });
    const list = await request(server.url).get('/api/v1/users').set(token).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).to.have.members([String(field._id), String(colleague._id)]);
    await request(server.url).post('/api/v1/users').set(token).send({}).expect(403);
    await request(server.url).patch(`/api/v1/users/${colleague._id}`).set(token).send({ version: 0, nameBn: 'x' }).expect(403);
    await request(server.url).post(`/api/v1/users/${colleague._id}/reset-password`).set(token).expect(403);
  });

  it('when an observer uses the system, then they can read people and edit only their own profile', async () => {
    const obs = await createUser({ office: world.root, roles: ['observer'], username: 'observer', nameBn: 'পর্যবেক্ষক সাহেব' });
    const someone = await createUser({ office: world.upazilaB, roles: ['field_officer'], username: 'someone' });
    const token = bearer(await tokenFor(server.url, 'observer'));
    const list = await request(server.url).get('/api/v1/users').set(token).expect(200);
    expect(list.body.total).to.equal(2);
    await request(server.url).get(`/api/v1/users/${someone._id}`).set(token).expect(200);
    await request(server.url).patch(`/api/v1/users/${someone._id}`).set(token).send({ version: 0, nameBn: 'x' }).expect(403);
    await request(server.url).post(`/api/v1/users/${someone._id}/reset-password`).set(token).expect(403);
    await request(server.url).post(`/api/v1/users/${someone._id}/acting-charges`).set(token).send({}).expect(403);
    await request(server.url).delete(`/api/v1/users/${someone._id}/acting-charges/000000000000000000000000`).set(token).expect(403);
    await request(server.url).post('/api/v1/users').set(token).send({}).expect(403);
    const { agent } = await signIn(server.url, 'observer');
    await agent.get('/admin/users').expect(403);
    await agent.get('/admin/users/new').expect(403);
    await agent.get('/users').expect(200);
    // Their own profile, yes; their roles or office, no.
    await request(server.url)
      .patch('/api/v1/me')
      .set(token)
      .send({ roles: ['admin'] })
      .expect(400);
    await request(server.url)
      .patch('/api/v1/me')
      .set(token)
      .send({ office: String(world.districtA._id) })
      .expect(400);
    const me = await request(server.url)
      .patch('/api/v1/me')
      .set(token)
      .send({ nameEn: 'The Observer', phone: '০১৮১৯-০০০০০০', language: 'en' })
      .expect(200);
    expect(me.body).to.deep.include({ nameEn: 'The Observer', phone: '01819-000000', language: 'en', roles: ['observer'] });
    const stored = await User.findById(obs._id).lean();
    expect(stored!.roles).to.deep.equal(['observer']);
    expect(stored!.searchText).to.include('the observer');
    const [audit] = await auditOf('user.profile-update', String(obs._id));
    expect(audit!.changes).to.deep.include({
      field: 'nameEn',
      before: stored ? audit!.changes.find((c) => c.field === 'nameEn')!.before : null,
      after: 'The Observer',
    });
  });

  it('when a Bangla name is searched with য় typed as one code point or as য + nukta, then it is found either way', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    const composed = 'ময়না বেগম'.replace(/য়/g, '\u09DF');
    const decomposed = 'সুরাইয়া পারভীন'.replace(/য়|\u09DF/g, '\u09AF\u09BC');
    const mayna = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'mayna', nameBn: composed });
    const suraiya = await createUser({ office: world.upazilaB, roles: ['monitor'], username: 'suraiya', nameBn: decomposed });
    const token = bearer(await tokenFor(server.url, 'admin'));
    const find = async (q: string) =>
      (await request(server.url).get('/api/v1/users').query({ q }).set(token).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await find('ম\u09AF\u09BCনা')).to.deep.equal([String(mayna._id)]);
    expect(await find('ম\u09DFনা')).to.deep.equal([String(mayna._id)]);
    expect(await find('সুরাই\u09DFা')).to.deep.equal([String(suraiya._id)]);
    expect(await find('সুরাই\u09AF\u09BCা')).to.deep.equal([String(suraiya._id)]);
    expect(await find('MAYNA')).to.deep.equal([String(mayna._id)]);
    expect(await find('(.*')).to.deep.equal([]); // typed text, not a pattern
    const byOffice = await request(server.url)
      .get('/api/v1/users')
      .query({ office: String(world.districtA._id) })
      .set(token)
      .expect(200);
    expect(byOffice.body.items.map((i: { id: string }) => i.id)).to.deep.equal([String(mayna._id)]);
    const byRole = await request(server.url).get('/api/v1/users').query({ role: 'monitor' }).set(token).expect(200);
    expect(byRole.body).to.deep.include({ total: 1, page: 1 });
    expect(byRole.body.items[0]).to.deep.include({ id: String(suraiya._id), username: 'suraiya', roles: ['monitor'], active: true });
    expect(byRole.body.items[0].office).to.deep.equal({ id: String(world.upazilaB._id), name: 'উপজেলা খ', nameEn: world.upazilaB.nameEn });
    const { agent } = await signIn(server.url, 'admin');
    const page = await agent.get('/admin/users').query({ q: 'ম\u09AF\u09BCনা' }).expect(200);
    expect(page.text).to.include('data-testid="users-total">১<').and.include('mayna').and.not.include('suraiya');
  });

  it('when an admin gives an acting charge with Bangla dates, then /api/v1/me shows the extra post during the range only, and removing it is audited', async () => {
    const clock = '2025-04-01T06:00:00Z';
    const during = await startTestServer({ clock, env: { LOGIN_RATE_LIMIT: '10000' } });
    const later = await startTestServer({ clock: '2025-07-01T06:00:00Z', env: { LOGIN_RATE_LIMIT: '10000' } });
    try {
      await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
      const u = await createUser({
        office: world.upazilaA,
        roles: ['field_officer'],
        username: 'acting',
        designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা',
      });
      const { agent, csrf } = await signIn(during.url, 'admin');
      const bad = await agent
        .post(`/admin/users/${u._id}/acting`)
        .type('form')
        .send(
          form({
            _csrf: csrf,
            office: String(world.districtB._id),
            roles: ['head'],
            designationBn: 'উপপরিচালক',
            from: '৩০/০৬/২০২৫',
            to: '১২/০৩/২০২৫',
          }),
        )
        .expect(400);
      expect(bad.text)
        .to.match(/id="a-to"[^>]*aria-invalid="true"/)
        .and.include('id="a-to-error"')
        .and.include('value="উপপরিচালক"');
      const added = await agent
        .post(`/admin/users/${u._id}/acting`)
        .type('form')
        .send(
          form({
            _csrf: csrf,
            office: String(world.districtB._id),
            roles: ['head'],
            designationBn: 'উপপরিচালক',
            designationEn: 'Deputy Director',
            from: '১২/০৩/২০২৫',
            to: '৩০/০৬/২০২৫',
            note: 'স্মারক নং ১২',
          }),
        )
        .expect(302);
      expect(added.headers.location).to.equal(`/admin/users/${u._id}#acting`);
      const show = await agent.get(`/admin/users/${u._id}`).expect(200);
      expect(show.text)
        .to.include('উপপরিচালক (চলতি দায়িত্ব)')
        .and.include('১২/০৩/২০২৫')
        .and.include('data-status="current"')
        .and.include('চলতি/অতিরিক্ত দায়িত্ব যোগ করা হয়েছে।');

      const meDuring = await request(during.url)
        .get('/api/v1/me')
        .set(bearer(await tokenFor(during.url, 'acting')))
        .expect(200);
      expect(meDuring.body.roles).to.have.members(['field_officer', 'head']);
      expect(meDuring.body.posts).to.have.length(2);
      expect(meDuring.body.posts[1]).to.deep.include({ designation: 'উপপরিচালক', acting: true });
      expect(meDuring.body.posts[1].office).to.deep.include({ id: String(world.districtB._id) });
      const meLater = await request(later.url)
        .get('/api/v1/me')
        .set(bearer(await tokenFor(later.url, 'acting')))
        .expect(200);
      expect(meLater.body.posts).to.have.length(1);

      // During the charge, district B's people find the acting deputy director; afterwards they do not.
      await createUser({ office: world.districtB, roles: ['head'], username: 'head-b' });
      const inB = async (url: string) =>
        (
          await request(url)
            .get('/api/v1/users')
            .query({ role: 'head' })
            .set(bearer(await tokenFor(url, 'head-b')))
            .expect(200)
        ).body.items.map((i: { username: string }) => i.username);
      expect(await inB(during.url)).to.have.members(['head-b', 'acting']);
      expect(await inB(later.url)).to.deep.equal(['head-b']);

      const [addAudit] = await auditOf('user.acting-add', String(u._id));
      expect(addAudit!.changes[0]).to.deep.include({ field: 'actingCharge', before: null });
      expect(addAudit!.changes[0]!.after).to.deep.include({
        designationBn: 'উপপরিচালক',
        from: '2025-03-12',
        to: '2025-06-30',
        office: String(world.districtB._id),
      });

      const detail = await request(during.url)
        .get(`/api/v1/users/${u._id}`)
        .set(bearer(await tokenFor(during.url, 'admin')))
        .expect(200);
      expect(detail.body.actingCharges).to.have.length(1);
      expect(detail.body.actingCharges[0]).to.deep.include({
        designation: 'উপপরিচালক',
        from: '2025-03-12',
        to: '2025-06-30',
        status: 'current',
      });
      const chargeId = detail.body.actingCharges[0].id as string;
      const admin = bearer(await tokenFor(during.url, 'admin'));
      const viaApi = await request(during.url)
        .post(`/api/v1/users/${u._id}/acting-charges`)
        .set(admin)
        .send({ office: String(world.upazilaB._id), roles: ['monitor'], designationBn: 'মনিটর', from: '2025-05-01', to: '2025-05-31' })
        .expect(201);
      expect(viaApi.body).to.deep.include({ status: 'upcoming', designation: 'মনিটর' });
      await request(during.url).delete(`/api/v1/users/${u._id}/acting-charges/${chargeId}`).set(admin).expect(204);
      await request(during.url).delete(`/api/v1/users/${u._id}/acting-charges/${chargeId}`).set(admin).expect(404);
      await agent.post(`/admin/users/${u._id}/acting/${viaApi.body.id}/remove`).type('form').send({ _csrf: csrf }).expect(302);
      expect((await User.findById(u._id).lean())!.actingCharges).to.have.length(0);
      const removals = await auditOf('user.acting-remove', String(u._id));
      expect(removals).to.have.length(2);
      expect(removals.map((r) => (r.changes[0]!.before as { designationBn: string }).designationBn)).to.have.members([
        'উপপরিচালক',
        'মনিটর',
      ]);
      expect(removals.every((r) => r.changes[0]!.after === null)).to.equal(true);
    } finally {
      await during.close();
      await later.close();
    }
  });

  it('when an admin edits and resets a password, then both are audited with before/after and the password values masked', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    const u = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'edited', designationBn: 'পুরোনো পদবি' });
    const { agent, csrf } = await signIn(server.url, 'admin');
    const edit = await agent.get(`/admin/users/${u._id}/edit`).expect(200);
    expect(edit.text).to.include('value="পুরোনো পদবি"').and.include('name="version" value="0"');
    const saved = await agent
      .post(`/admin/users/${u._id}/edit`)
      .type('form')
      .send(
        form({
          _csrf: csrf,
          version: 0,
          nameBn: u.nameBn,
          nameEn: '',
          designationBn: 'নতুন পদবি',
          office: String(world.upazilaA._id),
          roles: ['field_officer', 'monitor'],
          language: 'en',
        }),
      )
      .expect(302);
    expect(saved.headers.location).to.equal(`/admin/users/${u._id}`);
    expect((await agent.get(saved.headers.location!).expect(200)).text)
      .to.include('ব্যবহারকারীর তথ্য সংরক্ষণ করা হয়েছে।')
      .and.include('নতুন পদবি');
    const stored = await User.findById(u._id).lean();
    expect(stored).to.deep.include({ designationBn: 'নতুন পদবি', language: 'en' });
    expect(stored!.nameEn).to.equal(undefined);
    expect(stored!.searchText).to.include('নতুন পদবি');
    const [update] = await auditOf('user.update', String(u._id));
    expect(update!.changes).to.deep.include({ field: 'designationBn', before: 'পুরোনো পদবি', after: 'নতুন পদবি' });
    expect(update!.changes).to.deep.include({ field: 'roles', before: ['field_officer'], after: ['field_officer', 'monitor'] });
    expect(update!.changes.find((c) => c.field === 'nameEn')).to.deep.include({ after: null });

    const reset = await agent.post(`/admin/users/${u._id}/reset-password`).type('form').send({ _csrf: csrf }).expect(200);
    const otp = oneTimePasswordIn(reset.text);
    await request(server.url).post('/api/v1/auth/token').send({ username: 'edited', password: TEST_PASSWORD }).expect(401);
    const login = request.agent(server.url);
    const lp = await login.get('/login');
    expect(
      (
        await login
          .post('/login')
          .type('form')
          .send({ _csrf: csrfFrom(lp.text), username: 'edited', password: otp })
          .expect(302)
      ).headers.location,
    ).to.equal('/profile/password');
    const [resetAudit] = await auditOf('user.reset-password', String(u._id));
    expect(resetAudit!.changes).to.deep.include({ field: 'password', before: '••••', after: '••••' });
    expect(resetAudit!.changes).to.deep.include({ field: 'mustChangePassword', before: false, after: true });
    expect(JSON.stringify(await AuditEntry.find().lean()))
      .to.not.include(otp)
      .and.not.include('$argon2');
    const api = await request(server.url)
      .post(`/api/v1/users/${u._id}/reset-password`)
      .set(bearer(await tokenFor(server.url, 'admin')))
      .expect(200);
    expect(api.body.oneTimePassword).to.be.a('string').and.not.equal(otp);
  });

  it('when tokens are listed and revoked, then the owner and an admin in scope can revoke them, others cannot', async () => {
    await createUser({ office: world.districtA, roles: ['admin'], username: 'admin-a' });
    const owner = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'owner' });
    await createUser({ office: world.upazilaA, roles: ['innovation_officer'], username: 'neighbour' });
    const far = await createUser({ office: world.upazilaB, roles: ['field_officer'], username: 'far' });

    // The owner creates one through the page: shown once, then listed by its prefix only.
    const { agent, csrf } = await signIn(server.url, 'owner');
    const made = await agent.post('/profile/tokens').type('form').send({ _csrf: csrf, name: 'প্রতিবেদন স্ক্রিপ্ট' }).expect(200);
    const token = /data-testid="new-token">([^<]+)</.exec(made.text)![1]!;
    await request(server.url).get('/api/v1/me').set(bearer(token)).expect(200);
    const listed = await agent.get('/profile/tokens').expect(200);
    expect(listed.text).to.include('প্রতিবেদন স্ক্রিপ্ট').and.not.include(token);
    const ownId = /data-token="([0-9a-f]{16})"/.exec(listed.text)![1]!;
    // A colleague without token.manage may not revoke it (403); the owner may.
    const n = await signIn(server.url, 'neighbour');
    await n.agent.post(`/profile/tokens/${ownId}/revoke`).type('form').send({ _csrf: n.csrf }).expect(403);
    await request(server.url).get('/api/v1/me').set(bearer(token)).expect(200);
    const revoked = await agent.post(`/profile/tokens/${ownId}/revoke`).type('form').send({ _csrf: csrf }).expect(302);
    expect(revoked.headers.location).to.equal('/profile/tokens');
    await request(server.url).get('/api/v1/me').set(bearer(token)).expect(401);
    expect((await agent.get('/profile/tokens').expect(200)).text).to.include('data-status="revoked"');

    // The admin of district A revokes the owner's API token from the admin page.
    const second = await tokenFor(server.url, 'owner');
    const admin = await signIn(server.url, 'admin-a');
    const page = await admin.agent.get(`/admin/users/${owner._id}/tokens`).expect(200);
    const active = [...page.text.matchAll(/data-token="([0-9a-f]{16})" data-status="active"/g)].map((m) => m[1]!);
    expect(active).to.have.length(1);
    await admin.agent.post(`/admin/users/${owner._id}/tokens/${active[0]}/revoke`).type('form').send({ _csrf: admin.csrf }).expect(302);
    await request(server.url).get('/api/v1/me').set(bearer(second)).expect(401);
    const revokes = await AuditEntry.find({ action: 'token.revoke' }).lean();
    expect(revokes).to.have.length(2);
    expect(revokes.every((r) => r.changes.some((c) => c.field === 'revokedAt' && c.before === null))).to.equal(true);

    // …but not one of district B's, nor one filed under the wrong person.
    const farToken = await tokenFor(server.url, 'far');
    const farId = (await request(server.url).get('/api/v1/tokens').set(bearer(farToken)).expect(200)).body.items[0].id as string;
    await admin.agent.get(`/admin/users/${far._id}/tokens`).expect(404);
    await admin.agent.post(`/admin/users/${far._id}/tokens/${farId}/revoke`).type('form').send({ _csrf: admin.csrf }).expect(404);
    await admin.agent.post(`/admin/users/${owner._id}/tokens/${farId}/revoke`).type('form').send({ _csrf: admin.csrf }).expect(404);
    await admin.agent.post(`/profile/tokens/${farId}/revoke`).type('form').send({ _csrf: admin.csrf }).expect(404);
    await request(server.url).get('/api/v1/me').set(bearer(farToken)).expect(200);
    await n.agent.get(`/admin/users/${owner._id}/tokens`).expect(403);
  });

  it('when an admin tries to deactivate themself, then it is refused; another user is deactivated and reactivated', async () => {
    const me = await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    const other = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'leaving' });
    const { agent, csrf } = await signIn(server.url, 'admin');
    const own = await agent.get(`/admin/users/${me._id}`).expect(200);
    expect(own.text).to.not.include(`/admin/users/${me._id}/deactivate`);
    const refused = await agent.post(`/admin/users/${me._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(302);
    expect((await agent.get(refused.headers.location!).expect(200)).text).to.include('নিজের অ্যাকাউন্ট নিষ্ক্রিয় করতে পারবেন না');
    const token = bearer(await tokenFor(server.url, 'admin'));
    const api = await request(server.url).patch(`/api/v1/users/${me._id}`).set(token).send({ version: 0, active: false }).expect(403);
    expect(api.body.error.message).to.include('নিজের অ্যাকাউন্ট');
    await request(server.url)
      .patch(`/api/v1/users/${me._id}`)
      .set(token)
      .send({ version: 0, roles: ['observer'] })
      .expect(400);
    expect((await User.findById(me._id).lean())!.active).to.equal(true);
    expect(await AuditEntry.countDocuments({ action: 'user.deactivate' })).to.equal(0);

    const otherToken = await tokenFor(server.url, 'leaving');
    await agent.post(`/admin/users/${other._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(302);
    await request(server.url).get('/api/v1/me').set(bearer(otherToken)).expect(401);
    await request(server.url).post('/api/v1/auth/token').send({ username: 'leaving', password: TEST_PASSWORD }).expect(401);
    const [deactivation] = await auditOf('user.deactivate', String(other._id));
    expect(deactivation!.changes).to.deep.equal([{ field: 'active', before: true, after: false }]);
    const list = await agent.get('/admin/users').query({ active: 'false' }).expect(200);
    expect(list.text).to.include('data-user="leaving"').and.not.include('data-user="admin"');
    await agent.post(`/admin/users/${other._id}/reactivate`).type('form').send({ _csrf: csrf }).expect(302);
    await request(server.url).get('/api/v1/me').set(bearer(otherToken)).expect(200);
    expect(await AuditEntry.countDocuments({ action: 'user.reactivate' })).to.equal(1);
  });

  it('when a user edits their profile page, then names, contact and language are saved, the search finds the new name, and errors are shown beside fields', async () => {
    const u = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'self', nameBn: 'পুরোনো নাম' });
    const { agent, csrf } = await signIn(server.url, 'self');
    const page = await agent.get('/profile').expect(200);
    expect(page.text).to.include('value="পুরোনো নাম"').and.include('উপজেলা ক').and.not.include('name="roles"');
    const bad = await agent
      .post('/profile')
      .type('form')
      .send({ _csrf: csrf, version: '0', nameBn: '', email: 'not-an-email', phone: '', language: 'bn' })
      .expect(400);
    expect(bad.text)
      .to.match(/id="f-nameBn"[^>]*aria-invalid="true"/)
      .and.match(/id="f-email"[^>]*aria-invalid="true"/)
      .and.include('value="not-an-email"');
    const ok = await agent
      .post('/profile')
      .type('form')
      .send({
        _csrf: csrf,
        version: '0',
        nameBn: 'নতুন নাম',
        nameEn: 'New Name',
        email: 'me@example.org',
        phone: '০১৭১১০০০০০০',
        language: 'en',
      })
      .expect(302);
    expect(ok.headers.location).to.equal('/profile');
    const after = await agent.get('/profile').expect(200);
    expect(after.text).to.include('<html lang="en">').and.include('Your profile has been saved.');
    const found = await request(server.url)
      .get('/api/v1/users')
      .query({ q: 'নতুন' })
      .set(bearer(await tokenFor(server.url, 'self')))
      .expect(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).to.deep.equal([String(u._id)]);
    const stale = await agent.post('/profile').type('form').send({ _csrf: csrf, version: '0', nameBn: 'আবার', language: 'bn' }).expect(409);
    expect(stale.text).to.include('id="conflict"');
  });

  it('when the admin list has many people, then it pages them with Bangla digits and keeps the filters in the links', async () => {
    await createUser({ office: world.root, roles: ['admin'], username: 'admin' });
    for (let i = 0; i < 26; i++)
      await createUser({ office: world.upazilaA, roles: ['field_officer'], username: `field-${String(i).padStart(2, '0')}` });
    const { agent } = await signIn(server.url, 'admin');
    const first = await agent.get('/admin/users').query({ role: 'field_officer' }).expect(200);
    expect(first.text).to.include('data-testid="users-total">২৬<').and.include('পাতা ১/২');
    expect(first.text.replace(/&#x3D;/g, '=')).to.include('href="?role=field_officer&amp;page=2"');
    const second = await agent.get('/admin/users').query({ role: 'field_officer', page: '২' }).expect(200);
    expect([...second.text.matchAll(/data-user="/g)]).to.have.length(1);
  });
});
