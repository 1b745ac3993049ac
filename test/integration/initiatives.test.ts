import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { actorFromUser } from '../../src/features/auth/auth.service.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { Initiative, StageClaim, Transition } from '../../src/features/initiatives/initiative.model.js';
import { CLAIM_GRACE_MS } from '../../src/features/initiatives/initiative.transitions.js';
import { fixedClock, systemClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { createOffice, createUser, createWorld } from '../support/factories.js';
import { signIn, tokenFor } from '../support/auth.js';

type World = Awaited<ReturnType<typeof createWorld>>;

/** A bearer-token API client against one server. */
function client(url: string, token: string) {
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
  return {
    get: (p: string) => auth(request(url).get(p)),
    post: (p: string, body: object = {}) => auth(request(url).post(p)).send(body),
    patch: (p: string, body: object = {}) => auth(request(url).patch(p)).send(body),
  };
}
type Client = ReturnType<typeof client>;

/**
 * The people of the tests. District A: innovation officer, head, observer, monitor; upazila A: a field officer
 * and an innovation officer; district B: an innovation officer and a head; upazila B: a field officer.
 */
async function createPeople(world: World) {
  return {
    ioA: await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'io-a', nameBn: 'রাশেদা আক্তার' }),
    headA: await createUser({ office: world.districtA, roles: ['head'], username: 'head-a', nameBn: 'জেলা প্রশাসক ক' }),
    obsA: await createUser({ office: world.districtA, roles: ['observer'], username: 'obs-a' }),
    monA: await createUser({ office: world.districtA, roles: ['monitor'], username: 'mon-a' }),
    fieldA: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a', nameBn: 'শারমিন' }),
    ioUpA: await createUser({ office: world.upazilaA, roles: ['innovation_officer'], username: 'io-up-a' }),
    ioB: await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'io-b' }),
    headB: await createUser({ office: world.districtB, roles: ['head'], username: 'head-b' }),
    fieldB: await createUser({ office: world.upazilaB, roles: ['field_officer'], username: 'field-b', nameBn: 'নাসরিন' }),
    ioRoot: await createUser({ office: world.root, roles: ['innovation_officer'], username: 'io-root' }),
  };
}
type People = Awaited<ReturnType<typeof createPeople>>;
type Who = keyof People;

/**
 * API clients for each person on one server. The tokens are issued as POST /api/v1/auth/token issues them, under
 * the server's clock, without the deliberately slow password check (that path is covered by tokenFor below and by
 * the auth tests).
 */
async function clientsFor(url: string, people: People, clock?: string): Promise<Record<Who, Client>> {
  const c = clock ? fixedClock(clock) : systemClock;
  const out = {} as Record<Who, Client>;
  for (const [who, user] of Object.entries(people) as [Who, People[Who]][]) {
    const { token } = await issueToken({ actor: actorFromUser(user, c, 'token'), clock: c }, { tokenDays: 30 });
    out[who] = client(url, token);
  }
  return out;
}

async function create(c: Client, body: Record<string, unknown>): Promise<{ id: string; version: number; [k: string]: unknown }> {
  const res = await c.post('/api/v1/initiatives', { kind: 'idea', ...body });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body;
}

/** Moves an initiative as the head (applied at once); fails the test when refused. */
async function headMove(c: Client, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await c.post(`/api/v1/initiatives/${id}/transitions`, { note: 'প্রধানের সিদ্ধান্ত', ...body });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  expect(res.body.status).to.equal('approved');
}

const EVALUATION = { summary: 'পাইলটিং সফল', tcvAfter: { days: 3, taka: 50, visits: 1 }, beneficiaries: 1200, recommendation: 'সব উপজেলায় রেপ্লিকেশন' };

/** Brings an initiative to replication through the head's own moves. */
async function toReplication(head: Client, id: string): Promise<void> {
  await headMove(head, id, { to: 'pilot' });
  await headMove(head, id, { to: 'replication', pilotEvaluation: EVALUATION });
}

// Dhaka 2025-09-15 12:00.
const NOW = '2025-09-15T06:00:00Z';

describe('initiatives: create, read and edit', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
  });
  afterEach(() => server.close());

  it('when an innovation officer logs an initiative without naming an office, then 201 with id, version, stage idea, their office and an audit entry', async () => {
    const res = await as.ioA.post('/api/v1/initiatives', { title: 'অনলাইন জন্ম নিবন্ধন', kind: 'digitized', problem: 'নাগরিককে তিনবার অফিসে আসতে হয়', tcvBaseline: { days: 15, taka: 500, visits: 3 } }).expect(201);
    expect(res.body.id).to.match(/^[0-9a-f]{24}$/);
    expect(res.body).to.include({ stage: 'idea', title: 'অনলাইন জন্ম নিবন্ধন', kind: 'digitized', version: 0, problem: 'নাগরিককে তিনবার অফিসে আসতে হয়' });
    expect(res.body.office).to.deep.equal({ id: String(world.districtA._id), name: 'জেলা ক' });
    expect(res.body.tcv.baseline).to.deep.equal({ days: 15, taka: 500, visits: 3 });
    expect(res.body.history).to.have.length(1);
    expect(res.body.history[0]).to.include({ from: null, to: 'idea', by: 'রাশেদা আক্তার' });
    const stored = await Initiative.findById(res.body.id).lean();
    expect(String(stored?.office)).to.equal(String(world.districtA._id));
    const audit = await AuditEntry.find({ action: 'initiative.create', 'entity.id': res.body.id }).lean();
    expect(audit).to.have.length(1);
  });

  it('when an officer names an office below theirs, then it is used; an office outside their subtree is refused and nothing is saved', async () => {
    const below = await create(as.ioA, { title: 'উপজেলা উদ্যোগ', office: String(world.upazilaA._id) });
    expect((below.office as { id: string }).id).to.equal(String(world.upazilaA._id));
    const outside = await as.ioA.post('/api/v1/initiatives', { title: 'অন্য জেলার', kind: 'idea', office: String(world.districtB._id) });
    expect(outside.status).to.be.oneOf([403, 404]);
    expect(await Initiative.countDocuments({ office: world.districtB._id })).to.equal(0);
  });

  it('when no fiscal year is given, then it is the fiscal year of the Dhaka date, not of the UTC date', async () => {
    // 2025-06-30T18:30Z is already 1 July 2025 in Dhaka: the new fiscal year 2025-26 has begun there.
    const justAfter = await startTestServer({ clock: '2025-06-30T18:30:00Z' });
    const justBefore = await startTestServer({ clock: '2025-06-30T17:30:00Z' });
    try {
      const after = await create(client(justAfter.url, await tokenFor(justAfter.url, 'io-a')), { title: 'মধ্যরাতের পরে' });
      expect(after.fiscalYear).to.equal('2025-26');
      const before = await create(client(justBefore.url, await tokenFor(justBefore.url, 'io-a')), { title: 'মধ্যরাতের আগে' });
      expect(before.fiscalYear).to.equal('2024-25');
    } finally {
      await justAfter.close();
      await justBefore.close();
    }
  });

  it('when the fiscal year is typed in Bangla digits (২০২৫-২৬), then it is accepted and stored as 2025-26', async () => {
    const created = await create(as.ioA, { title: 'বাংলা অঙ্কে অর্থবছর', fiscalYear: '২০২৪-২৫' });
    expect(created.fiscalYear).to.equal('2024-25');
    const other = await create(as.ioA, { title: 'আরেকটি', fiscalYear: '২০২৫-২৬' });
    expect(other.fiscalYear).to.equal('2025-26');
    const stored = await Initiative.findById(created.id).lean();
    expect(stored?.fiscalYear).to.equal('2024-25');
  });

  it('when the input is invalid, then 400 with a code, a Bangla message and one message per bad field, and nothing is saved', async () => {
    const res = await as.ioA.post('/api/v1/initiatives', { title: '  ', kind: 'gadget', fiscalYear: '2025-27', office: 'not-an-id' }).expect(400);
    expect(res.body.error.code).to.equal('validation_failed');
    expect(res.body.error.message).to.be.a('string').and.match(/[\u0980-\u09FF]/);
    expect(res.body.error.fields).to.have.all.keys('title', 'kind', 'fiscalYear', 'office');
    expect(res.body.error.fields.fiscalYear).to.include('২০২৫-২৬');
    const english = await as.ioA.post('/api/v1/initiatives?lang=en', { kind: 'idea' }).set('Accept-Language', 'en').expect(400);
    expect(english.body.error.fields.title).to.equal('This field is required.');
    expect(await Initiative.countDocuments()).to.equal(0);
  });

  it('when observers, monitors or field officers try to log an initiative, then 403', async () => {
    for (const who of ['obsA', 'monA', 'fieldA'] as const) {
      const res = await as[who].post('/api/v1/initiatives', { title: 'চেষ্টা', kind: 'idea' });
      expect(res.status, who).to.equal(403);
    }
    expect(await Initiative.countDocuments()).to.equal(0);
  });

  it('when an initiative is read, then it carries its version; another person in scope reads the same record', async () => {
    const created = await create(as.ioA, { title: 'ই-নথি', titleEn: 'e-Nothi', fiscalYear: '2025-26' });
    const got = await as.obsA.get(`/api/v1/initiatives/${created.id}`).expect(200);
    expect(got.body).to.include({ id: created.id, version: 0, title: 'ই-নথি', titleEn: 'e-Nothi', fiscalYear: '2025-26', stage: 'idea', stuck: false });
    await as.ioA.get('/api/v1/initiatives/ffffffffffffffffffffffff').expect(404);
    await as.ioA.get('/api/v1/initiatives/not-an-id').expect(404);
  });

  it('when the version read is current, then PATCH saves, bumps the version and audits the change', async () => {
    const created = await create(as.ioA, { title: 'সেবা সহজিকরণ', kind: 'simplification' });
    const res = await as.ioA.patch(`/api/v1/initiatives/${created.id}`, { version: 0, solution: 'অনলাইন আবেদন', tcvCurrent: { days: 2 } }).expect(200);
    expect(res.body.version).to.equal(1);
    expect(res.body.solution).to.equal('অনলাইন আবেদন');
    const audit = await AuditEntry.findOne({ action: 'initiative.update', 'entity.id': created.id }).lean();
    expect(audit?.changes?.map((c) => c.field)).to.have.members(['solution', 'tcvCurrent']);
    const missing = await as.ioA.patch(`/api/v1/initiatives/${created.id}`, { solution: 'x' }).expect(400);
    expect(missing.body.error.fields).to.have.property('version');
  });

  it('when two people edit the same version, then the second save is refused with 409 naming the field the first changed, and the first value is kept', async () => {
    const created = await create(as.ioA, { title: 'প্রথম শিরোনাম', problem: 'পুরনো সমস্যা' });
    const read = (await as.headA.get(`/api/v1/initiatives/${created.id}`).expect(200)).body as { version: number };
    // The officer saves first (the problem), the head saves second from the same version (the title).
    await as.ioA.patch(`/api/v1/initiatives/${created.id}`, { version: read.version, problem: 'নতুন সমস্যা' }).expect(200);
    const second = await as.headA.patch(`/api/v1/initiatives/${created.id}`, { version: read.version, title: 'প্রধানের শিরোনাম', problem: 'প্রধানের সমস্যা' }).expect(409);
    expect(second.body.error.code).to.equal('conflict');
    expect(second.body.error.details.changed).to.deep.equal(['problem']);
    expect(second.body.error.message).to.include('সমস্যা');
    const english = await as.headA.patch(`/api/v1/initiatives/${created.id}?lang=en`, { version: read.version, title: 'x' }).expect(409);
    expect(english.body.error.message).to.include('(problem)');
    const now = (await as.ioA.get(`/api/v1/initiatives/${created.id}`).expect(200)).body;
    expect(now).to.include({ problem: 'নতুন সমস্যা', title: 'প্রথম শিরোনাম', version: 1 });
    expect(await AuditEntry.countDocuments({ action: 'initiative.update', 'entity.id': created.id })).to.equal(1);
  });

  it('when a stage moved after the editor read the record, then their save is refused naming the stage', async () => {
    const created = await create(as.ioA, { title: 'ধাপ বদলের পরে সম্পাদনা' });
    await headMove(as.headA, created.id, { to: 'pilot' });
    const stale = await as.ioA.patch(`/api/v1/initiatives/${created.id}`, { version: 0, title: 'পুরনো পাতা থেকে' }).expect(409);
    expect(stale.body.error.details.changed).to.include('stage');
    const fresh = (await as.ioA.get(`/api/v1/initiatives/${created.id}`).expect(200)).body;
    expect(fresh.title).to.equal('ধাপ বদলের পরে সম্পাদনা');
    await as.ioA.patch(`/api/v1/initiatives/${created.id}`, { version: fresh.version, title: 'নতুন পাতা থেকে' }).expect(200);
  });
});

