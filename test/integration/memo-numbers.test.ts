// Memo-number registers: both layouts generated, the lenient parser through the API, and numbers that are
// never reused and never skipped — under 50 concurrent claims, across two app processes, and after a retry.
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { MemoNumber } from '../../src/features/memo-numbers/memo.model.js';
import { toLatinDigits } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase, testDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { appEnv, spawnApp, type AppProcess } from '../support/process.js';

/** Serials of a register, checked to be 1..n (or start..start+n-1) without gaps or repeats. */
async function serialsOf(registerId: string): Promise<number[]> {
  const docs = await MemoNumber.find({}, { register: 1, serial: 1, number: 1 }).lean();
  return docs.filter((d) => String(d.register) === registerId).map((d) => d.serial).sort((a, b) => a - b);
}

function expectUnbroken(serials: number[], first: number, count: number): void {
  expect(serials, 'no duplicates').to.have.length(new Set(serials).size);
  expect(serials).to.deep.equal(Array.from({ length: count }, (_, i) => first + i));
}

describe('memo-number registers', function () {
  this.timeout(300_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let admin: string;
  let officer: string;
  let head: string;
  let field: string;

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '10000' } });
    const a = await createUser({ office: world.root, roles: ['admin'], username: 'mn-admin' });
    const o = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'mn-officer' });
    const h = await createUser({ office: world.districtA, roles: ['head'], username: 'mn-head' });
    const f = await createUser({ office: world.districtA, roles: ['field_officer'], username: 'mn-field' });
    admin = await tokenFor(server.url, a.username);
    officer = await tokenFor(server.url, o.username);
    head = await tokenFor(server.url, h.username);
    field = await tokenFor(server.url, f.username);
  });
  after(() => server?.close());

  const as = (token: string) => ({
    get: (url: string) => request(server.url).get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string, body: object = {}) => request(server.url).post(url).set('Authorization', `Bearer ${token}`).send(body),
  });

  it('when a 2014 register is created, then its numbers print in Bangla digits in 7 segments (18 digits) with the chosen separator', async () => {
    const r = await as(admin).post('/api/v1/memo-registers', { office: String(world.districtA._id), name: 'সাধারণ শাখা', layout: '2014', segments: ['৩২', '০১', '০০০০', '০২১', '২৫', '০১১', '২০'], separator: '-', startSerial: 68 });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body.example).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮');
    const n = await as(officer).post(`/api/v1/memo-registers/${r.body.id}/numbers`, { subject: 'জেলা প্রশাসককে পত্র' });
    expect(n.status, JSON.stringify(n.body)).to.equal(201);
    expect(n.body.memoNumber).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮');
    expect(toLatinDigits(n.body.memoNumber).replace(/[.-]/g, '').length - 2).to.equal(18);
  });

  it('when a 2024 register is created, then its numbers have 8 segments (22 digits), unused positions zeros, and a "." separator if chosen', async () => {
    const r = await as(admin).post('/api/v1/memo-registers', { office: String(world.districtA._id), name: '২০২৪ বিন্যাস', layout: '2024', segments: { ministry: '05', office: '44', geo: '4764', branch: '2', subject: '6', file: '12', year: '25' }, separator: '.', isDefault: false });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body.example).to.equal('০৫.৪৪.৪৭৬৪.০০০.০০২.০৬.০০১২.২৫.১');
    expect(toLatinDigits(r.body.example).split('.').slice(0, 8).join('')).to.have.length(22);
  });

  it('when segments are wrong, then 400 with a Bangla message and no register is saved', async () => {
    const before = (await as(admin).get('/api/v1/memo-registers').expect(200)).body.items.length;
    const bad = await as(admin).post('/api/v1/memo-registers', { office: String(world.districtA._id), name: 'ভুল', layout: '2014', segments: ['৩২৩', '০১'], separator: '-' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message + JSON.stringify(bad.body.error.fields)).to.match(/[\u0980-\u09ff]/);
    expect((await as(admin).get('/api/v1/memo-registers').expect(200)).body.items.length).to.equal(before);
    expect((await as(field).post('/api/v1/memo-registers', { name: 'x', layout: '2014', segments: [] })).status).to.equal(403);
  });

  it('when existing numbers are read through the API, then every example in domain.md and the sample is understood', async () => {
    const cases: [string, string, number, string, string[]][] = [
      ['৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮', '2014', 68, '-', ['৩২', '০১', '০০০০', '০২১', '২৫', '০১১', '২০']],
      ['০৪.০০.০০০০.৮৩৩.৩৩.০০২.১৮.১০৫', '2014', 105, '.', ['০৪', '০০', '০০০০', '৮৩৩', '৩৩', '০০২', '১৮']],
      ['৩৩.০২.৪৭৬৪.৩৬.০৩৬.১৫.৪১৪', 'other', 414, '.', ['৩৩', '০২', '৪৭৬৪', '৩৬', '০৩৬', '১৫']],
      ['স্মারক নং-০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২', '2014', 12, '-', ['০৫', '৪৪', '৪৭৬৪', '০০০', '০৬', '০০১', '২৫']],
      ['05.44.4764.001.002.06.0012.25-7', '2024', 7, '-', ['05', '44', '4764', '001', '002', '06', '0012', '25']],
    ];
    for (const [text, layout, serial, separator, segments] of cases) {
      const r = await as(field).get(`/api/v1/memo-numbers/parse?text=${encodeURIComponent(text)}`);
      expect(r.status, text).to.equal(200);
      expect(r.body, text).to.include({ layout, serial, separator });
      expect(r.body.segments, text).to.deep.equal(segments);
    }
    const bad = await as(field).get(`/api/v1/memo-numbers/parse?text=${encodeURIComponent('আগামী সভা')}`);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.match(/[\u0980-\u09ff]/);
  });

  it('when 50 claims arrive at once, then the serials are 1..50 with no gap and no repeat, and a retried key gets its own number back', async () => {
    const r = await as(admin).post('/api/v1/memo-registers', { office: String(world.districtA._id), name: 'চাপ পরীক্ষা', layout: '2014', segments: ['১', '১', '১', '১', '১', '১', '১'], isDefault: false });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => as(officer).post(`/api/v1/memo-registers/${r.body.id}/numbers`, { subject: `পত্র ${i}`, key: `k-${i}` })));
    expect(results.map((x) => x.status)).to.deep.equal(Array(50).fill(201));
    expectUnbroken(await serialsOf(r.body.id), 1, 50);
    expect(new Set(results.map((x) => x.body.memoNumber)).size).to.equal(50);
    // The same key again (a retry after a lost answer): the same number, nothing new taken.
    const again = await as(officer).post(`/api/v1/memo-registers/${r.body.id}/numbers`, { subject: 'পত্র 7', key: 'k-7' });
    expect(again.status).to.equal(200);
    expect(again.body.memoNumber).to.equal(results[7]!.body.memoNumber);
    expectUnbroken(await serialsOf(r.body.id), 1, 50);
    // The register page lists every number with its document.
    const list = (await as(head).get(`/api/v1/memo-registers/${r.body.id}/numbers?pageSize=100`).expect(200)).body;
    expect(list.total).to.equal(50);
    expect(list.items[0]).to.include({ serial: 50 });
    expect(list.items.map((n: { document: { label: string } }) => n.document.label)).to.include('পত্র 0');
    expect((await as(field).post(`/api/v1/memo-registers/${r.body.id}/numbers`, { subject: 'x' })).status).to.equal(403);
  });

  it('when numbers vanish (a restore from an older backup), then the next claim continues right after the last one kept, skipping none', async () => {
    const r = await as(admin).post('/api/v1/memo-registers', { office: String(world.districtA._id), name: 'পুনরুদ্ধার', layout: '2014', segments: ['১', '১', '১', '১', '১', '১', '২'], isDefault: false });
    for (let i = 0; i < 5; i++) await as(officer).post(`/api/v1/memo-registers/${r.body.id}/numbers`, { subject: `পত্র ${i}` }).expect(201);
    await MemoNumber.deleteMany({ _id: { $in: [`${r.body.id}:4`, `${r.body.id}:5`] } });
    const next = await as(officer).post(`/api/v1/memo-registers/${r.body.id}/numbers`, { subject: 'পরের পত্র' }).expect(201);
    expect(next.body.serial).to.equal(4);
    expectUnbroken(await serialsOf(r.body.id), 1, 4);
  });

  describe('two app processes', () => {
    const apps: AppProcess[] = [];
    after(async () => {
      for (const a of apps) a.child.kill('SIGTERM');
      await Promise.all(apps.map((a) => a.exited));
    });

    it('when 50 signed minutes are issued at once through two app instances, then their memo numbers form an unbroken sequence', async function () {
      this.timeout(300_000);
      const t = testDatabase();
      for (let i = 0; i < 2; i++) {
        apps.push(await spawnApp(appEnv({ MONGODB_URI: t.uri, DB_NAME: t.dbName, SEED_DEMO: 'false', DATA_DIR: path.join(t.tmpDir, `two-${i}`), LOGIN_RATE_LIMIT: '10000' })));
      }
      const [a, b] = apps.map((x) => x.url);
      expect(a, apps[0]!.output()).to.match(/^http/);
      expect(b, apps[1]!.output()).to.match(/^http/);
      const office = String(world.upazilaA._id);
      const o = await createUser({ office: world.upazilaA, roles: ['innovation_officer'], username: 'two-officer' });
      const h = await createUser({ office: world.upazilaA, roles: ['head'], username: 'two-head' });
      const ot = await tokenFor(a!, o.username);
      const ht = await tokenFor(a!, h.username);
      const reg = await request(a!).post('/api/v1/memo-registers').set('Authorization', `Bearer ${ot}`).send({ office, name: 'দুই প্রক্রিয়া', layout: '2024', segments: { ministry: '5', office: '44', geo: '4764' } }).expect(201);
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) {
        const base = i % 2 ? a! : b!;
        const m = await request(base).post('/api/v1/meetings').set('Authorization', `Bearer ${ot}`).send({ kind: 'review', subject: `সভা ${i}`, office, chair: { text: 'উপজেলা নির্বাহী অফিসার' }, venue: 'সভাকক্ষ', startsAt: '2025-09-28T11:00:00+06:00' }).expect(201);
        await request(base).put(`/api/v1/meetings/${m.body.id}/minutes`).set('Authorization', `Bearer ${ot}`).send({ opening: 'শুরু', decisions: [{ text: `সিদ্ধান্ত ${i}`, implementers: ['সকল'] }] }).expect(200);
        await request(base).post(`/api/v1/meetings/${m.body.id}/submit`).set('Authorization', `Bearer ${ot}`).expect(200);
        await request(base).post(`/api/v1/meetings/${m.body.id}/sign`).set('Authorization', `Bearer ${ht}`).expect(200);
        ids.push(m.body.id as string);
      }
      const issued = await Promise.all(ids.map((id, i) => request(i % 2 ? a! : b!).post(`/api/v1/meetings/${id}/issue`).set('Authorization', `Bearer ${ot}`).send({ distribution: ['অফিস কপি'] })));
      expect(issued.map((r) => r.status), JSON.stringify(issued.find((r) => r.status !== 201)?.body)).to.deep.equal(Array(50).fill(201));
      expectUnbroken(await serialsOf(reg.body.id), 1, 50);
      const printed = issued.map((r) => Number(toLatinDigits(r.body.memoNumber as string).split('-').at(-1))).sort((x, y) => x - y);
      expect(printed).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
      // Issuing again through the other instance changes nothing.
      const retry = await Promise.all(ids.slice(0, 10).map((id, i) => request(i % 2 ? b! : a!).post(`/api/v1/meetings/${id}/issue`).set('Authorization', `Bearer ${ot}`).send({})));
      expect(retry.map((r) => r.status)).to.deep.equal(Array(10).fill(200));
      expect(retry.map((r) => r.body.memoNumber)).to.deep.equal(issued.slice(0, 10).map((r) => r.body.memoNumber));
      expectUnbroken(await serialsOf(reg.body.id), 1, 50);
    });
  });
});
