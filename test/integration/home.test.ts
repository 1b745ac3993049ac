import { expect } from 'chai';
import request from 'supertest';
import type { Types } from 'mongoose';
import { actorFromUser } from '../../src/features/auth/auth.service.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { Initiative } from '../../src/features/initiatives/initiative.model.js';
import { recordInitiativeChange } from '../../src/features/initiatives/initiative.read-model.js';
import { ActionItem, Meeting } from '../../src/features/meetings/meeting.model.js';
import { dhakaDateOf, systemClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { signIn } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';

/** The HTML of one home-page card (cards hold no nested divs). */
function card(html: string, key: string): string {
  const start = html.indexOf(`data-section="${key}"`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</div>', start));
}

/** The count shown beside a card's title (Bangla digits read back). */
function count(html: string, key: string): number {
  const m = new RegExp(`data-testid="count-${key.replace('.', '\\.')}">([০-৯0-9]+)<`).exec(html);
  if (!m) return -1;
  return Number(m[1]!.replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - 0x09e6)));
}

const day = (offsetDays: number) => dhakaDateOf(new Date(Date.now() + offsetDays * 86_400_000));

describe('home page: live sections by role', function () {
  this.timeout(120_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let people: Record<string, Awaited<ReturnType<typeof createUser>>>;
  const tokens: Record<string, string> = {};
  const api = (who: string) => ({
    post: (p: string, body: object) => request(server.url).post(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
  });
  const home = async (username: string) => (await (await signIn(server.url, username)).agent.get('/').expect(200)).text;

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    people = {
      ioA: await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'io-a' }),
      headA: await createUser({ office: world.districtA, roles: ['head'], username: 'head-a' }),
      fieldA: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a', nameBn: 'শারমিন' }),
      fieldA2: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a2' }),
      ioB: await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'io-b' }),
      headB: await createUser({ office: world.districtB, roles: ['head'], username: 'head-b' }),
      observer: await createUser({ office: world.districtA, roles: ['observer'], username: 'obs-a' }),
    };
    for (const [who, u] of Object.entries(people)) {
      tokens[who] = (await issueToken({ actor: actorFromUser(u, systemClock, 'token'), clock: systemClock }, { tokenDays: 30 })).token;
    }
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '1000' } });

    // Proposals: one in district A (by its officer), one in district B.
    const a = (await api('ioA').post('/api/v1/initiatives', { title: 'নারী উদ্যোক্তা ক', kind: 'idea' }).expect(201)).body.id;
    await api('ioA').post(`/api/v1/initiatives/${a}/transitions`, { to: 'pilot', note: 'পাইলট শুরু' }).expect(201);
    await api('ioA').post(`/api/v1/initiatives/${a}/areas`, { nameBn: 'উপজেলা ক এলাকা', fieldOfficer: String(people.fieldA!._id) }).expect(201);
    const b = (await api('ioB').post('/api/v1/initiatives', { title: 'জেলা খ উদ্যোগ', kind: 'idea' }).expect(201)).body.id;
    await api('ioB').post(`/api/v1/initiatives/${b}/transitions`, { to: 'pilot', note: 'খ' }).expect(201);

    // Pilots: one stuck in district A (8 months without a decision), one recent there, one stuck in district B.
    const ago = (months: number) => new Date(Date.now() - months * 31 * 86_400_000);
    for (const [title, office, at] of [['আটকে থাকা পাইলট ক', world.districtA, ago(8)], ['চলমান পাইলট ক', world.districtA, ago(1)], ['আটকে থাকা পাইলট খ', world.districtB, ago(9)]] as const) {
      const d = await Initiative.create({ title, kind: 'idea', office: office._id, stage: 'pilot', stageEnteredAt: at, history: [{ from: null, to: 'pilot', at }] });
      await recordInitiativeChange(d._id);
    }

    // Minutes: submitted (district A and B), draft and returned (district A), issued (district A).
    const meeting = (office: { _id: Types.ObjectId }, subject: string, status: 'draft' | 'submitted' | 'returned' | 'issued') => Meeting.create({ office: office._id, kind: 'review', subject, chair: { text: 'সভাপতি' }, startsAt: new Date(Date.now() - 3 * 86_400_000), series: 'home-test', status });
    await meeting(world.districtA, 'স্বাক্ষরের জন্য সভা ক', 'submitted');
    await meeting(world.districtB, 'স্বাক্ষরের জন্য সভা খ', 'submitted');
    await meeting(world.districtA, 'খসড়া সভা ক', 'draft');
    await meeting(world.districtA, 'ফেরত আসা সভা ক', 'returned');
    await meeting(world.districtA, 'জারিকৃত সভা ক', 'issued');
    await meeting(world.districtB, 'খসড়া সভা খ', 'draft');

    // Decisions: overdue in A (assigned to the field officer), due soon in A, far off in A, done in A, overdue in B.
    const decision = (office: { _id: Types.ObjectId }, text: string, deadline: string, status: 'open' | 'in_progress' | 'done' = 'open', assignedUsers: string[] = []) =>
      ActionItem.create({ meeting: office._id, office: office._id, meetingSubject: 'পর্যালোচনা সভা', text, deadline, status, assignedUsers });
    await decision(world.districtA, 'মেয়াদোত্তীর্ণ সিদ্ধান্ত ক', day(-10), 'in_progress', [String(people.fieldA!._id)]);
    await decision(world.districtA, 'শিগগির সিদ্ধান্ত ক', day(5));
    await decision(world.districtA, 'দূরের সিদ্ধান্ত ক', day(100));
    await decision(world.districtA, 'সম্পন্ন সিদ্ধান্ত ক', day(-20), 'done', [String(people.fieldA!._id)]);
    await decision(world.districtB, 'মেয়াদোত্তীর্ণ সিদ্ধান্ত খ', day(-3));
  });
  after(() => server?.close());

  it("when the head opens the home page, then the proposals awaiting approval, minutes to sign, overdue decisions and stuck pilots of their subtree are listed, and nothing of another district's", async () => {
    const html = await home('head-a');
    expect(card(html, 'head.gates')).to.include('নারী উদ্যোক্তা ক').and.not.include('জেলা খ উদ্যোগ');
    expect(count(html, 'head.gates')).to.equal(1);
    expect(card(html, 'head.toSign')).to.include('স্বাক্ষরের জন্য সভা ক').and.not.include('স্বাক্ষরের জন্য সভা খ');
    expect(count(html, 'head.toSign')).to.equal(1);
    const overdue = card(html, 'head.overdue');
    expect(overdue).to.include('মেয়াদোত্তীর্ণ সিদ্ধান্ত ক').and.not.include('মেয়াদোত্তীর্ণ সিদ্ধান্ত খ').and.not.include('শিগগির সিদ্ধান্ত ক').and.not.include('সম্পন্ন সিদ্ধান্ত ক');
    expect(count(html, 'head.stuck')).to.equal(1);
    expect(card(html, 'head.stuck')).to.include('আটকে থাকা পাইলট ক').and.not.include('চলমান পাইলট ক').and.not.include('আটকে থাকা পাইলট খ');
    // The officer's sections are not the head's.
    expect(html).to.not.include('data-section="officer.drafts"');

    const other = await home('head-b');
    expect(card(other, 'head.gates')).to.include('জেলা খ উদ্যোগ').and.not.include('নারী উদ্যোক্তা ক');
    expect(card(other, 'head.toSign')).to.include('স্বাক্ষরের জন্য সভা খ');
    expect(card(other, 'head.overdue')).to.include('মেয়াদোত্তীর্ণ সিদ্ধান্ত খ').and.not.include('মেয়াদোত্তীর্ণ সিদ্ধান্ত ক');
    expect(card(other, 'head.stuck')).to.include('আটকে থাকা পাইলট খ');
  });

  it("when the innovation officer opens the home page, then their draft and returned minutes, their pending proposals, the decisions due and stuck pilots are listed; the head's sections are not", async () => {
    const html = await home('io-a');
    const drafts = card(html, 'officer.drafts');
    expect(drafts).to.include('খসড়া সভা ক').and.include('ফেরত আসা সভা ক').and.not.include('জারিকৃত সভা ক').and.not.include('স্বাক্ষরের জন্য সভা ক').and.not.include('খসড়া সভা খ');
    expect(count(html, 'officer.drafts')).to.equal(2);
    expect(card(html, 'officer.proposals')).to.include('নারী উদ্যোক্তা ক').and.not.include('জেলা খ উদ্যোগ');
    const due = card(html, 'officer.decisions');
    expect(due).to.include('মেয়াদোত্তীর্ণ সিদ্ধান্ত ক').and.include('শিগগির সিদ্ধান্ত ক').and.not.include('দূরের সিদ্ধান্ত ক').and.not.include('সম্পন্ন সিদ্ধান্ত ক').and.not.include('মেয়াদোত্তীর্ণ সিদ্ধান্ত খ');
    expect(count(html, 'officer.decisions')).to.equal(2);
    expect(count(html, 'officer.stuck')).to.equal(1);
    expect(html).to.not.include('data-section="head.gates"').and.not.include('data-section="head.toSign"');

    const other = await home('io-b');
    expect(card(other, 'officer.drafts')).to.include('খসড়া সভা খ').and.not.include('খসড়া সভা ক');
    expect(card(other, 'officer.proposals')).to.include('জেলা খ উদ্যোগ').and.not.include('নারী উদ্যোক্তা ক');
  });

  it('when a field officer opens the home page, then the open decisions assigned to them and the areas they run are listed; another field officer sees none of them', async () => {
    const html = await home('field-a');
    const mine = card(html, 'field.decisions');
    expect(mine).to.include('মেয়াদোত্তীর্ণ সিদ্ধান্ত ক').and.not.include('সম্পন্ন সিদ্ধান্ত ক').and.not.include('শিগগির সিদ্ধান্ত ক');
    expect(count(html, 'field.decisions')).to.equal(1);
    expect(card(html, 'field.areas')).to.include('উপজেলা ক এলাকা');
    expect(html).to.not.include('data-section="head.gates"').and.not.include('data-section="officer.drafts"');

    const other = await home('field-a2');
    expect(count(other, 'field.decisions')).to.equal(0);
    expect(card(other, 'field.decisions')).to.include('class="empty"');
    expect(card(other, 'field.areas')).to.not.include('উপজেলা ক এলাকা');
  });

  it('when an observer opens the home page, then none of the action sections appear', async () => {
    const html = await home('obs-a');
    for (const key of ['head.gates', 'head.toSign', 'head.overdue', 'officer.drafts', 'officer.proposals', 'field.decisions']) expect(html, key).to.not.include(`data-section="${key}"`);
    expect(html).to.include('data-section="observer.overview"');
  });
});