describe('initiatives: lists, filters, search and scope', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;
  const ids: Record<string, string> = {};
  // য় typed as one code point (U+09DF) and as য + nukta (U+09AF U+09BC).
  const YA_ONE = '\u09DF';
  const YA_TWO = '\u09AF\u09BC';

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
    ids.birth = (await create(as.ioA, { title: 'অনলাইন জন্ম নিবন্ধন', titleEn: 'Online Birth Registration', kind: 'digitized', fiscalYear: '2025-26' })).id;
    ids.women = (await create(as.ioA, { title: `মহিলা বি${YA_ONE}ক সেবা সহজিকরণ`, kind: 'simplification', fiscalYear: '2025-26' })).id;
    ids.children = (await create(as.ioA, { title: 'শিশু ভাতা', problem: `শিশু বি${YA_TWO}ক অফিসে তিনবার যেতে হয়`, kind: 'simplification', fiscalYear: '2024-25' })).id;
    ids.upazila = (await create(as.ioA, { title: 'উপজেলা ই-সেবা কেন্দ্র', kind: 'idea', office: String(world.upazilaA._id), fiscalYear: '2025-26' })).id;
    ids.other = (await create(as.ioB, { title: 'খ জেলার জন্ম নিবন্ধন', titleEn: 'Birth registration in B', kind: 'digitized', fiscalYear: '2025-26' })).id;
    await headMove(as.headA, ids.birth, { to: 'pilot' });
    await headMove(as.headA, ids.women, { to: 'pilot' });
    await headMove(as.headB, ids.other, { to: 'pilot' });
  });
  after(() => server.close());

  const list = (c: Client, query: string) => c.get(`/api/v1/initiatives${query}`).expect(200).then((r) => r.body as { items: { id: string; title: string; stage: string; stuck: boolean }[]; total: number; page: number; pageSize: number; countsByStage: Record<string, number> });
  const idsOf = (items: { id: string }[]) => items.map((i) => i.id).sort();

  it('when listed without filters, then the shape is items, total, page, pageSize and countsByStage, limited to the caller’s subtree', async () => {
    const body = await list(as.ioA, '');
    expect(body).to.have.all.keys('items', 'total', 'page', 'pageSize', 'countsByStage');
    expect(body.total).to.equal(4);
    expect(body.page).to.equal(1);
    expect(body.pageSize).to.equal(20);
    expect(idsOf(body.items)).to.deep.equal([ids.birth, ids.women, ids.children, ids.upazila].sort());
    expect(body.countsByStage).to.deep.equal({ idea: 2, pilot: 2, replication: 0, institutionalised: 0, paused: 0, dropped: 0 });
    // Someone at the ministry sees both districts.
    expect((await list(as.ioRoot, '')).total).to.equal(5);
  });

  it('when filtered by stage, kind or fiscal year (also typed in Bangla digits), then only matching items come back', async () => {
    expect(idsOf((await list(as.ioA, '?stage=pilot')).items)).to.deep.equal([ids.birth, ids.women].sort());
    expect(idsOf((await list(as.ioA, '?kind=simplification')).items)).to.deep.equal([ids.women, ids.children].sort());
    expect(idsOf((await list(as.ioA, '?fiscalYear=2024-25')).items)).to.deep.equal([ids.children]);
    expect(idsOf((await list(as.ioA, `?fiscalYear=${encodeURIComponent('২০২৪-২৫')}`)).items)).to.deep.equal([ids.children]);
    const both = await list(as.ioA, '?kind=simplification&stage=idea');
    expect(idsOf(both.items)).to.deep.equal([ids.children]);
    await as.ioA.get('/api/v1/initiatives?stage=launched').expect(400);
  });

  it('when a stage filter is applied, then countsByStage still counts every stage under the other filters', async () => {
    const body = await list(as.ioA, '?kind=simplification&stage=pilot');
    expect(body.total).to.equal(1);
    expect(body.countsByStage).to.deep.equal({ idea: 1, pilot: 1, replication: 0, institutionalised: 0, paused: 0, dropped: 0 });
    const fy = await list(as.ioA, '?fiscalYear=2025-26');
    expect(fy.countsByStage).to.include({ idea: 1, pilot: 2 });
  });

  it('when filtered by office, then initiatives of that office and the offices below it are listed', async () => {
    expect(idsOf((await list(as.ioA, `?office=${world.districtA._id}`)).items)).to.deep.equal([ids.birth, ids.women, ids.children, ids.upazila].sort());
    expect(idsOf((await list(as.ioA, `?office=${world.upazilaA._id}`)).items)).to.deep.equal([ids.upazila]);
    expect(idsOf((await list(as.ioRoot, `?office=${world.districtB._id}`)).items)).to.deep.equal([ids.other]);
    // Asking for an office outside the caller's subtree reveals nothing.
    expect((await list(as.ioA, `?office=${world.districtB._id}`)).total).to.equal(0);
  });

  it('when searching "বিষয়ক" typed either way, then texts with য় as one code point and as য + nukta are both found', async () => {
    for (const typed of [`বি${YA_ONE}ক`, `বি${YA_TWO}ক`]) {
      const body = await list(as.ioA, `?q=${encodeURIComponent(typed)}`);
      expect(idsOf(body.items), [...typed].map((c) => c.codePointAt(0)!.toString(16)).join(' ')).to.deep.equal([ids.women, ids.children].sort());
    }
    expect(idsOf((await list(as.ioA, `?q=${encodeURIComponent('মহিলা বি' + YA_TWO + 'ক')}`)).items)).to.deep.equal([ids.women]);
  });

  it('when searching in English, then the English title is matched without regard to case, within the caller’s scope', async () => {
    expect(idsOf((await list(as.ioA, '?q=BIRTH')).items)).to.deep.equal([ids.birth]);
    expect(idsOf((await list(as.ioRoot, '?q=birth%20registration')).items)).to.deep.equal([ids.birth, ids.other].sort());
    expect((await list(as.ioA, '?q=nothing-like-this')).total).to.equal(0);
  });

  it('when sorted by title and paged, then pages are disjoint, ordered and complete', async () => {
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await list(as.ioA, `?sort=title&order=asc&pageSize=2&page=${page}`));
    expect(pages.map((p) => p.items.length)).to.deep.equal([2, 2, 0]);
    expect(pages.every((p) => p.total === 4 && p.pageSize === 2)).to.equal(true);
    expect(pages[1]!.page).to.equal(2);
    const titles = pages.flatMap((p) => p.items.map((i) => i.title));
    expect(titles).to.deep.equal([...titles].sort((a, b) => a.localeCompare(b, 'bn')));
    expect(new Set(pages.flatMap((p) => p.items.map((i) => i.id))).size).to.equal(4);
    const desc = await list(as.ioA, '?sort=title&order=desc');
    expect(desc.items.map((i) => i.title)).to.deep.equal([...titles].reverse());
  });

  it('when sorted by last update (the default), then the most recently changed initiative comes first', async () => {
    const first = await list(as.ioA, '');
    const touched = first.items.at(-1)!;
    const current = (await as.ioA.get(`/api/v1/initiatives/${touched.id}`).expect(200)).body;
    await as.ioA.patch(`/api/v1/initiatives/${touched.id}`, { version: current.version, tags: ['হালনাগাদ'] }).expect(200);
    const after = await list(as.ioA, '');
    expect(after.items[0]!.id).to.equal(touched.id);
  });

  it('when an officer of district A asks for district B’s initiative, then 404 for reading, editing and moving it, and it is absent from their lists', async () => {
    await as.ioA.get(`/api/v1/initiatives/${ids.other}`).expect(404);
    await as.ioA.patch(`/api/v1/initiatives/${ids.other}`, { version: 0, title: 'দখল' }).expect(404);
    await as.ioA.post(`/api/v1/initiatives/${ids.other}/transitions`, { to: 'dropped', reason: 'x' }).expect(404);
    await as.headA.post(`/api/v1/initiatives/${ids.other}/transitions`, { to: 'dropped', reason: 'x' }).expect(404);
    const body = await list(as.ioA, '?q=birth');
    expect(idsOf(body.items)).to.not.include(ids.other);
    expect(body.countsByStage.pilot).to.equal(1);
    expect((await Initiative.findById(ids.other).lean())?.stage).to.equal('pilot');
  });

  it('when a field officer of another district runs one of an initiative’s replication areas, then they see that initiative and no other', async () => {
    await as.fieldB.get(`/api/v1/initiatives/${ids.children}`).expect(404);
    // Upazila B is below district B: its field officer does not see the district's own initiatives either.
    expect((await list(as.fieldB, '')).total).to.equal(0);
    await as.ioA.post(`/api/v1/initiatives/${ids.children}/areas`, { nameBn: 'উপজেলা খ', fieldOfficer: String(people.fieldB._id), office: String(world.upazilaB._id) }).expect(201);
    const got = await as.fieldB.get(`/api/v1/initiatives/${ids.children}`).expect(200);
    expect(got.body.title).to.equal('শিশু ভাতা');
    const after = await list(as.fieldB, '');
    expect(idsOf(after.items)).to.deep.equal([ids.children]);
    expect(after.countsByStage.idea).to.equal(1);
    await as.fieldB.get(`/api/v1/initiatives/${ids.women}`).expect(404);
  });
});

