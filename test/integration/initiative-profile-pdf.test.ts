// An initiative's profile PDF through the app: facts, TCV in Bangla digits, the stage timeline in both
// calendars and the replication areas, under the office's letterhead; 404 outside the caller's subtree.
// Real engine, real Chromium, poppler's pdftotext to read it back.
import { expect } from 'chai';
import request from 'supertest';
import { actorFromUser } from '../../src/features/auth/auth.service.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { fixedClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { signIn } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { binary, pdfText, squash } from '../support/pdf.js';

// Dhaka 29 September 2025 = ১৪ আশ্বিন ১৪৩২.
const NOW = '2025-09-29T10:00:00+06:00';



describe('initiative profile PDF', function () {
  this.timeout(180_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const tokens: Record<string, string> = {};
  let id: string;
  let pdf: Buffer;
  let text: string;
  const as = (who: string) => ({
    get: (p: string) => request(server.url).get(p).set('Authorization', `Bearer ${tokens[who]}`),
    put: (p: string, body: object) => request(server.url).put(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    post: (p: string, body: object = {}) => request(server.url).post(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
  });
  const TITLE = 'অনলাইনে নারী উদ্যোক্তা নিবন্ধন';
  const MOTTO = 'উদ্ভাবনে এগিয়ে যাই, সেবা সহজ করি';

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ clock: NOW });
    const users = {
      officer: await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'pp-officer', nameBn: 'নাসরিন আক্তার', designationBn: 'ইনোভেশন অফিসার' }),
      head: await createUser({ office: world.districtA, roles: ['head'], username: 'pp-head', nameBn: 'ফারহানা হোসেন', designationBn: 'জেলা প্রশাসক' }),
      field: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'pp-field', nameBn: 'শারমিন সুলতানা', designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা' }),
      observer: await createUser({ office: world.districtA, roles: ['observer'], username: 'pp-observer' }),
      outsider: await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'pp-outsider' }),
      outsiderObserver: await createUser({ office: world.districtB, roles: ['observer'], username: 'pp-outsider-observer' }),
    };
    const clock = fixedClock(NOW);
    for (const [who, u] of Object.entries(users)) {
      tokens[who] = (await issueToken({ actor: actorFromUser(u, clock, 'token'), clock }, { tokenDays: 30 })).token;
    }
    await as('officer').put(`/api/v1/offices/${String(world.districtA._id)}/letterhead`, { version: 0, motto: MOTTO, address: ['খুলনা সদর, খুলনা।'] }).expect(200);
    const created = await as('officer').post('/api/v1/initiatives', {
      title: TITLE,
      titleEn: 'Online registration of women entrepreneurs',
      kind: 'simplification',
      problem: 'নিবন্ধনের জন্য নারী উদ্যোক্তাদের তিনবার জেলা কার্যালয়ে আসতে হয়।',
      solution: 'ঘরে বসে অনলাইনে আবেদন, মোবাইলে অগ্রগতির বার্তা।',
      lead: String(users.officer._id),
      team: [String(users.field._id)],
      fiscalYear: '2025-26',
      budget: { needed: 124080, allocated: 50000, code: '3257101' },
      tcvBaseline: { days: 15, taka: 500, visits: 3 },
      tcvCurrent: { days: 3, taka: 50, visits: 1 },
      tags: ['নারী উদ্যোক্তা'],
      partners: [{ organisation: 'এটুআই', role: 'কারিগরি সহায়তা', mouDate: '2025-08-01' }],
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    id = created.body.id;
    for (const body of [
      { to: 'pilot', note: 'পাইলটিং শুরুর সিদ্ধান্ত' },
      { to: 'replication', note: 'রেপ্লিকেশনের সিদ্ধান্ত', pilotEvaluation: { summary: 'পাইলটিং সফল', tcvAfter: { days: 3, taka: 50, visits: 1 }, beneficiaries: 1200, recommendation: 'সব উপজেলায়' } },
    ]) {
      const moved = await as('head').post(`/api/v1/initiatives/${id}/transitions`, body);
      expect(moved.status, JSON.stringify(moved.body)).to.equal(201);
    }
    const area = await as('officer').post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'পাইকগাছা উপজেলা', office: String(world.upazilaA._id), fieldOfficer: String(users.field._id), plannedAt: '2025-10-01' });
    expect(area.status, JSON.stringify(area.body)).to.equal(201);
    const res = await as('officer').get(`/api/v1/initiatives/${id}/profile.pdf`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    pdf = res.body as Buffer;
    text = squash(pdfText(pdf));
  });
  after(() => server?.close());

  it('when the profile is printed, then it has the letterhead (office, motto), the title, kind, stage, office, lead, team, fiscal year and budget', () => {
    for (const s of [
      'গণপ্রজাতন্ত্রী বাংলাদেশ সরকার',
      'জেলা ক',
      MOTTO,
      TITLE,
      'Online registration of women entrepreneurs',
      'সেবা সহজিকরণ',
      'রেপ্লিকেশন',
      'নাসরিন আক্তার, ইনোভেশন অফিসার',
      'শারমিন সুলতানা, উপজেলা মহিলা বিষয়ক কর্মকর্তা',
      '২০২৫-২৬',
      '১,২৪,০৮০ টাকা',
      '৫০,০০০ টাকা',
      '৩২৫৭১০১',
      'এটুআই (কারিগরি সহায়তা)',
      'নারী উদ্যোক্তা',
      'নিবন্ধনের জন্য নারী উদ্যোক্তাদের তিনবার জেলা কার্যালয়ে আসতে হয়।',
      'ঘরে বসে অনলাইনে আবেদন, মোবাইলে অগ্রগতির বার্তা।',
    ]) {
      expect(text, s).to.include(squash(s));
    }
  });

  it('when the profile is printed, then the TCV rows carry before, now and change in Bangla digits', () => {
    const layout = squash(pdfText(pdf, '-layout'));
    for (const row of ['সময় (দিন) ১৫ ৩ -১২ (-৮০%)', 'খরচ (টাকা) ৫০০ ৫০ -৪৫০ (-৯০%)', 'যাতায়াত (বার) ৩ ১ -২ (-৬৬.৭%)']) expect(layout, row).to.include(squash(row));
  });

  it('when the profile is printed, then the stage timeline lists each move with its date in both calendars, who and the note', () => {
    for (const s of ['ধারণা (নথিভুক্ত)', 'ধারণা → পাইলটিং', 'পাইলটিং → রেপ্লিকেশন', '১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ', '২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ', 'ফারহানা হোসেন', 'পাইলটিং শুরুর সিদ্ধান্ত', 'রেপ্লিকেশনের সিদ্ধান্ত']) {
      expect(text, s).to.include(squash(s));
    }
    expect(text).to.include(squash('মুদ্রণের তারিখ: ১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ'));
  });

  it('when the profile is printed, then the replication areas are listed with status, field officer and dates', () => {
    for (const s of ['রেপ্লিকেশন এলাকা', 'পাইকগাছা উপজেলা', 'উপজেলা ক', 'পরিকল্পিত', 'পরিকল্পনা: ০১/১০/২০২৫']) expect(text, s).to.include(squash(s));
  });

  it('when someone outside the subtree asks for it, then 404 (API and page); in scope an observer gets it, and the detail page links to it', async () => {
    for (const who of ['outsider', 'outsiderObserver']) expect((await as(who).get(`/api/v1/initiatives/${id}/profile.pdf`)).status, who).to.equal(404);
    await as('observer').get(`/api/v1/initiatives/${id}/profile.pdf`).expect(200);
    await as('officer').get('/api/v1/initiatives/0123456789abcdef01234567/profile.pdf').expect(404);
    const s = await signIn(server.url, 'pp-observer');
    const page = await s.agent.get(`/initiatives/${id}`).expect(200);
    expect(page.text).to.include(`href="/initiatives/${id}/profile.pdf"`);
    expect(page.text).to.include('প্রোফাইল (PDF)');
    const viaPage = await s.agent.get(`/initiatives/${id}/profile.pdf`).buffer(true).parse(binary).expect(200);
    expect(viaPage.headers['content-type']).to.equal('application/pdf');
    const outsider = await signIn(server.url, 'pp-outsider');
    expect((await outsider.agent.get(`/initiatives/${id}/profile.pdf`)).status).to.equal(404);
  });
});
