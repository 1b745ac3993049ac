import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { PROJECT_ROOT } from '../../src/config.js';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { actorFromUser } from '../../src/features/auth/auth.service.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { Charter } from '../../src/features/charters/charter.model.js';
import { systemClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { csrfFrom, signIn } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';

// The project's own fixture: 6 citizen, 3 institutional and 3 internal services.
const SAMPLE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'citizen-charter.txt');

interface Service {
  key: string;
  section: string;
  serial: string;
  name: string;
  timeLimit: string;
  timeLimitDays: number | null;
  officer: string;
  fee: string;
}

describe('citizen charter: editing one service', function () {
  this.timeout(120_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const tokens: Record<string, string> = {};
  let office: string;
  let base: string;

  const as = (who: string) => ({
    get: (p: string) => request(server.url).get(p).set('Authorization', `Bearer ${tokens[who]}`),
    post: (p: string, body: object) => request(server.url).post(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    patch: (p: string, body: object) => request(server.url).patch(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    del: (p: string) => request(server.url).delete(p).set('Authorization', `Bearer ${tokens[who]}`),
  });
  const charter = async () => (await as('io').get(base).expect(200)).body as { version: number; services: Service[] };

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    const people = {
      io: await createUser({ office: world.upazilaA, roles: ['innovation_officer'], username: 'io-up-a', nameBn: 'ইনোভেশন অফিসার ক' }),
      io2: await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'io-a' }),
      admin: await createUser({ office: world.root, roles: ['admin'], username: 'admin-root' }),
      head: await createUser({ office: world.upazilaA, roles: ['head'], username: 'head-up-a' }),
      field: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a' }),
      ioB: await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'io-b' }),
    };
    for (const [who, u] of Object.entries(people)) {
      tokens[who] = (await issueToken({ actor: actorFromUser(u, systemClock, 'token'), clock: systemClock }, { tokenDays: 30 })).token;
    }
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '1000' } });
    office = String(world.upazilaA._id);
    base = `/api/v1/offices/${office}/charter`;
    await request(server.url).post(base).set('Authorization', `Bearer ${tokens.io}`).set('Content-Type', 'text/plain; charset=utf-8').send(fs.readFileSync(SAMPLE, 'utf8')).expect(201);
  });
  afterEach(() => server.close());

  it("when the officer edits one service's time limit, then a new version is saved with the working days recomputed, the rest unchanged and the previous version in the history", async () => {
    const before = await charter();
    expect(before.version).to.equal(1);
    const target = before.services.find((s) => s.key === 'citizen-1')!;
    const res = await as('io').patch(`${base}/services/citizen-1`, { version: 1, timeLimit: 'তাৎক্ষণিক/ সর্বোচ্চ ৭ কর্মদিবস', fee: 'বিনামূল্যে (অনলাইনে)' }).expect(200);
    expect(res.body.version).to.equal(2);
    expect(res.body.service).to.include({ key: 'citizen-1', timeLimit: 'তাৎক্ষণিক/ সর্বোচ্চ ৭ কর্মদিবস', timeLimitDays: 7, fee: 'বিনামূল্যে (অনলাইনে)', name: target.name });

    const after = await charter();
    expect(after.version).to.equal(2);
    expect(after.services).to.have.length(before.services.length);
    expect(after.services.map((s) => s.key)).to.deep.equal(before.services.map((s) => s.key));
    after.services.forEach((s, i) => {
      if (s.key !== 'citizen-1') expect(s).to.deep.equal(before.services[i]);
    });
    const history = (await as('io').get(`${base}/history`).expect(200)).body.items as { version: number }[];
    expect(history.map((h) => h.version)).to.deep.equal([1]);
    const kept = await Charter.findById(`${office}:v1`).lean();
    expect(kept!.services.find((s) => s.section === 'citizen' && s.serial === '1')!.timeLimit).to.equal(target.timeLimit);
    const audit = await AuditEntry.findOne({ action: 'charter.service.edit' }).lean();
    expect(audit!.changes.map((c) => c.field)).to.have.members(['services.citizen-1.fee', 'services.citizen-1.timeLimit']);
    const doc = await request(server.url).get('/api/v1/openapi.json').expect(200);
    expect(doc.body.paths['/api/v1/offices/{officeId}/charter/services']).to.have.key('post');
    expect(doc.body.paths['/api/v1/offices/{officeId}/charter/services/{serviceKey}']).to.have.keys('patch', 'delete');
  });

  it('when a service is added (serial defaulting to the next in its section) and another removed, then each makes a new version and the history keeps every earlier one', async () => {
    const added = await as('io').post(`${base}/services`, { version: 1, section: 'citizen', name: 'অনলাইন অভিযোগ গ্রহণ', method: 'অনলাইন', timeLimit: '৩ কার্যদিবস', officer: 'সহকারী প্রোগ্রামার' }).expect(201);
    expect(added.body.version).to.equal(2);
    expect(added.body.service).to.include({ key: 'citizen-7', serial: '7', timeLimitDays: 3 });
    const removed = await as('admin').del(`${base}/services/institutional-3?version=2`).expect(200);
    expect(removed.body.version).to.equal(3);
    expect(removed.body.removed.key).to.equal('institutional-3');
    const now = await charter();
    expect(now.version).to.equal(3);
    expect(now.services.filter((s) => s.section === 'citizen').map((s) => s.key)).to.deep.equal(['citizen-1', 'citizen-2', 'citizen-3', 'citizen-4', 'citizen-5', 'citizen-6', 'citizen-7']);
    expect(now.services.filter((s) => s.section === 'institutional').map((s) => s.key)).to.deep.equal(['institutional-1', 'institutional-2']);
    expect(now.services).to.have.length(12);
    const history = (await as('io').get(`${base}/history`).expect(200)).body.items as { version: number; change: { kind: string } | null }[];
    expect(history.map((h) => h.version)).to.deep.equal([2, 1]);
    expect(history[0]!.change!.kind).to.equal('add');
    expect(await AuditEntry.countDocuments({ action: { $in: ['charter.service.add', 'charter.service.remove'] } })).to.equal(2);
  });

  it('when an edit is sent from a version someone else has since changed, then 409 says what changed and nothing is overwritten', async () => {
    await as('io2').patch(`${base}/services/institutional-3`, { version: 1, timeLimit: '১০ কার্যদিবস', officer: 'নতুন কর্মকর্তা' }).expect(200);
    await as('io2').post(`${base}/services`, { version: 2, section: 'internal', name: 'অভ্যন্তরীণ প্রশিক্ষণ' }).expect(201);
    const stale = await as('io').patch(`${base}/services/institutional-3`, { version: 1, timeLimit: '৫ কার্যদিবস' }).expect(409);
    expect(stale.body.error.code).to.equal('conflict');
    expect(stale.body.error.message).to.match(/^আপনি খোলার পর অন্য কেউ/);
    expect(stale.body.error.message).to.include('সময়সীমা');
    expect(stale.body.error.details.currentVersion).to.equal(3);
    const changes = stale.body.error.details.changes as { key: string; change: string; fields: string[] }[];
    expect(changes.find((c) => c.key === 'institutional-3')).to.include({ change: 'edited' });
    expect(changes.find((c) => c.key === 'institutional-3')!.fields).to.deep.equal(['timeLimit', 'officer']);
    expect(changes.find((c) => c.key === 'internal-4')!.change).to.equal('added');
    const now = await charter();
    expect(now.version).to.equal(3);
    expect(now.services.find((s) => s.key === 'institutional-3')!.timeLimit).to.equal('১০ কার্যদিবস');
    const en = await as('io').patch(`${base}/services/institutional-3`, { version: 1, timeLimit: '৫' }).set('Accept-Language', 'en').expect(409);
    expect(en.body.error.message).to.include('time limit');
  });

  it('when two edits are sent from the same version at the same moment, then exactly one is saved and the other is told to reload', async () => {
    const results = await Promise.all([
      as('io').patch(`${base}/services/citizen-1`, { version: 1, fee: 'ক' }),
      as('io2').patch(`${base}/services/citizen-1`, { version: 1, fee: 'খ' }),
      as('admin').patch(`${base}/services/institutional-2`, { version: 1, fee: 'গ' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).to.deep.equal([200, 409, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const now = await charter();
    expect(now.version).to.equal(2);
    expect(now.services.find((s) => s.key === winner.body.service.key)!.fee).to.equal(winner.body.service.fee);
    expect(await Charter.countDocuments({ office })).to.equal(2);
  });

  it('when the input is wrong, then 400 or 404 with a Bangla message and the charter is unchanged', async () => {
    const cases: [string, () => request.Test, number, string][] = [
      ['no version', () => as('io').patch(`${base}/services/citizen-1`, { fee: 'x' }), 400, 'version'],
      ['empty name', () => as('io').patch(`${base}/services/citizen-1`, { version: 1, name: '  ' }), 400, 'name'],
      ['bad serial', () => as('io').patch(`${base}/services/citizen-1`, { version: 1, serial: 'এক' }), 400, 'serial'],
      ['serial taken', () => as('io').patch(`${base}/services/institutional-1`, { version: 1, serial: '2' }), 400, 'serial'],
      ['bad section', () => as('io').post(`${base}/services`, { version: 1, section: 'other', name: 'x' }), 400, 'section'],
      ['add without a name', () => as('io').post(`${base}/services`, { version: 1, section: 'citizen' }), 400, 'name'],
      ['unknown service', () => as('io').patch(`${base}/services/citizen-99`, { version: 1, fee: 'x' }), 404, ''],
      ['malformed key', () => as('io').patch(`${base}/services/nonsense`, { version: 1, fee: 'x' }), 404, ''],
    ];
    for (const [label, call, status, field] of cases) {
      const res = await call();
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).to.equal(status);
      expect(res.body.error.message, label).to.match(/[\u0980-\u09FF]/);
      if (field) expect(res.body.error.fields, label).to.have.property(field);
    }
    expect((await charter()).version).to.equal(1);
    expect(await Charter.countDocuments()).to.equal(1);
  });

  it('when people other than the office’s innovation officer or an admin try, then 403 (or 404 outside the subtree) and nothing changes', async () => {
    await as('head').patch(`${base}/services/citizen-1`, { version: 1, fee: 'x' }).expect(403);
    await as('field').patch(`${base}/services/citizen-1`, { version: 1, fee: 'x' }).expect(403);
    await as('ioB').patch(`${base}/services/citizen-1`, { version: 1, fee: 'x' }).expect(404);
    await as('ioB').del(`${base}/services/citizen-1?version=1`).expect(404);
    expect((await charter()).version).to.equal(1);
    await as('head').get(base).expect(200);
  });

  it('when the officer edits a service through the charter page, then the change is saved; a form opened before someone else’s change is refused showing what changed', async () => {
    const { agent } = await signIn(server.url, 'io-up-a');
    const page = await agent.get(`/offices/${office}/charter`).expect(200);
    expect(page.text).to.include(`/offices/${office}/charter/services/citizen-1/edit`);
    const form = await agent.get(`/offices/${office}/charter/services/citizen-1/edit`).expect(200);
    const csrf = csrfFrom(form.text);
    expect(form.text).to.include('name="version" value="1"');
    // Someone else changes the same service meanwhile.
    await as('io2').patch(`${base}/services/citizen-1`, { version: 1, officer: 'অন্য কর্মকর্তা' }).expect(200);
    const values = { _csrf: csrf, version: '1', section: 'citizen', serial: '1', name: 'তথ্য প্রদান', method: 'সরাসরি', documents: '', fee: 'বিনামূল্যে', timeLimit: '২ কার্যদিবস', officer: 'আমার কর্মকর্তা' };
    const refused = await agent.post(`/offices/${office}/charter/services/citizen-1/edit`).type('form').send(values).expect(409);
    expect(refused.text).to.include('আপনি খোলার পর অন্য কেউ');
    expect(refused.text).to.include('অন্য কর্মকর্তা'); // the service as it is now
    expect(refused.text).to.include('name="version" value="2"');
    expect((await charter()).services.find((s) => s.key === 'citizen-1')!.officer).to.equal('অন্য কর্মকর্তা');
    // Saving again from the refreshed form is a knowing decision: it is saved.
    await agent.post(`/offices/${office}/charter/services/citizen-1/edit`).type('form').send({ ...values, version: '2' }).expect(303);
    const now = (await charter()).services.find((s) => s.key === 'citizen-1')!;
    expect(now).to.include({ name: 'তথ্য প্রদান', timeLimitDays: 2, officer: 'আমার কর্মকর্তা' });
    const shown = await agent.get(`/offices/${office}/charter`).expect(200);
    expect(shown.text).to.include('তথ্য প্রদান');
    expect(shown.text).to.include('পরিবর্তন সংরক্ষিত হয়েছে');
    // A wrong value through the form: 400 with the field message, nothing saved.
    const bad = await agent.post(`/offices/${office}/charter/services/citizen-1/edit`).type('form').send({ ...values, version: '3', name: '' }).expect(400);
    expect(bad.text).to.include('সেবার নাম লিখুন');
    expect((await charter()).version).to.equal(3);
    // Adding and removing through the page.
    await agent.post(`/offices/${office}/charter/services/new`).type('form').send({ _csrf: csrf, version: '3', section: 'internal', serial: '', name: 'নথি ব্যবস্থাপনা', timeLimit: 'তাৎক্ষণিক' }).expect(303);
    await agent.post(`/offices/${office}/charter/services/internal-4/remove`).type('form').send({ _csrf: csrf, version: '4' }).expect(303);
    expect((await charter()).version).to.equal(5);
    // A reader sees no edit links.
    const head = await signIn(server.url, 'head-up-a');
    const readOnly = await head.agent.get(`/offices/${office}/charter`).expect(200);
    expect(readOnly.text).to.not.include('/charter/services/citizen-1/edit');
  });
});