describe('initiatives: stage changes, approvals and gates', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
  });
  afterEach(() => server.close());

  it('when an innovation officer proposes a move, then 201 pending and the stage does not change yet', async () => {
    const { id } = await create(as.ioA, { title: 'প্রস্তাবিত' });
    const res = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot', note: 'পাইলটিং শুরু করতে চাই' }).expect(201);
    expect(res.body).to.have.all.keys('id', 'status');
    expect(res.body.status).to.equal('pending');
    expect((await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.stage).to.equal('idea');
    const transitions = await as.headA.get(`/api/v1/initiatives/${id}/transitions`).expect(200);
    expect(transitions.body.items).to.have.length(1);
    expect(transitions.body.items[0]).to.include({ id: res.body.id, from: 'idea', to: 'pilot', status: 'pending', proposedBy: 'রাশেদা আক্তার' });
    expect(await AuditEntry.countDocuments({ action: 'initiative.transition.propose', 'entity.id': id })).to.equal(1);
  });

  it('when the head approves a proposal, then the stage changes and the history records who proposed, who approved, when and the notes', async () => {
    const { id } = await create(as.ioA, { title: 'অনুমোদনের জন্য' });
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot', note: 'পাইলটিং শুরু করতে চাই' }).expect(201)).body;
    const res = await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, { note: 'অনুমোদিত, দুই উপজেলায়' }).expect(200);
    expect(res.body).to.deep.equal({ id: proposal.id, status: 'approved' });
    const got = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.stage).to.equal('pilot');
    expect(got.version).to.equal(1);
    const last = got.history.at(-1);
    expect(last).to.include({ from: 'idea', to: 'pilot', by: 'রাশেদা আক্তার', approvedBy: 'জেলা প্রশাসক ক', note: 'পাইলটিং শুরু করতে চাই' });
    expect(last.approvalNote).to.equal('অনুমোদিত, দুই উপজেলায়');
    expect(new Date(last.at).toISOString()).to.equal(new Date(NOW).toISOString());
    const t = await Transition.findById(proposal.id).lean();
    expect(t).to.include({ status: 'approved', decisionNote: 'অনুমোদিত, দুই উপজেলায়' });
    expect(t?.decidedBy?.name).to.equal('জেলা প্রশাসক ক');
    expect(await AuditEntry.countDocuments({ action: 'initiative.transition.approve', 'entity.id': id })).to.equal(1);
    const stageAudit = await AuditEntry.findOne({ action: 'initiative.stage', 'entity.id': id }).lean();
    expect(stageAudit?.changes).to.deep.equal([{ field: 'stage', before: 'idea', after: 'pilot' }]);
    // A decided proposal cannot be decided again.
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/reject`, { note: 'আবার' }).expect(409);
  });

  it('when the head rejects a proposal, then the stage stays, the rejection is recorded, and a new proposal may follow', async () => {
    const { id } = await create(as.ioA, { title: 'ফেরত যাবে' });
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(201)).body;
    const res = await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/reject`, { note: 'বাজেট নেই' }).expect(200);
    expect(res.body.status).to.equal('rejected');
    const got = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.stage).to.equal('idea');
    expect(got.history).to.have.length(1);
    const items = (await as.ioA.get(`/api/v1/initiatives/${id}/transitions`).expect(200)).body.items;
    expect(items[0]).to.include({ status: 'rejected', decisionNote: 'বাজেট নেই', decidedBy: 'জেলা প্রশাসক ক' });
    expect(await AuditEntry.countDocuments({ action: 'initiative.transition.reject', 'entity.id': id })).to.equal(1);
    await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot', note: 'বাজেট পাওয়া গেছে' }).expect(201);
  });

  it('when the head rejects a proposal, then an edit opened before the rejection still saves (a rejection changes no details)', async () => {
    const { id, version } = await create(as.ioA, { title: 'খোলা সম্পাদনা' });
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(201)).body;
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/reject`, { note: 'না' }).expect(200);
    const saved = await as.ioA.patch(`/api/v1/initiatives/${id}`, { version, solution: 'নতুন সমাধান' }).expect(200);
    expect(saved.body.solution).to.equal('নতুন সমাধান');
  });

  it('when the gate no longer holds at approval time, then the approval is refused with 400 and the proposal stays pending', async () => {
    const { id } = await create(as.ioA, { title: 'অনুমোদনের সময় যাচাই' });
    await toReplication(as.headA, id);
    const areaId = (await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা ক' }).expect(201)).body.areas[0].id as string;
    await as.ioA.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status: 'live' }).expect(200);
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'institutionalised', institutionalEvidence: { owningAgency: 'মহিলা বিষয়ক অধিদপ্তর' } }).expect(201)).body;
    await as.ioA.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status: 'stopped' }).expect(200);
    const refused = await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, {}).expect(400);
    expect(refused.body.error.fields).to.have.all.keys('areas');
    // Through the page, the head is brought back to the initiative and told why.
    const head = await signIn(server.url, 'head-a');
    await head.agent.post(`/initiatives/${id}/transitions/${proposal.id}/approve`).type('form').send({ _csrf: head.csrf, note: '' }).expect(302);
    expect((await head.agent.get(`/initiatives/${id}`).expect(200)).text).to.include('অন্তত একটি রেপ্লিকেশন এলাকা লাইভ হতে হবে।');
    expect((await Transition.findById(proposal.id).lean())?.status).to.equal('pending');
    expect((await Initiative.findById(id).lean())?.stage).to.equal('replication');
  });

  it('when the list is sorted by stage, then it follows the pipeline (idea, pilot, …, dropped), not the alphabet', async () => {
    const dropped = await create(as.ioA, { title: 'বাদ' });
    const pilot = await create(as.ioA, { title: 'পাইলট' });
    const idea = await create(as.ioA, { title: 'ধারণা' });
    await headMove(as.headA, pilot.id, { to: 'pilot' });
    await headMove(as.headA, dropped.id, { to: 'dropped', reason: 'প্রয়োজন নেই' });
    const asc = (await as.ioA.get('/api/v1/initiatives?sort=stage&order=asc').expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(asc).to.deep.equal([idea.id, pilot.id, dropped.id]);
    const desc = (await as.ioA.get('/api/v1/initiatives?sort=stage&order=desc').expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(desc).to.deep.equal([dropped.id, pilot.id, idea.id]);
  });

  it('when the head moves an initiative, then the move applies at once', async () => {
    const { id } = await create(as.ioA, { title: 'প্রধানের সিদ্ধান্ত' });
    const res = await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot', note: 'সভার সিদ্ধান্ত' }).expect(201);
    expect(res.body.status).to.equal('approved');
    const got = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.stage).to.equal('pilot');
    expect(got.history.at(-1)).to.include({ from: 'idea', to: 'pilot', by: 'জেলা প্রশাসক ক', approvedBy: 'জেলা প্রশাসক ক', note: 'সভার সিদ্ধান্ত' });
    expect(await Transition.countDocuments({ initiative: id, status: 'pending' })).to.equal(0);
  });

  it('when an observer, a monitor or a field officer proposes, or an officer approves, then 403 and nothing changes', async () => {
    const { id } = await create(as.ioA, { title: 'অনুমতি পরীক্ষা' });
    await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা ক', fieldOfficer: String(people.fieldA._id) }).expect(201);
    for (const who of ['obsA', 'monA', 'fieldA'] as const) {
      const res = await as[who].post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' });
      expect(res.status, who).to.equal(403);
    }
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(201)).body;
    for (const who of ['ioA', 'obsA', 'fieldA'] as const) {
      const res = await as[who].post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, {});
      expect(res.status, who).to.equal(403);
    }
    // The head of another district cannot see it.
    await as.headB.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, {}).expect(404);
    expect((await Initiative.findById(id).lean())?.stage).to.equal('idea');
  });

  it('when a proposal is already pending, then a second one is refused with 409', async () => {
    const { id } = await create(as.ioA, { title: 'দুটি প্রস্তাব' });
    await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(201);
    const second = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'dropped', reason: 'দরকার নেই' }).expect(409);
    expect(second.body.error.code).to.equal('conflict');
    const byHead = await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(409);
    expect(byHead.body.error.message).to.include('অপেক্ষায়');
    expect(await Transition.countDocuments({ initiative: id })).to.equal(1);
  });

  it('when a move skips or reverses the pipeline, then 409 and the stage is unchanged', async () => {
    const { id } = await create(as.ioA, { title: 'ভুল ধাপ' });
    const skip = await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'replication' }).expect(409);
    expect(skip.body.error.details).to.deep.equal({ from: 'idea', to: 'replication' });
    await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'institutionalised' }).expect(409);
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'idea' }).expect(409);
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'resume' }).expect(409);
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'launched' }).expect(400);
    await headMove(as.headA, id, { to: 'pilot' });
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'idea' }).expect(409);
    await headMove(as.headA, id, { to: 'dropped', reason: 'অর্থ নেই' });
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(409);
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'resume' }).expect(409);
    expect((await Initiative.findById(id).lean())?.stage).to.equal('dropped');
  });

  it('when pilot → replication lacks the pilot evaluation, then 400 listing each missing part; once given, the move passes and the evaluation is kept', async () => {
    const { id } = await create(as.ioA, { title: 'পাইলট মূল্যায়ন' });
    await headMove(as.headA, id, { to: 'pilot' });
    const none = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'replication' }).expect(400);
    expect(none.body.error.fields).to.have.all.keys('pilotEvaluation.summary', 'pilotEvaluation.tcvAfter', 'pilotEvaluation.beneficiaries', 'pilotEvaluation.recommendation');
    const part = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'replication', pilotEvaluation: { summary: 'ভালো', beneficiaries: 0 } }).expect(400);
    expect(part.body.error.fields).to.have.all.keys('pilotEvaluation.tcvAfter', 'pilotEvaluation.recommendation');
    expect(await Transition.countDocuments({ initiative: id, status: 'pending' })).to.equal(0);
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'replication', pilotEvaluation: { ...EVALUATION, beneficiaries: '১,২০০' } }).expect(201)).body;
    expect((await Initiative.findById(id).lean())?.stage).to.equal('pilot');
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, { note: 'ঠিক আছে' }).expect(200);
    const got = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.stage).to.equal('replication');
    expect(got.pilotEvaluation).to.deep.include({ summary: 'পাইলটিং সফল', beneficiaries: 1200, recommendation: 'সব উপজেলায় রেপ্লিকেশন' });
    expect(got.pilotEvaluation.tcvAfter).to.deep.equal({ days: 3, taka: 50, visits: 1 });
  });

  it('when replication → institutionalised has no live area and no institutional evidence, then 400 listing both; once an area is live and a policy given, it passes', async () => {
    const { id } = await create(as.ioA, { title: 'প্রাতিষ্ঠানিকীকরণ' });
    await toReplication(as.headA, id);
    const none = await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'institutionalised' }).expect(400);
    expect(none.body.error.fields).to.have.all.keys('areas', 'institutionalEvidence');
    const withArea = await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা ক' }).expect(201);
    const areaId = withArea.body.areas[0].id as string;
    await as.ioA.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status: 'running' }).expect(200);
    const notLive = await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'institutionalised', institutionalEvidence: { budgetLine: '৩২৫৭১০৫' } }).expect(400);
    expect(notLive.body.error.fields).to.have.all.keys('areas');
    await as.ioA.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status: 'live' }).expect(200);
    const noEvidence = await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'institutionalised' }).expect(400);
    expect(noEvidence.body.error.fields).to.have.all.keys('institutionalEvidence');
    await headMove(as.headA, id, { to: 'institutionalised', institutionalEvidence: { policy: 'পরিপত্র নং ১২/২০২৫' } });
    const got = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.stage).to.equal('institutionalised');
    expect(got.institutionalEvidence).to.include({ policy: 'পরিপত্র নং ১২/২০২৫' });
  });

  it('when pausing or dropping without a reason, then 400 asking for it; paused keeps the stage it left and resume returns there', async () => {
    const { id } = await create(as.ioA, { title: 'স্থগিত ও পুনরায় শুরু' });
    await toReplication(as.headA, id);
    const noReason = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'paused', note: 'কিছুদিন বন্ধ' }).expect(400);
    expect(noReason.body.error.fields).to.have.all.keys('reason');
    await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'dropped' }).expect(400);
    const pause = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'paused', reason: 'বন্যা' }).expect(201)).body;
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${pause.id}/approve`, {}).expect(200);
    const paused = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(paused).to.include({ stage: 'paused', pausedFrom: 'replication' });
    expect(paused.history.at(-1)).to.include({ from: 'replication', to: 'paused', reason: 'বন্যা' });
    // Resuming to a different stage is not allowed.
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(409);
    const resume = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'resume', note: 'পানি নেমেছে' }).expect(201)).body;
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${resume.id}/approve`, {}).expect(200);
    const resumed = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(resumed).to.include({ stage: 'replication', pausedFrom: null });
    expect(resumed.history.map((h: { to: string }) => h.to)).to.deep.equal(['idea', 'pilot', 'replication', 'paused', 'replication']);
    const t = await Transition.findById(resume.id).lean();
    expect(t).to.include({ from: 'paused', to: 'replication' });
  });
});

describe('initiatives: stuck pilots over time', () => {
  let world: World;
  let people: People;
  const servers: TestServer[] = [];
  const at = async (clock: string, env?: Record<string, string>) => {
    const s = await startTestServer({ clock, env });
    servers.push(s);
    return clientsFor(s.url, people, clock);
  };

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('when a pilot has had no decision for more than 6 months, then it is flagged stuck in the record and the list; an idea of the same age is not', async () => {
    const jan = await at('2025-01-10T06:00:00Z');
    const pilot = await create(jan.ioA, { title: 'পুরনো পাইলট' });
    const idea = await create(jan.ioA, { title: 'পুরনো ধারণা' });
    await headMove(jan.headA, pilot.id, { to: 'pilot' });

    const june = await at('2025-07-05T06:00:00Z'); // under 6 months
    expect((await june.ioA.get(`/api/v1/initiatives/${pilot.id}`).expect(200)).body.stuck).to.equal(false);
    expect((await june.ioA.get('/api/v1/initiatives?stuck=true').expect(200)).body.total).to.equal(0);

    const august = await at('2025-08-01T06:00:00Z'); // over 6 months
    expect((await august.ioA.get(`/api/v1/initiatives/${pilot.id}`).expect(200)).body.stuck).to.equal(true);
    expect((await august.ioA.get(`/api/v1/initiatives/${idea.id}`).expect(200)).body.stuck).to.equal(false);
    const stuck = (await august.ioA.get('/api/v1/initiatives?stuck=true').expect(200)).body;
    expect(stuck.items.map((i: { id: string }) => i.id)).to.deep.equal([pilot.id]);
    expect(stuck.items[0].stuck).to.equal(true);
    const notStuck = (await august.ioA.get('/api/v1/initiatives?stuck=false').expect(200)).body;
    expect(notStuck.items.map((i: { id: string }) => i.id)).to.deep.equal([idea.id]);
  });

  it('when the head decides on a stuck pilot (even a rejection), then it is no longer stuck until another 6 months pass', async () => {
    const jan = await at('2025-01-10T06:00:00Z');
    const { id } = await create(jan.ioA, { title: 'সিদ্ধান্তের অপেক্ষায়' });
    await headMove(jan.headA, id, { to: 'pilot' });
    const aug = await at('2025-08-01T06:00:00Z');
    expect((await aug.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.stuck).to.equal(true);
    const proposal = (await aug.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'replication', pilotEvaluation: EVALUATION }).expect(201)).body;
    await aug.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/reject`, { note: 'আরও তথ্য দিন' }).expect(200);
    expect((await aug.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.stuck).to.equal(false);
    const later = await at('2026-03-01T06:00:00Z');
    expect((await later.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.stuck).to.equal(true);
  });

  it('when STUCK_PILOT_MONTHS is 3, then a pilot is stuck after 3 months', async () => {
    const jan = await at('2025-01-10T06:00:00Z');
    const { id } = await create(jan.ioA, { title: 'তিন মাসের নিয়ম' });
    await headMove(jan.headA, id, { to: 'pilot' });
    const may = await at('2025-05-01T06:00:00Z', { STUCK_PILOT_MONTHS: '3' });
    expect((await may.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.stuck).to.equal(true);
    const mayDefault = await at('2025-05-01T06:00:00Z');
    expect((await mayDefault.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.stuck).to.equal(false);
  });
});

