import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { PROJECT_ROOT } from '../../src/config.js';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { Charter } from '../../src/features/charters/charter.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { signIn, tokenFor } from '../support/auth.js';

// The project's own fixture (test/fixtures/README.md): 6 citizen, 3 institutional and 3 internal services.
const SAMPLE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'citizen-charter.txt');

describe('citizen charters', () => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let officer: string;
  let sample: string;

  beforeEach(async () => {
    sample = fs.readFileSync(SAMPLE, 'utf8');
    await resetDatabase();
    world = await createWorld();
    await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'io-a' });
    await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a' });
    server = await startTestServer();
    officer = await tokenFor(server.url, 'io-a');
  });
  afterEach(() => server.close());

  const post = (office: unknown, body: string, query = '', token = officer) =>
    request(server.url).post(`/api/v1/offices/${String(office)}/charter${query}`).set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/plain; charset=utf-8').send(body);

  it('when the sample charter is imported as published, then every service is saved with its time limit, days and officer', async () => {
    const res = await post(world.upazilaA._id, sample).expect(201);
    expect(res.body.errors).to.deep.equal([]);
    expect(res.body.services).to.have.length(12);
    const got = await request(server.url).get(`/api/v1/offices/${world.upazilaA._id}/charter`).set('Authorization', `Bearer ${officer}`).expect(200);
    const services = got.body.services as { section: string; serial: string; name: string; timeLimit: string; timeLimitDays: number | null; officer: string }[];
    expect(services.filter((s) => s.section === 'citizen')).to.have.length(6);
    expect(services.filter((s) => s.section === 'institutional')).to.have.length(3);
    expect(services.filter((s) => s.section === 'internal')).to.have.length(3);
    expect(services[0]).to.include({ serial: '1', name: 'বয়স্ক ভাতা প্রদান'.normalize('NFC'), timeLimit: '৩০ কার্যদিবস', timeLimitDays: 30 });
    expect(services[0]!.officer).to.include('uso.nabinagar@example.gov.bd');
    // Split by a page break in the file, saved as one service.
    expect(services[3]).to.include({ serial: '4', documents: '১) সদস্য পদের প্রমাণ ২) প্রশিক্ষণ সনদ (মাতৃকেন্দ্র থেকে)'.normalize('NFC') });
    for (const s of services) {
      expect(s.officer, s.name).to.match(/^জনাব \S/);
      expect(s.timeLimit, s.name).to.not.equal('');
      // Only "as required" has no number of days.
      if (s.timeLimit === 'প্রয়োজন অনুযায়ী'.normalize('NFC')) expect(s.timeLimitDays, s.name).to.equal(null);
      else expect(s.timeLimitDays, s.name).to.be.a('number');
      expect(Object.keys(s)).to.include.members(['serial', 'name', 'method', 'documents', 'fee', 'timeLimit', 'timeLimitDays', 'officer', 'section']);
    }
    expect(await AuditEntry.countDocuments({ action: 'charter.import' })).to.equal(1);
  });

  it('when previewed with dryRun, then the services come back and nothing is saved', async () => {
    const res = await post(world.upazilaA._id, sample, '?dryRun=1').expect(200);
    expect(res.body.services).to.have.length(12);
    expect(await Charter.countDocuments()).to.equal(0);
  });

  it('when the file is malformed, then 400 with row-level messages and nothing is saved', async () => {
    const junk = 'এটি কোনো চার্টার নয়\nশুধু কিছু লেখা\n১.\tনাম\tপদ্ধতি\n';
    const res = await post(world.upazilaA._id, junk).expect(400);
    expect(res.body.errors.length).to.be.greaterThan(0);
    expect(res.body.errors[0]).to.have.keys(['row', 'message', 'messages']);
    expect(await Charter.countDocuments()).to.equal(0);
  });

  it('when some rows cannot be read, then nothing is saved unless the importer asks to keep the readable rows', async () => {
    const broken = `${sample}\n২.৩) অভ্যন্তরীণ সেবা\n১.\tশুধু দুই\tকলাম\n`;
    const refused = await post(world.upazilaA._id, broken).expect(400);
    expect(refused.body.services).to.have.length(12);
    expect(refused.body.errors.map((e: { row: number }) => e.row)).to.have.length.greaterThan(0);
    expect(await Charter.countDocuments()).to.equal(0);
    const kept = await post(world.upazilaA._id, broken, '?acceptErrors=1').expect(201);
    expect(kept.body.saved).to.equal(true);
  });

  it('when a charter is imported again, then it replaces the current one and the old version is in the history', async () => {
    await post(world.upazilaA._id, sample).expect(201);
    const shorter = sample.split('\n').filter((l) => !l.startsWith('৩\tসংস্থার বার্ষিক প্রতিবেদন')).join('\n');
    expect(shorter).to.not.equal(sample);
    const second = await post(world.upazilaA._id, shorter).expect(201);
    expect(second.body.version).to.equal(2);
    expect(second.body.services).to.have.length(11);
    const history = await request(server.url).get(`/api/v1/offices/${world.upazilaA._id}/charter/history`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(history.body.items.map((h: { version: number }) => h.version)).to.deep.equal([1]);
    const current = await request(server.url).get(`/api/v1/offices/${world.upazilaA._id}/charter`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(current.body.version).to.equal(2);
  });

  it('when a field officer imports, then 403; an office outside the officer’s subtree is 404; a field officer can read their own', async () => {
    const field = await tokenFor(server.url, 'field-a');
    await post(world.upazilaA._id, sample, '', field).expect(403);
    await post(world.upazilaB._id, sample).expect(404);
    await post(world.upazilaA._id, sample).expect(201);
    await request(server.url).get(`/api/v1/offices/${world.upazilaA._id}/charter`).set('Authorization', `Bearer ${field}`).expect(200);
    await request(server.url).get(`/api/v1/offices/${world.upazilaB._id}/charter`).set('Authorization', `Bearer ${field}`).expect(404);
  });

  it('when the officer previews and saves through the page, then the charter page lists the services in Bangla', async () => {
    const { agent, csrf } = await signIn(server.url, 'io-a');
    const preview = await agent.post(`/offices/${world.upazilaA._id}/charter/import`).type('form').send({ _csrf: csrf, text: sample, intent: 'preview' }).expect(200);
    expect(preview.text).to.include('বয়স্ক ভাতা প্রদান'.normalize('NFC'));
    expect(await Charter.countDocuments()).to.equal(0);
    await agent.post(`/offices/${world.upazilaA._id}/charter/import`).type('form').send({ _csrf: csrf, text: sample, intent: 'save' }).expect(302);
    const page = await agent.get(`/offices/${world.upazilaA._id}/charter`).expect(200);
    expect(page.text).to.include('নাগরিক সেবা');
    expect(page.text).to.include('প্রাতিষ্ঠানিক সেবা');
    expect(page.text).to.include('সিটিজেন চার্টার সংরক্ষণ করা হয়েছে।');
  });
});
