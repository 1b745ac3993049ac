// Simultaneous writes of one meeting or action item, on the real engine. Mongoose's version check is not atomic on
// FerretDB 1.24: 20 same-version minutes saves let 1 to 3 through (each with an audit row), and a notice issued
// while the meeting was moved left it in the upazila with a notice numbered in the district's register, or (the
// engine writing back the whole document) erased the notice after its number was used up. The winner of a version
// is now decided by a unique insert (src/features/meetings/meeting-versions.ts): one 200, the others 409.
import { expect } from 'chai';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { ActionItem, Meeting } from '../../src/features/meetings/meeting.model.js';
import { MemoNumber } from '../../src/features/memo-numbers/memo.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { expectOneWinner } from '../support/race.js';

const N = 20;
/** Rounds per write: one round of the old code sometimes had a single winner by luck. */
const ROUNDS = 3;

describe('meeting races: one winner per version under simultaneous writes', function () {
  this.timeout(300_000);
  let server: TestServer;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const api = (who: string) => ({
    post: (p: string, body: object = {}) => request(server.url).post(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    patch: (p: string, body: object) => request(server.url).patch(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    put: (p: string, body: object) => request(server.url).put(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
  });

  before(async () => {
    await resetDatabase();
    server = await startTestServer();
    const world = await createWorld();
    Object.assign(ids, { districtA: String(world.districtA._id), upazilaA: String(world.upazilaA._id) });
    const officer = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'mr-officer' });
    const head = await createUser({ office: world.districtA, roles: ['head'], username: 'mr-head', designationBn: 'জেলা প্রশাসক' });
    tokens.officer = await tokenFor(server.url, officer.username);
    tokens.head = await tokenFor(server.url, head.username);
    const district = await api('officer').post('/api/v1/memo-registers', { office: ids.districtA, name: 'বহি', layout: '2014', segments: { ministry: '32', department: '01', geo: '4700', branch: '1', subject: '25', file: '11', year: '25' } }).expect(201);
    // The upazila numbers with its own register (without one it would borrow the district's): a notice's number
    // then tells which office the meeting belonged to when the notice was taken.
    const upazila = await api('officer').post('/api/v1/memo-registers', { office: ids.upazilaA, name: 'উপজেলা বহি', layout: '2014', segments: { ministry: '32', department: '01', geo: '4794', branch: '1', subject: '25', file: '11', year: '25' } }).expect(201);
    Object.assign(ids, { districtRegister: String(district.body.id), upazilaRegister: String(upazila.body.id) });
  });
  after(() => server?.close());

  const create = async (): Promise<string> => {
    const m = await api('officer').post('/api/v1/meetings', { kind: 'review', subject: 'রেস', office: ids.districtA, chair: { text: 'সভাপতি' }, startsAt: '2025-10-05T11:00:00+06:00' });
    expect(m.status, JSON.stringify(m.body)).to.equal(201);
    return m.body.id as string;
  };
  const versionOf = async (id: string): Promise<number> => (await Meeting.findById(id).lean())!.__v;
  const minutes = (opening: string) => ({ opening, items: [{ topic: 'অগ্রগতি', paragraphs: ['আলোচনা হয়।'] }], decisions: [{ text: 'অবহিতকরণ সভা আয়োজন করতে হবে।', deadline: '2025-10-15', item: 0 }] });

  const race = (send: (i: number) => request.Test) => expectOneWinner(N, send);


  it('when 20 PUT minutes with the same version arrive at once, then exactly one is saved (its text), 19 × 409 and one audit row', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await create();
      const v = await versionOf(id);
      const { winner } = await race((i) => api('officer').put(`/api/v1/meetings/${id}/minutes`, { ...minutes(`writer ${i}`), version: v }));
      const stored = (await Meeting.findById(id).lean())!;
      expect(stored.minutes?.opening).to.equal(`writer ${winner}`);
      expect(stored.__v).to.equal(v + 1);
      expect(await AuditEntry.countDocuments({ action: 'meeting.minutes', 'entity.id': id })).to.equal(1);
    }
  });

  it('when 20 PATCH meeting with the same version arrive at once, then exactly one is saved, 19 × 409 (the meeting message) and one audit row', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await create();
      const v = await versionOf(id);
      const { winner, answers } = await race((i) => api('officer').patch(`/api/v1/meetings/${id}`, { subject: `বিষয় ${i}`, version: v }));
      expect((await Meeting.findById(id).lean())!.subject).to.equal(`বিষয় ${winner}`);
      expect(await AuditEntry.countDocuments({ action: 'meeting.edit', 'entity.id': id })).to.equal(1);
      const loser = answers.find((r) => r.status === 409)!;
      expect(loser.body.error.message).to.match(/সভাটি পরিবর্তন করেছেন/);
    }
  });

  it('when 20 submits of the same draft arrive at once, then one is submitted, 19 × 409 and one history entry and audit row', async () => {
    const id = await create();
    await api('officer').put(`/api/v1/meetings/${id}/minutes`, minutes('শুরু')).expect(200);
    await race(() => api('officer').post(`/api/v1/meetings/${id}/submit`));
    const stored = (await Meeting.findById(id).lean())!;
    expect(stored.status).to.equal('submitted');
    expect(stored.history.filter((h) => h.status === 'submitted')).to.have.length(1);
    expect(await AuditEntry.countDocuments({ action: 'meeting.submit', 'entity.id': id })).to.equal(1);
  });

  it('when 20 PATCH decision with the same version arrive at once, then exactly one update is stored, 19 × 409 and one audit row', async () => {
    const id = await create();
    await api('officer').put(`/api/v1/meetings/${id}/minutes`, minutes('শুরু')).expect(200);
    await api('officer').post(`/api/v1/meetings/${id}/submit`).expect(200);
    await api('head').post(`/api/v1/meetings/${id}/sign`).expect(200);
    const issued = await api('officer').post(`/api/v1/meetings/${id}/issue`, { distribution: [{ text: 'অফিস কপি', purpose: 'information' }] });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
    const item = (await ActionItem.findOne({ meeting: id }).lean())!;
    const { winner } = await race((i) => api('officer').patch(`/api/v1/decisions/${String(item._id)}`, { status: 'in_progress', update: `অগ্রগতি ${i}`, version: item.__v }));
    const stored = (await ActionItem.findById(item._id).lean())!;
    expect(stored.updates.map((u) => u.text)).to.deep.equal([`অগ্রগতি ${winner}`]);
    expect(stored.__v).to.equal(item.__v + 1);
    expect(await AuditEntry.countDocuments({ action: 'decision.update', 'entity.id': String(item._id) })).to.equal(1);
  });

  it('when a meeting is moved and its notice issued afterwards, then both succeed and the notice is numbered in the new office register', async () => {
    const id = await create();
    await api('officer').patch(`/api/v1/meetings/${id}`, { office: ids.upazilaA }).expect(200);
    const n = await api('officer').post(`/api/v1/meetings/${id}/notice`, { distribution: [{ text: 'অফিস কপি', purpose: 'information' }] });
    expect(n.status, JSON.stringify(n.body)).to.equal(201);
    const numbers = (await MemoNumber.find({ documentKey: `notice:${id}` }).lean()) as unknown as { register: unknown }[];
    expect(numbers.map((x) => String(x.register))).to.deep.equal([ids.upazilaRegister]);
    expect(n.body.memoNumber).to.match(/৪৭৯৪/);
  });

  it('when a notice is issued while the meeting is moved, then they happen in one order or the other: never a moved meeting with a notice of the old office, never a used number without its notice', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round++) {
      const id = await create();
      // Odd rounds start the move a little earlier, so both orders of winning are seen.
      const lead = round % 2 ? 5 * round : 0;
      const [n, p] = await Promise.all([
        new Promise((resolve) => setTimeout(resolve, lead)).then(() => api('officer').post(`/api/v1/meetings/${id}/notice`, { distribution: [{ text: 'অফিস কপি', purpose: 'information' }] })),
        api('officer').patch(`/api/v1/meetings/${id}`, { office: ids.upazilaA }),
      ]);
      const doc = (await Meeting.findById(id).lean())!;
      const numbers = (await MemoNumber.find({ documentKey: `notice:${id}` }).lean()) as unknown as { register: unknown; formatted?: string }[];
      const where = `round ${round}: notice ${n.status} move ${p.status} office ${String(doc.office)} memo ${doc.notice?.memoNumber ?? '-'} numbers ${numbers.length}`;
      outcomes.push(`${n.status}/${p.status}`);
      if (n.status === 201 && p.status === 200) {
        // Both went through: only in the order move, then notice (a move after a notice is refused). The notice
        // was then taken for the moved meeting, so its number is the upazila's.
        expect(String(doc.office), where).to.equal(ids.upazilaA);
        expect(doc.notice?.memoNumber, where).to.equal(n.body.memoNumber).and.to.be.a('string');
        expect(numbers.map((x) => String(x.register)), where).to.deep.equal([ids.upazilaRegister]);
      } else if (n.status === 201) {
        expect(p.status, where).to.equal(409);
        expect(p.body.error.code, where).to.equal('conflict');
        expect(String(doc.office), where).to.equal(ids.districtA);
        expect(doc.notice?.memoNumber, where).to.equal(n.body.memoNumber).and.to.be.a('string');
        expect(numbers.map((x) => String(x.register)), where).to.deep.equal([ids.districtRegister]);
      } else {
        expect([n.status, p.status], where).to.deep.equal([409, 200]);
        expect(String(doc.office), where).to.equal(ids.upazilaA);
        expect(doc.notice?.memoNumber ?? null, where).to.equal(null);
        // The loser claimed the version before a number: none was used up.
        expect(numbers, where).to.have.length(0);
      }
    }
    console.log('      notice/move per round:', outcomes.join(' '));
  });
});