describe('initiatives: replication areas', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
  });
  afterEach(() => server.close());

  it('when an officer adds an area, then it is planned from today (Dhaka) and audited; observers, monitors and field officers cannot add one', async () => {
    const { id } = await create(as.ioA, { title: 'এলাকা যোগ' });
    const res = await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা ক', districtIso: 'BD-01', office: String(world.upazilaA._id) }).expect(201);
    expect(res.body.areas).to.have.length(1);
    expect(res.body.areas[0]).to.include({ nameBn: 'উপজেলা ক', status: 'planned', plannedAt: '2025-09-15', districtIso: 'BD-01', office: String(world.upazilaA._id) });
    expect(res.body.areaCounts).to.include({ total: 1, planned: 1 });
    expect(await AuditEntry.countDocuments({ action: 'initiative.area.add', 'entity.id': id })).to.equal(1);
    for (const who of ['obsA', 'monA'] as const) {
      const r = await as[who].post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'আরেকটি' });
      expect(r.status, who).to.equal(403);
    }
    // A field officer who runs one area sees the initiative but cannot add areas to it.
    await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা খ', fieldOfficer: String(people.fieldB._id) }).expect(201);
    await as.fieldB.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'আরেকটি' }).expect(403);
    const bad = await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { districtIso: 'Dhaka' }).expect(400);
    expect(bad.body.error.fields).to.have.all.keys('nameBn', 'districtIso');
    const nobody = await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'ভুল কর্মকর্তা', fieldOfficer: 'ffffffffffffffffffffffff' }).expect(400);
    expect(nobody.body.error.fields).to.have.all.keys('fieldOfficer');
    expect((await Initiative.findById(id).lean())?.areas).to.have.length(2);
  });

  it('when an area goes planned → orientation held → running → live, then each status sets its date and is audited', async () => {
    const { id } = await create(as.ioA, { title: 'এলাকার অগ্রগতি' });
    const areaId = (await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা ক', plannedAt: '০১/০৯/২০২৫' }).expect(201)).body.areas[0].id as string;
    const steps: [string, string][] = [['orientation_held', 'orientationAt'], ['running', 'startedAt'], ['live', 'liveAt']];
    for (const [status, field] of steps) {
      const res = await as.ioA.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status }).expect(200);
      expect(res.body.areas[0]).to.include({ status, [field]: '2025-09-15' });
    }
    const area = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.areas[0];
    expect(area).to.include({ plannedAt: '2025-09-01', orientationAt: '2025-09-15', startedAt: '2025-09-15', liveAt: '2025-09-15', stoppedAt: null });
    const audits = await AuditEntry.find({ action: 'initiative.area.update', 'entity.id': id }).lean();
    expect(audits).to.have.length(3);
    expect(audits.flatMap((a) => (a.changes ?? []).map((c) => c.field))).to.include(`areas.${areaId}.status`);
    const explicit = await as.ioA.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status: 'stopped', stoppedAt: '২০/০৯/২০২৫' }).expect(200);
    expect(explicit.body.areas[0]).to.include({ status: 'stopped', stoppedAt: '2025-09-20' });
    await as.ioA.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status: 'launched' }).expect(400);
    await as.ioA.patch(`/api/v1/initiatives/${id}/areas/ffffffffffffffffffffffff`, { status: 'live' }).expect(404);
  });

  it('when a field officer runs an area, then they may update that area but not another person’s area', async () => {
    const { id } = await create(as.ioA, { title: 'মাঠ কর্মকর্তার এলাকা' });
    await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা খ', fieldOfficer: String(people.fieldB._id), office: String(world.upazilaB._id) }).expect(201);
    const other = await createOffice({ parent: world.districtB, level: 'upazila', nameBn: 'উপজেলা গ' });
    const otherField = await createUser({ office: other, roles: ['field_officer'], username: 'field-c' });
    const areas = (await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা গ', fieldOfficer: String(otherField._id) }).expect(201)).body.areas as { id: string; nameBn: string }[];
    const mine = areas.find((a) => a.nameBn === 'উপজেলা খ')!.id;
    const theirs = areas.find((a) => a.nameBn === 'উপজেলা গ')!.id;
    const ok = await as.fieldB.patch(`/api/v1/initiatives/${id}/areas/${mine}`, { status: 'orientation_held', note: 'অবহিতকরণ সভা হয়েছে' }).expect(200);
    expect(ok.body.areas.find((a: { id: string }) => a.id === mine)).to.include({ status: 'orientation_held', orientationAt: '2025-09-15' });
    // They can see the initiative and its areas, so another person's area is forbidden (403), not hidden.
    await as.fieldB.patch(`/api/v1/initiatives/${id}/areas/${theirs}`, { status: 'live' }).expect(403);
    // Who runs an area, and where, is for the owning office to decide.
    await as.fieldB.patch(`/api/v1/initiatives/${id}/areas/${mine}`, { fieldOfficer: String(otherField._id) }).expect(403);
    await as.fieldB.patch(`/api/v1/initiatives/${id}/areas/${mine}`, { nameBn: 'নতুন নাম' }).expect(403);
    // The field officer runs the area, not the initiative.
    await as.fieldB.patch(`/api/v1/initiatives/${id}`, { version: 0, title: 'বদল' }).expect(403);
    await as.fieldB.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'নতুন' }).expect(403);
    const stored = await Initiative.findById(id).lean();
    expect(stored?.areas.find((a) => String(a._id) === theirs)?.status).to.equal('planned');
    expect(stored?.title).to.equal('মাঠ কর্মকর্তার এলাকা');
    expect(stored?.areas.find((a) => String(a._id) === mine)).to.include({ nameBn: 'উপজেলা খ', status: 'orientation_held' });
    expect(String(stored?.areas.find((a) => String(a._id) === mine)?.fieldOfficer)).to.equal(String(people.fieldB._id));
  });

  it('when the office roll-up is asked for, then it counts areas by status across the initiatives of the office subtree, and 404 outside the caller’s scope', async () => {
    const a1 = await create(as.ioA, { title: 'রোলআপ ১' });
    const a2 = await create(as.ioUpA, { title: 'রোলআপ ২' });
    const b1 = await create(as.ioB, { title: 'রোলআপ খ' });
    await create(as.ioA, { title: 'এলাকা ছাড়া' });
    const addArea = async (c: Client, id: string, nameBn: string, status?: string) => {
      const res = await c.post(`/api/v1/initiatives/${id}/areas`, { nameBn }).expect(201);
      const areaId = (res.body.areas as { id: string }[]).at(-1)!.id;
      if (status) await c.patch(`/api/v1/initiatives/${id}/areas/${areaId}`, { status }).expect(200);
    };
    await addArea(as.ioA, a1.id, 'এক', 'live');
    await addArea(as.ioA, a1.id, 'দুই', 'running');
    await addArea(as.ioUpA, a2.id, 'তিন');
    await addArea(as.ioB, b1.id, 'চার', 'live');
    const district = await as.ioA.get(`/api/v1/offices/${world.districtA._id}/replication`).expect(200);
    expect(district.body).to.deep.equal({ initiatives: 2, areas: { total: 3, planned: 1, orientation_held: 0, running: 1, live: 1, stopped: 0 } });
    const upazila = await as.ioA.get(`/api/v1/offices/${world.upazilaA._id}/replication`).expect(200);
    expect(upazila.body).to.deep.equal({ initiatives: 1, areas: { total: 1, planned: 1, orientation_held: 0, running: 0, live: 0, stopped: 0 } });
    const root = await as.ioRoot.get(`/api/v1/offices/${world.root._id}/replication`).expect(200);
    expect(root.body.initiatives).to.equal(3);
    expect(root.body.areas).to.include({ total: 4, live: 2 });
    await as.ioA.get(`/api/v1/offices/${world.districtB._id}/replication`).expect(404);
  });
});

describe('initiatives: pages', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
  });
  afterEach(() => server.close());

  it('when the list page is opened, then it shows the counts per stage in Bangla digits, the total and the rows of the caller’s scope', async () => {
    for (let i = 0; i < 3; i++) await create(as.ioA, { title: `ধারণা ${i}` });
    const piloted = await create(as.ioA, { title: 'পাইলট উদ্যোগ', kind: 'simplification' });
    await headMove(as.headA, piloted.id, { to: 'pilot' });
    await create(as.ioB, { title: 'অন্য জেলার উদ্যোগ' });
    const { agent } = await signIn(server.url, 'io-a');
    const page = await agent.get('/initiatives').expect(200);
    expect(page.text).to.match(/data-stage="idea">ধারণা: <strong>৩<\/strong>/);
    expect(page.text).to.match(/data-stage="pilot">পাইলটিং: <strong>১<\/strong>/);
    expect(page.text).to.include('<span data-testid="total">৪</span>');
    expect(page.text).to.include('পাইলট উদ্যোগ');
    expect(page.text).to.include('সেবা সহজিকরণ');
    expect(page.text).to.not.include('অন্য জেলার উদ্যোগ');
    const filtered = await agent.get('/initiatives?stage=pilot').expect(200);
    expect(filtered.text).to.include('<span data-testid="total">১</span>');
    expect(filtered.text).to.not.include('ধারণা 0');
    expect(filtered.text).to.match(/aria-current="true" data-stage="pilot"/);
    // "All" clears the stage filter and counts every stage.
    expect(filtered.text).to.match(/href="\/initiatives\?page(?:=|&#x3D;)1"\s+data-stage="all">সব: <strong>৪<\/strong>/);
  });

  it('when a detail page is opened, then it shows the stage, the timeline with names and the replication areas', async () => {
    const { id } = await create(as.ioA, { title: 'বিস্তারিত পাতা', fiscalYear: '2025-26', tcvBaseline: { days: 15, taka: 500, visits: 3 }, tcvCurrent: { days: 3, taka: 50, visits: 1 } });
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot', note: 'পাইলটিং প্রস্তাব' }).expect(201)).body;
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, { note: 'অনুমোদন দিলাম' }).expect(200);
    await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'সদর উপজেলা' }).expect(201);
    const { agent } = await signIn(server.url, 'obs-a');
    const page = await agent.get(`/initiatives/${id}`).expect(200);
    expect(page.text).to.include('<h1>বিস্তারিত পাতা</h1>');
    expect(page.text).to.match(/data-testid="stage">পাইলটিং/);
    expect(page.text).to.include('২০২৫-২৬');
    const timeline = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(page.text)?.[1] ?? '';
    expect(timeline).to.include('ধারণা');
    expect(timeline).to.include('পাইলটিং');
    expect(timeline).to.include('রাশেদা আক্তার');
    expect(timeline).to.include('জেলা প্রশাসক ক');
    expect(timeline).to.include('পাইলটিং প্রস্তাব');
    expect(timeline).to.include('অনুমোদন দিলাম');
    expect(timeline).to.include('১৫/০৯/২০২৫');
    expect(page.text).to.include('সদর উপজেলা');
    expect(page.text).to.include('পরিকল্পিত');
    // An observer reads only: no forms to edit, propose or change areas.
    expect(page.text).to.not.include(`action="/initiatives/${id}/transitions"`);
    expect(page.text).to.not.include(`href="/initiatives/${id}/edit"`);
    expect(page.text).to.not.include(`action="/initiatives/${id}/areas`);
  });

  it('when a replicating initiative is opened, then the page shows its TCV before and now, the pilot evaluation, and offers only the moves allowed from its stage', async () => {
    const { id } = await create(as.ioA, { title: 'টিসিভি পাতা', kind: 'simplification', tcvBaseline: { days: 15, taka: 500, visits: 3 }, tcvCurrent: { days: 3, taka: 50, visits: 1 }, budget: { needed: 124080 } });
    await toReplication(as.headA, id);
    const { agent } = await signIn(server.url, 'io-a');
    const page = await agent.get(`/initiatives/${id}`).expect(200);
    const tcv = /<table class="data tcv">([\s\S]*?)<\/table>/.exec(page.text)?.[1] ?? '';
    expect(tcv).to.match(/সময় \(দিন\)<\/th><td>১৫<\/td><td>৩<\/td><td>-১২ \(-৮০%\)<\/td>/);
    expect(page.text).to.include('১,২৪,০৮০');
    const evaluation = /data-testid="evaluation">([\s\S]*?)<\/dl>/.exec(page.text)?.[1] ?? '';
    expect(evaluation).to.include('পাইলটিং সফল');
    expect(evaluation).to.include('১,২০০');
    const options = [...(/<select id="t-to" name="to">([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '').matchAll(/value="(\w+)"/g)].map((m) => m[1]);
    expect(options).to.deep.equal(['institutionalised', 'paused', 'dropped']);
    expect(page.text).to.include('name="policy"');
    expect(page.text).to.not.include('name="evalSummary"');
  });

  it('when an officer logs an initiative through the form, then it is saved and they land on its page', async () => {
    const { agent, csrf } = await signIn(server.url, 'io-a');
    const form = await agent.get('/initiatives/new').expect(200);
    expect(form.text).to.include('নতুন উদ্যোগ');
    const res = await agent
      .post('/initiatives/new')
      .type('form')
      .send({ _csrf: csrf, title: 'ফর্মে নিবন্ধিত', kind: 'simplification', office: String(world.upazilaA._id), fiscalYear: '২০২৫-২৬', baselineDays: '১৫', baselineTaka: '৫০০', baselineVisits: '৩', tags: 'নারী, শিশু' })
      .expect(302);
    const stored = await Initiative.findOne({ title: 'ফর্মে নিবন্ধিত' }).lean();
    expect(stored).to.not.equal(null);
    expect(res.headers.location).to.equal(`/initiatives/${String(stored!._id)}`);
    expect(stored).to.include({ kind: 'simplification', fiscalYear: '2025-26' });
    expect(String(stored!.office)).to.equal(String(world.upazilaA._id));
    expect(stored!.tcvBaseline).to.deep.include({ days: 15, taka: 500, visits: 3 });
    expect(stored!.tags).to.deep.equal(['নারী', 'শিশু']);
    const page = await agent.get(res.headers.location!).expect(200);
    expect(page.text).to.include('উদ্যোগটি নিবন্ধিত হয়েছে।');
  });

  it('when the form is posted with bad input, then it is shown again with Bangla messages and the typed values kept, and nothing is saved', async () => {
    const { agent, csrf } = await signIn(server.url, 'io-a');
    const res = await agent
      .post('/initiatives/new')
      .type('form')
      .send({ _csrf: csrf, title: '', kind: 'idea', office: String(world.districtA._id), problem: 'নাগরিকের ভোগান্তি', fiscalYear: '২০২৫-২৭', baselineDays: 'পনের' })
      .expect(400);
    expect(res.text).to.include('এই ঘরটি পূরণ করা আবশ্যক।');
    expect(res.text).to.include('অর্থবছর লিখুন, যেমন ২০২৫-২৬।');
    expect(res.text).to.match(/id="i-title"[^>]*aria-invalid="true"/);
    expect(res.text).to.include('নাগরিকের ভোগান্তি');
    expect(res.text).to.include('value="২০২৫-২৭"');
    expect(res.text).to.include('value="পনের"');
    // The TCV error is shown too, not only flagged.
    expect(res.text).to.match(/id="e-tcvBaseline"/);
    expect(await Initiative.countDocuments()).to.equal(0);
    await agent.post('/initiatives/new').type('form').send({ title: 'টোকেন ছাড়া', kind: 'idea' }).expect(403);
    expect(await Initiative.countDocuments()).to.equal(0);
  });

  it('when an officer proposes through the page and the head approves through the page, then the stage changes and the page says so', async () => {
    const { id } = await create(as.ioA, { title: 'পাতায় অনুমোদন' });
    const officer = await signIn(server.url, 'io-a');
    await officer.agent.post(`/initiatives/${id}/transitions`).type('form').send({ _csrf: officer.csrf, to: 'pilot', note: 'পাতা থেকে প্রস্তাব', reason: '' }).expect(302);
    const head = await signIn(server.url, 'head-a');
    const page = await head.agent.get(`/initiatives/${id}`).expect(200);
    expect(page.text).to.include('অনুমোদনের অপেক্ষায় প্রস্তাব');
    const action = /action="(\/initiatives\/[0-9a-f]{24}\/transitions\/[0-9a-f]{24}\/approve)"/.exec(page.text)?.[1];
    expect(action, 'approve form').to.be.a('string');
    await head.agent.post(action!).type('form').send({ _csrf: head.csrf, note: 'পাতা থেকে অনুমোদন' }).expect(302);
    const after = await head.agent.get(`/initiatives/${id}`).expect(200);
    expect(after.text).to.include('প্রস্তাব অনুমোদিত হয়েছে।');
    expect(after.text).to.match(/data-testid="stage">পাইলটিং/);
    expect(after.text).to.not.include('অনুমোদনের অপেক্ষায় প্রস্তাব');
    expect((await Initiative.findById(id).lean())?.stage).to.equal('pilot');
    // The officer's page shows no approve button.
    const officerPage = await officer.agent.get(`/initiatives/${id}`).expect(200);
    expect(officerPage.text).to.not.match(/\/approve"/);
  });

  it('when a move through the page misses its gate, then the page says what is missing and nothing is proposed', async () => {
    const { id } = await create(as.ioA, { title: 'পাতায় শর্ত' });
    await headMove(as.headA, id, { to: 'pilot' });
    const officer = await signIn(server.url, 'io-a');
    const empty = { evalSummary: '', evalBeneficiaries: '', evalRecommendation: '', afterDays: '', afterTaka: '', afterVisits: '', policy: '', budgetLine: '', owningAgency: '' };
    await officer.agent.post(`/initiatives/${id}/transitions`).type('form').send({ _csrf: officer.csrf, to: 'replication', note: '', reason: '', ...empty, evalSummary: 'ভালো ফল' }).expect(302);
    const page = await officer.agent.get(`/initiatives/${id}`).expect(200);
    expect(page.text).to.include('এই ধাপ পরিবর্তনের শর্ত পূরণ হয়নি।');
    expect(page.text).to.include('উপকারভোগীর সংখ্যা দিন।');
    expect(page.text).to.not.include('পাইলটিং মূল্যায়নের সারসংক্ষেপ দিন।');
    expect(await Transition.countDocuments({ initiative: id, status: 'pending' })).to.equal(0);
  });

  it('when a later move is made through the page with its evaluation boxes left empty, then the recorded pilot evaluation is kept', async () => {
    const { id } = await create(as.ioA, { title: 'মূল্যায়ন থাকবে' });
    await toReplication(as.headA, id);
    const head = await signIn(server.url, 'head-a');
    const empty = { evalSummary: '', evalBeneficiaries: '', evalRecommendation: '', afterDays: '', afterTaka: '', afterVisits: '', policy: '', budgetLine: '', owningAgency: '' };
    await head.agent.post(`/initiatives/${id}/transitions`).type('form').send({ _csrf: head.csrf, to: 'paused', note: '', reason: 'বাজেট স্থগিত', ...empty }).expect(302);
    const got = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.stage).to.equal('paused');
    expect(got.pilotEvaluation).to.deep.include({ summary: 'পাইলটিং সফল', beneficiaries: 1200, recommendation: 'সব উপজেলায় রেপ্লিকেশন' });
    expect(got.pilotEvaluation.tcvAfter).to.deep.equal({ days: 3, taka: 50, visits: 1 });
  });

  it('when two people edit through the form and the second saves, then the second sees what the first changed, in Bangla with the current value, and nothing is lost', async () => {
    const { id } = await create(as.ioA, { title: 'দুজনের সম্পাদনা', problem: 'পুরনো সমস্যা' });
    const first = await signIn(server.url, 'io-a');
    const second = await signIn(server.url, 'head-a');
    const form1 = await first.agent.get(`/initiatives/${id}/edit`).expect(200);
    const form2 = await second.agent.get(`/initiatives/${id}/edit`).expect(200);
    // What a browser sends: every box with its value, but no unticked checkbox.
    const fields = (html: string) => Object.fromEntries([...html.matchAll(/<input (?![^>]*type="checkbox")[^>]*?name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const v1 = fields(form1.text);
    expect(v1.version).to.equal('0');
    await first.agent.post(`/initiatives/${id}/edit`).type('form').send({ ...v1, _csrf: first.csrf, kind: 'idea', problem: 'প্রথমজনের সমস্যা', solution: '' }).expect(302);
    // Only what was changed is recorded: the empty TCV and budget boxes are not changes.
    const audit = await AuditEntry.findOne({ action: 'initiative.update', 'entity.id': id }).lean();
    expect(audit?.changes?.map((c) => c.field)).to.deep.equal(['problem']);
    const v2 = fields(form2.text);
    const refused = await second.agent.post(`/initiatives/${id}/edit`).type('form').send({ ...v2, _csrf: second.csrf, kind: 'idea', title: 'দ্বিতীয়জনের শিরোনাম', problem: 'পুরনো সমস্যা', solution: '' }).expect(409);
    expect(refused.text).to.include('অন্য কেউ এই উদ্যোগটি পরিবর্তন করেছেন (সমস্যা)');
    expect(refused.text).to.match(/data-testid="changed"><dt>সমস্যা<\/dt><dd>প্রথমজনের সমস্যা<\/dd>/);
    expect(refused.text).to.include('value="দ্বিতীয়জনের শিরোনাম"');
    expect(refused.text).to.include('name="version" value="1"');
    let stored = await Initiative.findById(id).lean();
    expect(stored).to.include({ title: 'দুজনের সম্পাদনা', problem: 'প্রথমজনের সমস্যা' });
    // Having seen it, the second person keeps the first one's problem and saves the title.
    await second.agent.post(`/initiatives/${id}/edit`).type('form').send({ ...v2, _csrf: second.csrf, version: '1', kind: 'idea', title: 'দ্বিতীয়জনের শিরোনাম', problem: 'প্রথমজনের সমস্যা', solution: '' }).expect(302);
    stored = await Initiative.findById(id).lean();
    expect(stored).to.include({ title: 'দ্বিতীয়জনের শিরোনাম', problem: 'প্রথমজনের সমস্যা' });
  });

  it('when an initiative is logged through the form with the TCV and budget boxes empty, then it has no TCV and no budget', async () => {
    const { agent, csrf } = await signIn(server.url, 'io-a');
    await agent
      .post('/initiatives/new')
      .type('form')
      .send({ _csrf: csrf, title: 'খালি TCV', kind: 'idea', office: String(world.districtA._id), fiscalYear: '', baselineDays: '', baselineTaka: '', baselineVisits: '', currentDays: '', currentTaka: '', currentVisits: '', budgetNeeded: '', budgetAllocated: '', budgetCode: '', tags: '' })
      .expect(302);
    const stored = await Initiative.findOne({ title: 'খালি TCV' }).lean();
    const got = (await as.ioA.get(`/api/v1/initiatives/${String(stored!._id)}`).expect(200)).body;
    expect(got.tcv).to.deep.equal({ baseline: null, current: null, change: null });
    expect(got.budget).to.equal(null);
    expect(got.fiscalYear).to.equal('2025-26');
    const page = await agent.get(`/initiatives/${String(stored!._id)}`).expect(200);
    expect(page.text).to.not.include('<dt>TCV</dt>');
  });

  it('when a field officer opens an initiative whose area they run, then they can update that area from the page', async () => {
    const { id } = await create(as.ioA, { title: 'মাঠের পাতা' });
    const areas = (await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা খ', fieldOfficer: String(people.fieldB._id) }).expect(201)).body.areas as { id: string }[];
    const field = await signIn(server.url, 'field-b');
    const page = await field.agent.get(`/initiatives/${id}`).expect(200);
    expect(page.text).to.include(`action="/initiatives/${id}/areas/${areas[0]!.id}"`);
    await field.agent.post(`/initiatives/${id}/areas/${areas[0]!.id}`).type('form').send({ _csrf: field.csrf, status: 'running' }).expect(302);
    const stored = await Initiative.findById(id).lean();
    expect(stored?.areas[0]).to.include({ status: 'running', startedAt: '2025-09-15' });
  });
});

describe('pages for API clients', () => {
  it('when a page is requested with a bearer token (no session), then it renders instead of failing', async () => {
    await resetDatabase();
    const world = await createWorld();
    await createUser({ office: world.root, roles: ['observer'], username: 'page-reader' });
    const server = await startTestServer();
    try {
      const token = await tokenFor(server.url, 'page-reader');
      const res = await request(server.url).get('/initiatives').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.text).to.include('<html lang="bn">');
    } finally {
      await server.close();
    }
  });
});

/** An API client for any user (e.g. a second head), with a token issued under the server's clock. */
async function clientOf(url: string, user: Awaited<ReturnType<typeof createUser>>, clock: string): Promise<Client> {
  const c = fixedClock(clock);
  const { token } = await issueToken({ actor: actorFromUser(user, c, 'token'), clock: c }, { tokenDays: 30 });
  return client(url, token);
}

const BANGLA = /[\u0980-\u09FF]/;

describe('initiatives: simultaneous stage changes', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;
  let ioA2: Client;
  let headA2: Client;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
    ioA2 = await clientOf(server.url, await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'io-a2', nameBn: 'দ্বিতীয় কর্মকর্তা' }), NOW);
    headA2 = await clientOf(server.url, await createUser({ office: world.districtA, roles: ['head'], username: 'head-a2', nameBn: 'ভারপ্রাপ্ত প্রধান' }), NOW);
  });
  afterEach(() => server.close());

  it('when officers send six proposals for one initiative at the same moment, then exactly one is pending, the other five get 409 with a Bangla message, and nothing else is written', async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await create(as.ioA, { title: `একসাথে প্রস্তাব ${round}` });
      const bodies = [{ to: 'pilot' }, { to: 'dropped', reason: 'দরকার নেই' }, { to: 'paused', reason: 'বাজেট নেই' }, { to: 'pilot', note: 'আবার' }, { to: 'dropped', reason: 'অন্য উদ্যোগ' }, { to: 'pilot', note: 'তৃতীয়' }];
      const results = await Promise.all(bodies.map((b, n) => (n % 2 ? ioA2 : as.ioA).post(`/api/v1/initiatives/${id}/transitions`, b)));
      const won = results.filter((r) => r.status === 201);
      const lost = results.filter((r) => r.status === 409);
      expect(won, results.map((r) => `${r.status} ${JSON.stringify(r.body)}`).join('\n')).to.have.length(1);
      expect(lost).to.have.length(5);
      for (const r of lost) {
        expect(r.body.error.code).to.equal('conflict');
        expect(r.body.error.message).to.match(BANGLA);
      }
      const transitions = await Transition.find({ initiative: id }).lean();
      expect(transitions).to.have.length(1);
      expect(String(transitions[0]!._id)).to.equal(won[0]!.body.id);
      expect(transitions[0]!.status).to.equal('pending');
      const stored = await Initiative.findById(id).lean();
      expect(stored?.stage).to.equal('idea');
      expect(String(stored?.pendingTransition?.id)).to.equal(won[0]!.body.id);
      expect(await AuditEntry.countDocuments({ action: 'initiative.transition.propose', 'entity.id': id })).to.equal(1);
    }
  });

  it('when two heads move the same initiative at the same moment, then exactly one move applies, the other gets 409 and changes nothing', async () => {
    for (const [a, b] of [[{ to: 'pilot' }, { to: 'dropped', reason: 'প্রয়োজন নেই' }], [{ to: 'pilot', note: 'প্রথম' }, { to: 'pilot', note: 'দ্বিতীয়' }]] as const) {
      const { id } = await create(as.ioA, { title: `দুই প্রধান ${a.to}-${b.to}` });
      const [r1, r2] = await Promise.all([as.headA.post(`/api/v1/initiatives/${id}/transitions`, a), headA2.post(`/api/v1/initiatives/${id}/transitions`, b)]);
      expect([r1.status, r2.status].sort(), JSON.stringify([r1.body, r2.body])).to.deep.equal([201, 409]);
      const [winner, loser, body] = r1.status === 201 ? [r1, r2, a] : [r2, r1, b];
      expect(winner.body.status).to.equal('approved');
      expect(loser.body.error.message).to.match(BANGLA);
      const stored = await Initiative.findById(id).lean();
      expect(stored?.stage).to.equal(body.to);
      // One move out of "idea", recorded once.
      expect(stored?.history.map((h) => `${h.from}→${h.to}`)).to.deep.equal(['null→idea', `idea→${body.to}`]);
      expect(stored?.pendingTransition ?? null).to.equal(null);
      const transitions = await Transition.find({ initiative: id }).lean();
      expect(transitions.map((t) => t.status)).to.deep.equal(['approved']);
      expect(await AuditEntry.countDocuments({ action: 'initiative.stage', 'entity.id': id })).to.equal(1);
      // The claim was settled: the next move goes ahead.
      if (body.to === 'pilot') await headMove(as.headA, id, { to: 'paused', reason: 'বিরতি' });
    }
  });

  it('when a head moves while an officer proposes at the same moment, then only one of them goes ahead and the record agrees with the answer', async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await create(as.ioA, { title: `প্রধান বনাম প্রস্তাব ${round}` });
      const [proposal, move] = await Promise.all([as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }), as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'dropped', reason: 'সিদ্ধান্ত' })]);
      expect([proposal.status, move.status].sort(), JSON.stringify([proposal.body, move.body])).to.deep.equal([201, 409]);
      const stored = await Initiative.findById(id).lean();
      const transitions = await Transition.find({ initiative: id }).lean();
      expect(transitions).to.have.length(1);
      if (proposal.status === 201) {
        expect(stored?.stage).to.equal('idea');
        expect(String(stored?.pendingTransition?.id)).to.equal(proposal.body.id);
        // Waiting for approval, or (caught while the proposal was being written) being changed at this moment.
        expect(move.body.error.message).to.match(/অপেক্ষায়|এই মুহূর্তে/);
      } else {
        expect(stored?.stage).to.equal('dropped');
        expect(stored?.pendingTransition ?? null).to.equal(null);
        expect(transitions[0]!.status).to.equal('approved');
      }
    }
  });

  it('when two heads decide the same proposal at the same moment (one approves, one rejects), then exactly one decision is taken and a new proposal may follow', async () => {
    const { id } = await create(as.ioA, { title: 'একসাথে সিদ্ধান্ত' });
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(201)).body;
    const [approve, reject] = await Promise.all([as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, { note: 'হ্যাঁ' }), headA2.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/reject`, { note: 'না' })]);
    expect([approve.status, reject.status].sort(), JSON.stringify([approve.body, reject.body])).to.deep.equal([200, 409]);
    const t = await Transition.findById(proposal.id).lean();
    const stored = await Initiative.findById(id).lean();
    expect(stored?.pendingTransition ?? null).to.equal(null);
    if (approve.status === 200) {
      expect(t?.status).to.equal('approved');
      expect(stored?.stage).to.equal('pilot');
    } else {
      expect(t?.status).to.equal('rejected');
      expect(stored?.stage).to.equal('idea');
    }
    expect(stored?.history).to.have.length(approve.status === 200 ? 2 : 1);
    const next = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'dropped', reason: 'শেষ' }).expect(201);
    expect(next.body.status).to.equal('pending');
  });

  it('when a process died after claiming a move but before writing its proposal, then the claim blocks (409) while fresh and is passed over once older than the grace period', async () => {
    const { id } = await create(as.ioA, { title: 'মৃত প্রক্রিয়ার দাবি' });
    await StageClaim.create({ _id: `move:${id}:0`, initiative: id, transition: new Types.ObjectId(), at: new Date() });
    const busy = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(409);
    expect(busy.body.error.message).to.include('এই মুহূর্তে');
    expect(await Transition.countDocuments({ initiative: id })).to.equal(0);
    await StageClaim.updateOne({ _id: `move:${id}:0` }, { $set: { at: new Date(Date.now() - CLAIM_GRACE_MS - 1000) } });
    const res = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(201);
    expect(res.body.status).to.equal('pending');
    const stored = await Initiative.findById(id).lean();
    expect(String(stored?.pendingTransition?.id)).to.equal(res.body.id);
    expect(stored?.stageGen).to.equal(1);
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${res.body.id}/approve`, {}).expect(200);
    expect((await Initiative.findById(id).lean())?.stage).to.equal('pilot');
  });

  it('when a claim’s proposal was already decided but the claim was not settled (a process died in between), then the next proposal passes over it at once', async () => {
    const { id } = await create(as.ioA, { title: 'নিষ্পন্ন দাবি' });
    const old = await Transition.create({ initiative: id, office: world.districtA._id, from: 'idea', to: 'pilot', status: 'rejected', proposedBy: { name: 'কেউ' }, proposedAt: new Date(NOW), gen: 0 });
    await StageClaim.create({ _id: `move:${id}:0`, initiative: id, transition: old._id, at: new Date() });
    await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot' }).expect(201);
    expect((await Initiative.findById(id).lean())?.stageGen).to.equal(1);
  });

  it('when a process died after writing a proposal but before copying it onto the initiative, then the next attempt gets 409 and the proposal appears on the initiative for the head to decide', async () => {
    const { id } = await create(as.ioA, { title: 'অর্ধেক লেখা প্রস্তাব' });
    const orphan = await Transition.create({ initiative: id, office: world.districtA._id, from: 'idea', to: 'pilot', note: 'হারানো প্রস্তাব', status: 'pending', proposedBy: { name: 'রাশেদা আক্তার' }, proposedAt: new Date(NOW), gen: 0 });
    await StageClaim.create({ _id: `move:${id}:0`, initiative: id, transition: orphan._id, at: new Date(Date.now() - CLAIM_GRACE_MS - 1000) });
    const again = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'dropped', reason: 'x' }).expect(409);
    expect(again.body.error.message).to.include('অপেক্ষায়');
    const got = (await as.headA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.pendingTransition).to.include({ id: String(orphan._id), from: 'idea', to: 'pilot', note: 'হারানো প্রস্তাব' });
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${String(orphan._id)}/approve`, {}).expect(200);
    const stored = await Initiative.findById(id).lean();
    expect(stored?.stage).to.equal('pilot');
    expect(stored?.pendingTransition ?? null).to.equal(null);
  });

  it('when the initiative still shows a proposal that was in fact decided (the write clearing it was lost), then the next proposal clears it and goes ahead', async () => {
    const { id } = await create(as.ioA, { title: 'পুরনো প্রদর্শন' });
    const decided = await Transition.create({ initiative: id, office: world.districtA._id, from: 'idea', to: 'pilot', status: 'rejected', proposedBy: { name: 'কেউ' }, proposedAt: new Date(NOW), gen: 0 });
    await Initiative.updateOne({ _id: id }, { $set: { stageGen: 1, pendingTransition: { id: decided._id, from: 'idea', to: 'pilot', proposedBy: { name: 'কেউ' }, proposedAt: new Date(NOW) } } });
    const res = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot', note: 'নতুন' }).expect(201);
    const got = (await as.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    expect(got.pendingTransition).to.include({ id: res.body.id, note: 'নতুন' });
  });

  it('when an initiative stored before claims existed has a proposal pending from then, then a new proposal is refused with 409 and the old one can still be approved', async () => {
    const { id } = await create(as.ioA, { title: 'পুরনো তথ্য' });
    await Initiative.collection.updateOne({ _id: new Types.ObjectId(id) }, { $unset: { stageGen: '', pendingTransition: '' } });
    const old = await Transition.collection.insertOne({ initiative: new Types.ObjectId(id), office: world.districtA._id, from: 'idea', to: 'pilot', status: 'pending', proposedBy: { name: 'কেউ' }, proposedAt: new Date(NOW), evidence: [] });
    const refused = await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'dropped', reason: 'x' }).expect(409);
    expect(refused.body.error.message).to.include('অপেক্ষায়');
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${String(old.insertedId)}/approve`, {}).expect(200);
    const stored = await Initiative.findById(id).lean();
    expect(stored).to.include({ stage: 'pilot', stageGen: 1 });
    expect(await Transition.countDocuments({ initiative: id })).to.equal(1);
  });

  it('when a head’s move is refused by its gate, then nothing is claimed or left pending and the next move goes ahead', async () => {
    const { id } = await create(as.ioA, { title: 'ব্যর্থ চাল' });
    await headMove(as.headA, id, { to: 'pilot' });
    await as.headA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'replication' }).expect(400);
    await headMove(as.headA, id, { to: 'replication', pilotEvaluation: EVALUATION });
    const stored = await Initiative.findById(id).lean();
    expect(stored?.stage).to.equal('replication');
    expect(stored?.stageGen).to.equal(2);
    expect(await Transition.countDocuments({ initiative: id, status: 'pending' })).to.equal(0);
  });
});

describe('initiatives: the detail page and API read by _id only', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
  });
  afterEach(() => {
    mongoose.set('debug', false);
    return server.close();
  });

  it('when an initiative with a pending proposal, people and areas is opened (page and API), then no query other than by _id is made, and the proposal is shown from the initiative itself', async () => {
    const { id } = await create(as.ioA, { title: 'দ্রুত পাতা', lead: String(people.ioA._id), team: [String(people.fieldA._id)] });
    await as.ioA.post(`/api/v1/initiatives/${id}/areas`, { nameBn: 'উপজেলা ক', fieldOfficer: String(people.fieldA._id) }).expect(201);
    const proposal = (await as.ioA.post(`/api/v1/initiatives/${id}/transitions`, { to: 'pilot', note: 'পাইলটিং চাই' }).expect(201)).body;
    const head = await signIn(server.url, 'head-a');
    // Warm the caches (office tree, people, read model), as any running instance has them.
    await head.agent.get(`/initiatives/${id}`).expect(200);
    await as.headA.get(`/api/v1/initiatives/${id}`).expect(200);

    const queries: { coll: string; method: string; filter: unknown }[] = [];
    mongoose.set('debug', (coll: string, method: string, filter: unknown) => {
      queries.push({ coll, method, filter });
    });
    const page = await head.agent.get(`/initiatives/${id}`).expect(200);
    const api = (await as.headA.get(`/api/v1/initiatives/${id}`).expect(200)).body;
    mongoose.set('debug', false);

    const reads = queries.filter((q) => /^(find|findOne|countDocuments|aggregate|distinct|estimatedDocumentCount)$/.test(q.method));
    // Only {_id: value} is an index read on the engine; {_id: {$in | $gt | ...}} reads the whole collection.
    const isOperator = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith('$'));
    const scans = reads.filter((q) => {
      const filter = (q.filter as Record<string, unknown> | null) ?? {};
      const keys = Object.keys(filter);
      return keys.length === 0 || keys.some((k) => k !== '_id') || isOperator(filter._id);
    });
    expect(isOperator({ $in: ['a'] }) && isOperator({ $gt: 'a' }) && !isOperator(new Types.ObjectId()) && !isOperator('a')).to.equal(true);
    expect(scans, JSON.stringify(scans)).to.deep.equal([]);
    expect(reads.map((q) => q.coll)).to.not.include('initiative_transitions');

    expect(api.pendingTransition).to.include({ id: proposal.id, from: 'idea', to: 'pilot', note: 'পাইলটিং চাই', proposedBy: 'রাশেদা আক্তার' });
    expect(page.text).to.include(`/initiatives/${id}/transitions/${proposal.id}/approve`);
    expect(page.text).to.include('পাইলটিং চাই');
    expect(page.text).to.match(/data-testid="lead">রাশেদা আক্তার</);
    expect(page.text).to.match(/data-testid="team">শারমিন</);
    // Decided, the proposal leaves the initiative.
    await as.headA.post(`/api/v1/initiatives/${id}/transitions/${proposal.id}/approve`, {}).expect(200);
    expect((await as.headA.get(`/api/v1/initiatives/${id}`).expect(200)).body.pendingTransition).to.equal(null);
    expect((await head.agent.get(`/initiatives/${id}`).expect(200)).text).to.not.include(`/transitions/${proposal.id}/approve`);
  });
});

describe('initiatives: stuck pilots at month ends (Dhaka calendar)', () => {
  let people: People;
  const servers: TestServer[] = [];
  const at = async (clock: string, months = '1') => {
    const s = await startTestServer({ clock, env: { STUCK_PILOT_MONTHS: months } });
    servers.push(s);
    return clientsFor(s.url, people, clock);
  };

  beforeEach(async () => {
    await resetDatabase();
    people = await createPeople(await createWorld());
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  const stuckAt = async (id: string, clock: string, months = '1') => {
    const c = await at(clock, months);
    const one = (await c.ioA.get(`/api/v1/initiatives/${id}`).expect(200)).body.stuck as boolean;
    const listed = (await c.ioA.get('/api/v1/initiatives?stuck=true').expect(200)).body.items.some((i: { id: string }) => i.id === id) as boolean;
    expect(listed, `list and record agree at ${clock}`).to.equal(one);
    return one;
  };

  it('when a pilot entered on 31 January (Dhaka) with N = 1, then it is stuck only after the same time on 28 February, and after 29 February in a leap year', async () => {
    // 31 Jan 2025, 10:00 in Dhaka.
    const jan = await at('2025-01-31T04:00:00Z');
    const { id } = await create(jan.ioA, { title: 'জানুয়ারির শেষে' });
    await headMove(jan.headA, id, { to: 'pilot' });
    expect(await stuckAt(id, '2025-02-28T04:00:00Z')).to.equal(false); // exactly one month: not more
    expect(await stuckAt(id, '2025-02-28T04:00:01Z')).to.equal(true);

    const jan24 = await at('2024-01-31T04:00:00Z');
    const leap = await create(jan24.ioA, { title: 'অধিবর্ষে' });
    await headMove(jan24.headA, leap.id, { to: 'pilot' });
    expect(await stuckAt(leap.id, '2024-02-28T04:00:01Z')).to.equal(false);
    expect(await stuckAt(leap.id, '2024-02-29T04:00:00Z')).to.equal(false);
    expect(await stuckAt(leap.id, '2024-02-29T04:00:01Z')).to.equal(true);
  });

  it('when a pilot entered just after midnight in Dhaka (still the previous day in UTC), then its months count from the Dhaka date', async () => {
    // 1 March 2025, 00:30 in Dhaka = 28 February 18:30 UTC: one month later is 1 April 00:30 Dhaka, not 28 March.
    const start = await at('2025-02-28T18:30:00Z');
    const { id } = await create(start.ioA, { title: 'মধ্যরাতের পরে' });
    await headMove(start.headA, id, { to: 'pilot' });
    expect(await stuckAt(id, '2025-03-29T00:00:00Z')).to.equal(false);
    expect(await stuckAt(id, '2025-03-31T18:30:00Z')).to.equal(false);
    expect(await stuckAt(id, '2025-03-31T18:31:00Z')).to.equal(true);
  });
});

describe('initiatives: numbers, and choosing the lead and team', () => {
  let server: TestServer;
  let world: World;
  let people: People;
  let as: Record<Who, Client>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    people = await createPeople(world);
    server = await startTestServer({ clock: NOW });
    as = await clientsFor(server.url, people, NOW);
  });
  afterEach(() => server.close());

  it('when TCV and budget figures are large, then the page shows them with Indian grouping: Bangla digits in Bangla, Latin digits in English', async () => {
    const { id } = await create(as.ioA, { title: 'বড় সংখ্যা', tcvBaseline: { days: 45, taka: 123456, visits: 7 }, tcvCurrent: { days: 3, taka: 1500, visits: 1 }, budget: { needed: 2500000, allocated: 1250000 } });
    const { agent } = await signIn(server.url, 'io-a');
    const bn = (await agent.get(`/initiatives/${id}`).expect(200)).text;
    expect(bn).to.include('<td>১,২৩,৪৫৬</td>');
    expect(bn).to.include('<td>১,৫০০</td>');
    expect(bn).to.include('<td>-১,২১,৯৫৬ (-৯৮.৮%)</td>');
    expect(bn).to.include('<td>-৪২ (-৯৩.৩%)</td>');
    expect(bn).to.include('২৫,০০,০০০');
    expect(bn).to.include('১২,৫০,০০০');
    const en = (await agent.get(`/initiatives/${id}?lang=en`).expect(200)).text;
    expect(en).to.include('<td>1,23,456</td>');
    expect(en).to.include('<td>-1,21,956 (-98.8%)</td>');
    expect(en).to.include('25,00,000');
    expect(en).to.not.match(/<td>[^<]*[০-৯]/);
  });

  it('when the new-initiative form is opened, then the lead and team are offered from the active people of the user’s offices (with those below), never from another district or inactive people', async () => {
    await createUser({ office: world.districtA, roles: ['field_officer'], username: 'gone-a', nameBn: 'অবসরপ্রাপ্ত কর্মকর্তা', active: false });
    const { agent } = await signIn(server.url, 'io-a');
    const html = (await agent.get('/initiatives/new').expect(200)).text;
    const lead = html.match(/<select id="i-lead" name="lead"[^>]*>([\s\S]*?)<\/select>/)?.[1] ?? '';
    for (const p of [people.ioA, people.headA, people.fieldA, people.ioUpA]) expect(lead).to.include(`value="${String(p._id)}"`);
    for (const p of [people.ioB, people.headB, people.fieldB, people.ioRoot]) expect(lead).to.not.include(`value="${String(p._id)}"`);
    expect(lead).to.not.include('অবসরপ্রাপ্ত কর্মকর্তা');
    expect(lead).to.include('<optgroup label="জেলা ক">');
    const team = html.match(/data-testid="team"[\s\S]*?<\/fieldset>/)?.[0] ?? '';
    expect(team).to.include(`type="checkbox" name="team" value="${String(people.fieldA._id)}"`);
    expect(team).to.not.include(String(people.fieldB._id));
  });

  it('when an initiative of an upazila is edited, then only that upazila’s people are offered, and the current lead and team are chosen', async () => {
    const { id } = await create(as.ioA, { title: 'উপজেলার উদ্যোগ', office: String(world.upazilaA._id), lead: String(people.ioUpA._id), team: [String(people.fieldA._id)] });
    const { agent } = await signIn(server.url, 'io-a');
    const html = (await agent.get(`/initiatives/${id}/edit`).expect(200)).text;
    expect(html).to.match(new RegExp(`<option value="${String(people.ioUpA._id)}" selected>`));
    expect(html).to.match(new RegExp(`value="${String(people.fieldA._id)}" checked>`));
    expect(html).to.not.include(`value="${String(people.headA._id)}"`);
  });

  it('when the form chooses a lead and a team, then they are saved and shown by name; unticking every team box empties the team', async () => {
    const { agent, csrf } = await signIn(server.url, 'io-a');
    const res = await agent
      .post('/initiatives/new')
      .type('form')
      .send({ _csrf: csrf, title: 'দল সহ উদ্যোগ', kind: 'idea', office: String(world.districtA._id), lead: String(people.headA._id), teamShown: '1', team: [String(people.fieldA._id), String(people.ioUpA._id)] })
      .expect(302);
    const id = res.headers.location!.split('/').pop()!;
    const stored = await Initiative.findById(id).lean();
    expect(String(stored?.lead)).to.equal(String(people.headA._id));
    expect(stored?.team.map(String)).to.deep.equal([String(people.fieldA._id), String(people.ioUpA._id)]);
    const page = (await agent.get(`/initiatives/${id}`).expect(200)).text;
    expect(page).to.match(/data-testid="lead">জেলা প্রশাসক ক</);
    expect(page).to.include('শারমিন');
    await agent.post(`/initiatives/${id}/edit`).type('form').send({ _csrf: csrf, version: String(stored?.__v), title: 'দল সহ উদ্যোগ', kind: 'idea', lead: '', teamShown: '1' }).expect(302);
    const emptied = await Initiative.findById(id).lean();
    expect(emptied?.lead ?? null).to.equal(null);
    expect(emptied?.team).to.deep.equal([]);
  });

  it('when the form or the API names a lead or team member outside the office subtree, inactive or unknown, then 400 with a Bangla message and nothing is saved', async () => {
    const inactive = await createUser({ office: world.districtA, roles: ['field_officer'], username: 'inactive-a', active: false });
    const { agent, csrf } = await signIn(server.url, 'io-a');
    const outside = await agent.post('/initiatives/new').type('form').send({ _csrf: csrf, title: 'বাইরের দলনেতা', kind: 'idea', office: String(world.districtA._id), lead: String(people.headB._id), teamShown: '1' }).expect(400);
    expect(outside.text).to.include('দলনেতা হিসেবে এই দপ্তর বা এর অধীন কোনো দপ্তরের একজন সক্রিয় কর্মকর্তাকে বাছাই করুন।');
    expect(outside.text).to.match(/id="i-lead"[^>]*aria-invalid="true"/);
    // An upazila's initiative cannot be led from the district above it.
    const above = await agent.post('/initiatives/new').type('form').send({ _csrf: csrf, title: 'উপরের দলনেতা', kind: 'idea', office: String(world.upazilaA._id), lead: String(people.headA._id) }).expect(400);
    expect(above.text).to.include('দলনেতা হিসেবে');
    const unknownTeam = await agent.post('/initiatives/new').type('form').send({ _csrf: csrf, title: 'অজানা সদস্য', kind: 'idea', office: String(world.districtA._id), teamShown: '1', team: [String(people.fieldA._id), String(new Types.ObjectId())] }).expect(400);
    expect(unknownTeam.text).to.include('দলে শুধু এই দপ্তর বা এর অধীন দপ্তরের সক্রিয় কর্মকর্তাদের রাখা যায়');
    expect(await Initiative.countDocuments()).to.equal(0);

    const { id, version } = await create(as.ioA, { title: 'এপিআই দিয়ে' });
    const api = await as.ioA.patch(`/api/v1/initiatives/${id}`, { version, lead: String(inactive._id), team: [String(people.fieldB._id)] }).expect(400);
    expect(api.body.error.fields.lead).to.match(BANGLA);
    expect(api.body.error.fields.team).to.match(BANGLA);
    const en = await as.ioA.patch(`/api/v1/initiatives/${id}?lang=en`, { version, lead: String(people.headB._id) }).expect(400);
    expect(en.body.error.fields.lead).to.equal('Choose as lead an active officer of this office or of an office below it.');
    const stored = await Initiative.findById(id).lean();
    expect(stored?.__v).to.equal(version);
    expect(stored?.lead ?? null).to.equal(null);
    expect(await AuditEntry.countDocuments({ action: 'initiative.update', 'entity.id': id })).to.equal(0);
  });
});
