// Meetings and minutes through the API: the whole workflow per role, refusals, frozen content after signing,
// memo numbers, distribution, decisions as action items, corrigenda and the sample minutes in full.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { PROJECT_ROOT } from '../../src/config.js';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { canonicalContent } from '../../src/features/meetings/minutes.service.js';
import mongoose from 'mongoose';
import { ActionItem, Meeting, MeetingClaim, type MeetingDoc } from '../../src/features/meetings/meeting.model.js';
import { MemoNumber } from '../../src/features/memo-numbers/memo.model.js';
import { User } from '../../src/features/users/user.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';

const SAMPLE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'minutes.md');

const latin = (s: string): string => s.replace(/[০-৯]/g, (d) => String('০১২৩৪৫৬৭৮৯'.indexOf(d)));

/** The fixture's memo number (স্মারক নং): its 2014-layout segments and serial, for a register that issues it next. */
function sampleMemo() {
  const text = fs.readFileSync(SAMPLE, 'utf8');
  const m = /স্মারক নং-([০-৯]{2})\.([০-৯]{2})\.([০-৯]{4})\.([০-৯]{3})\.([০-৯]{2})\.([০-৯]{3})\.([০-৯]{2})-([০-৯]+)/.exec(text);
  if (!m) throw new Error(`no memo number in ${SAMPLE}`);
  const [number, ministry, department, geo, branch, subject, file, year, serial] = m.map((x, i) => (i === 0 ? x.slice('স্মারক নং-'.length) : latin(x)));
  const prefix = number!.slice(0, number!.lastIndexOf('-'));
  return { number: number!, prefix, segments: { ministry, department, geo, branch, subject, file, year }, serial: Number(serial) };
}

/** The fixture minutes as the API takes them, read from test/fixtures/minutes.md (table rows, distribution, annex). */
function sampleMinutes() {
  const text = fs.readFileSync(SAMPLE, 'utf8');
  const lines = text.split('\n');
  const cells = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim());
  const tableAfter = (header: string) => {
    const start = lines.findIndex((l) => l.startsWith('|') && l.includes(header));
    const rows: string[][] = [];
    for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
    return rows;
  };
  const value = (label: string) => lines.find((l) => l.startsWith(label))!.split(':').slice(1).join(':').trim();
  const subject = value('বিষয়');
  const decisionRows = tableAfter('আলোচ্য বিষয়');
  const annex = tableAfter('স্বাক্ষর');
  const section = (from: string, to: string) => {
    const a = lines.findIndex((l) => l.startsWith(from));
    const b = lines.findIndex((l, i) => i > a && l.startsWith(to));
    return lines.slice(a + 1, b).map((l) => l.replace(/^[০-৯]+।\s*/, '').trim()).filter(Boolean);
  };
  // The opening: the paragraph between the attendance line and the decisions table; the closing: the paragraph after it.
  const tableStart = lines.findIndex((l) => l.startsWith('| ক্রমিক'));
  const opening = lines.slice(lines.findIndex((l) => l.startsWith('উপস্থিতি')) + 1, tableStart).join('\n').trim();
  const closing = lines.slice(lines.findIndex((l, i) => i > tableStart && !l.startsWith('|'))).find((l) => l.trim() !== '')!.trim();
  return {
    subject,
    chair: value('সভাপতি'),
    venue: value('স্থান').replace(/।$/, ''),
    items: decisionRows.map((r) => ({ topic: r[1]!, paragraphs: [r[2]!] })),
    decisions: decisionRows.map((r, i) => ({ text: r[3]!, implementers: [r[4]!], item: i })),
    opening,
    closing,
    action: section('কার্যার্থে', 'জ্ঞাতার্থে'),
    information: section('জ্ঞাতার্থে', '  '),
    attendance: annex.map((r) => ({ name: r[1]!, designation: r[2]!, office: r[3]!, present: !r[4]!.startsWith('অনুপস্থিত'), reason: /\((.+)\)/.exec(r[4]!)?.[1] })),
  };
}

const MEMO = sampleMemo();

describe('meetings and minutes (API)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const api = (who: string) => ({
    get: (url: string) => request(server.url).get(url).set('Authorization', `Bearer ${tok[who]}`),
    post: (url: string, body: unknown = {}) => request(server.url).post(url).set('Authorization', `Bearer ${tok[who]}`).send(body as object),
    put: (url: string, body: unknown) => request(server.url).put(url).set('Authorization', `Bearer ${tok[who]}`).send(body as object),
    patch: (url: string, body: unknown) => request(server.url).patch(url).set('Authorization', `Bearer ${tok[who]}`).send(body as object),
  });

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ clock: '2025-09-29T10:00:00+06:00', env: { LOGIN_RATE_LIMIT: '10000' } });
    const users = {
      officer: await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'mt-officer', nameBn: 'ইনোভেশন অফিসার ক', designationBn: 'সহকারী কমিশনার ও ইনোভেশন অফিসার' }),
      head: await createUser({ office: world.districtA, roles: ['head'], username: 'mt-head', nameBn: 'জেলা প্রশাসক ক', designationBn: 'জেলা প্রশাসক' }),
      rootHead: await createUser({ office: world.root, roles: ['head'], username: 'mt-root-head', nameBn: 'মহাপরিচালক', designationBn: 'মহাপরিচালক' }),
      upazilaHead: await createUser({ office: world.upazilaA, roles: ['head'], username: 'mt-upazila-head', designationBn: 'উপজেলা নির্বাহী অফিসার' }),
      otherHead: await createUser({ office: world.districtB, roles: ['head'], username: 'mt-other-head' }),
      otherOfficer: await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'mt-other-officer' }),
      field: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'mt-field', nameBn: 'মাঠ কর্মকর্তা', designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা' }),
      farField: await createUser({ office: world.upazilaB, roles: ['field_officer'], username: 'mt-far-field', designationBn: 'উপজেলা আইসিটি অফিসার' }),
      observer: await createUser({ office: world.districtA, roles: ['observer'], username: 'mt-observer' }),
      admin: await createUser({ office: world.root, roles: ['admin'], username: 'mt-admin' }),
      chairMonitor: await createUser({ office: world.districtA, roles: ['monitor'], username: 'mt-chair', nameBn: 'সভাপতি মনিটর', designationBn: 'অতিরিক্ত জেলা প্রশাসক' }),
      acting: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'mt-acting', nameBn: 'চলতি দায়িত্বে', designationBn: 'উপজেলা আইসিটি অফিসার' }),
    };
    // An acting head of district A for the whole of 2025.
    await User.updateOne({ _id: users.acting._id }, { $push: { actingCharges: { office: world.districtA._id, roles: ['head'], designationBn: 'জেলা প্রশাসক', from: '2025-01-01', to: '2025-12-31' } } });
    for (const [k, u] of Object.entries(users)) {
      ids[k] = String(u._id);
      tok[k] = await tokenFor(server.url, u.username);
    }
    // District A's default register in the 2014 layout (the fixture's segments and serial), created by the admin.
    const reg = await api('admin').post('/api/v1/memo-registers', { office: String(world.districtA._id), name: 'কার্যবিবরণী বহি', layout: '2014', segments: MEMO.segments, separator: '-', startSerial: MEMO.serial });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    ids.register = reg.body.id;
  });
  after(() => server?.close());

  const newMeeting = (over: Record<string, unknown> = {}) => ({
    kind: 'innovation_team',
    subject: 'জেলা ইনোভেশন টিমের সভা',
    office: String(world.districtA._id),
    chair: { text: 'জেলা প্রশাসক, জেলা ক' },
    venue: 'সম্মেলন কক্ষ',
    startsAt: '2025-09-28T11:00:00+06:00',
    attendance: [{ name: 'ক খ', designation: 'জেলা প্রশাসক', present: true }],
    ...over,
  });

  async function signedMeeting(over: Record<string, unknown> = {}): Promise<string> {
    const m = await api('officer').post('/api/v1/meetings', newMeeting(over));
    expect(m.status, JSON.stringify(m.body)).to.equal(201);
    const put = await api('officer').put(`/api/v1/meetings/${m.body.id}/minutes`, { opening: 'সভার কাজ শুরু হয়।', items: [{ topic: 'অগ্রগতি', paragraphs: ['আলোচনা হয়।'] }], decisions: [{ text: 'অবহিতকরণ সভা আয়োজন করতে হবে।', implementers: [{ user: ids.field }], deadline: '2025-10-15', item: 0 }], closing: 'ধন্যবাদ।' });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect((await api('officer').post(`/api/v1/meetings/${m.body.id}/submit`)).status).to.equal(200);
    const s = await api('head').post(`/api/v1/meetings/${m.body.id}/sign`);
    expect(s.status, JSON.stringify(s.body)).to.equal(200);
    return m.body.id as string;
  }

  describe('the sample minutes', () => {
    it('when the fixture minutes (test/fixtures/minutes.md) are entered through the API, then GET returns them complete', async () => {
      const s = sampleMinutes();
      expect(s.items).to.have.length(4);
      expect(s.attendance).to.have.length(4);
      expect(s.attendance.filter((a) => !a.present).map((a) => a.reason)).to.deep.equal(['সরকারি কাজে ঢাকায়']);
      expect(s.opening).to.match(/^সভার শুরুতে/);
      expect(s.closing).to.match(/^সভায় অন্য কোনো/);
      const created = await api('officer').post('/api/v1/meetings', { kind: 'innovation_team', subject: s.subject, office: String(world.districtA._id), chair: { text: s.chair }, venue: s.venue, startsAt: '2025-09-28T11:00:00+06:00', attendance: s.attendance });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body.status).to.equal('draft');
      const id = created.body.id as string;
      const put = await api('officer').put(`/api/v1/meetings/${id}/minutes`, { opening: s.opening, items: s.items, decisions: s.decisions, closing: s.closing });
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      await api('officer').post(`/api/v1/meetings/${id}/submit`).expect(200);
      await api('head').post(`/api/v1/meetings/${id}/sign`).expect(200);
      const issued = await api('officer').post(`/api/v1/meetings/${id}/issue`, { distribution: [...s.action.map((text) => ({ text, purpose: 'action' })), ...s.information.map((text) => ({ text, purpose: 'information' }))], notBySeniority: true });
      expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
      // The register starts at the fixture's own serial, so the number issued is the one the fixture prints.
      expect(issued.body.memoNumber).to.equal(MEMO.number);
      expect(MEMO.number).to.equal('০৫.৪২.৭২০০.০০৪.১৬.০০২.২৪-৩১৭');

      const got = (await api('observer').get(`/api/v1/meetings/${id}`).expect(200)).body;
      expect(got.subject).to.equal(s.subject);
      expect(got.chair.text).to.equal(s.chair);
      expect(got.venue).to.equal(s.venue);
      expect(got.minutes.opening).to.equal(s.opening);
      expect(got.minutes.closing).to.equal(s.closing);
      expect(got.minutes.items.map((i: { topic: string }) => i.topic)).to.deep.equal(s.items.map((i) => i.topic));
      expect(got.minutes.items.map((i: { paragraphs: string[] }) => i.paragraphs)).to.deep.equal(s.items.map((i) => i.paragraphs));
      expect(got.minutes.decisions.map((d: { text: string; item: number; implementers: { text: string }[] }) => [d.text, d.item, d.implementers.map((p) => p.text)])).to.deep.equal(s.decisions.map((d) => [d.text, d.item, d.implementers]));
      expect(got.attendance.map((a: { name: string; designation: string; office: string; present: boolean; reason: string | null }) => [a.name, a.designation, a.office, a.present, a.reason ?? undefined])).to.deep.equal(s.attendance.map((a) => [a.name, a.designation, a.office, a.present, a.reason]));
      expect(got.distribution.filter((d: { purpose: string }) => d.purpose === 'action').map((d: { text: string }) => d.text)).to.deep.equal(s.action);
      expect(got.distribution.filter((d: { purpose: string }) => d.purpose === 'information').map((d: { text: string }) => d.text)).to.deep.equal(s.information);
      expect(s.action).to.have.length(4);
      expect(s.information).to.have.length(3);
      expect(got.notBySeniority).to.equal(true);
      expect(got.status).to.equal('issued');
      expect(got.memoNumber).to.equal(issued.body.memoNumber);
      expect(got.signedBy).to.include({ name: 'জেলা প্রশাসক ক', designation: 'জেলা প্রশাসক' });
      expect(got.signedAt).to.be.a('string');
      expect(got.contentHash).to.match(/^[0-9a-f]{64}$/);
      expect(got.verifyCode).to.be.a('string').with.length.of.at.least(10);
      // The hash is the SHA-256 of the canonical content as stored.
      const stored = (await Meeting.findById(id).lean()) as unknown as MeetingDoc;
      expect(crypto.createHash('sha256').update(canonicalContent(stored)).digest('hex')).to.equal(got.contentHash);
    });
  });

  describe('workflow per role', () => {
    it('when a field officer, an observer or a head tries to schedule a meeting, then 403; the innovation officer gets 201 draft', async () => {
      for (const who of ['field', 'observer', 'head']) expect((await api(who).post('/api/v1/meetings', newMeeting())).status, who).to.equal(403);
      const ok = await api('officer').post('/api/v1/meetings', newMeeting());
      expect(ok.status).to.equal(201);
      expect(ok.body).to.include({ status: 'draft', subject: 'জেলা ইনোভেশন টিমের সভা' });
      expect(ok.body.id).to.match(/^[0-9a-f]{24}$/);
    });

    it('when another district’s officer reaches for the meeting, then 404; a bad body gets Bangla field messages and saves nothing', async () => {
      const m = await api('officer').post('/api/v1/meetings', newMeeting()).expect(201);
      expect((await api('otherOfficer').get(`/api/v1/meetings/${m.body.id}`)).status).to.equal(404);
      expect((await api('otherOfficer').put(`/api/v1/meetings/${m.body.id}/minutes`, { opening: 'x' })).status).to.equal(404);
      const before = await Meeting.countDocuments();
      const bad = await api('officer').post('/api/v1/meetings', { kind: 'party', subject: '', chair: {}, startsAt: 'কাল' });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.message).to.match(/[\u0980-\u09ff]/);
      expect(Object.keys(bad.body.error.fields ?? {})).to.include.members(['kind', 'subject', 'startsAt']);
      expect(await Meeting.countDocuments()).to.equal(before);
    });

    it('when actions come in the wrong status, then 409: sign a draft, issue a draft, return a draft, submit twice', async () => {
      const m = await api('officer').post('/api/v1/meetings', newMeeting()).expect(201);
      expect((await api('head').post(`/api/v1/meetings/${m.body.id}/sign`)).status).to.equal(409);
      expect((await api('officer').post(`/api/v1/meetings/${m.body.id}/issue`, {})).status).to.equal(409);
      expect((await api('head').post(`/api/v1/meetings/${m.body.id}/return`, { comment: 'x' })).status).to.equal(409);
      // Empty minutes cannot be submitted.
      expect((await api('officer').post(`/api/v1/meetings/${m.body.id}/submit`)).status).to.equal(400);
      await api('officer').put(`/api/v1/meetings/${m.body.id}/minutes`, { opening: 'শুরু' }).expect(200);
      await api('officer').post(`/api/v1/meetings/${m.body.id}/submit`).expect(200);
      expect((await api('officer').post(`/api/v1/meetings/${m.body.id}/submit`)).status).to.equal(409);
    });

    it('when submitted minutes are signed by the wrong people, then refused; returned with a comment, resubmitted, then signed by the head above', async () => {
      const m = await api('officer').post('/api/v1/meetings', newMeeting()).expect(201);
      await api('officer').put(`/api/v1/meetings/${m.body.id}/minutes`, { opening: 'শুরু' }).expect(200);
      await api('officer').post(`/api/v1/meetings/${m.body.id}/submit`).expect(200);
      // A head below the meeting's office does not even see it; another district's head neither; the officer
      // and an observer see it but may not sign.
      expect((await api('upazilaHead').post(`/api/v1/meetings/${m.body.id}/sign`)).status).to.equal(404);
      expect((await api('otherHead').post(`/api/v1/meetings/${m.body.id}/sign`)).status).to.equal(404);
      expect((await api('officer').post(`/api/v1/meetings/${m.body.id}/sign`)).status).to.equal(403);
      expect((await api('observer').post(`/api/v1/meetings/${m.body.id}/sign`)).status).to.equal(403);
      // Returned without a comment → 400; with one → returned.
      expect((await api('head').post(`/api/v1/meetings/${m.body.id}/return`, {})).status).to.equal(400);
      const r = await api('head').post(`/api/v1/meetings/${m.body.id}/return`, { comment: 'সিদ্ধান্তের সময়সীমা দিন।' }).expect(200);
      expect(r.body.status).to.equal('returned');
      expect(r.body.history.at(-1)).to.include({ status: 'returned', comment: 'সিদ্ধান্তের সময়সীমা দিন।' });
      await api('officer').put(`/api/v1/meetings/${m.body.id}/minutes`, { opening: 'শুরু', decisions: [{ text: 'সিদ্ধান্ত', implementers: ['সকল দপ্তর'], deadline: '১৫/১০/২০২৫' }] }).expect(200);
      await api('officer').post(`/api/v1/meetings/${m.body.id}/submit`).expect(200);
      const s = await api('rootHead').post(`/api/v1/meetings/${m.body.id}/sign`).expect(200);
      expect(s.body.status).to.equal('signed');
      expect(s.body.signedBy).to.include({ name: 'মহাপরিচালক', designation: 'মহাপরিচালক' });
      expect(s.body.minutes.decisions[0].deadline).to.equal('2025-10-15');
    });

    it('when the chair is a user, then the chair may sign; one holding the head post in acting charge may sign and the designation says so', async () => {
      const byChair = await api('officer').post('/api/v1/meetings', newMeeting({ chair: { user: ids.chairMonitor } })).expect(201);
      expect(byChair.body.chair).to.include({ user: ids.chairMonitor, name: 'সভাপতি মনিটর', designation: 'অতিরিক্ত জেলা প্রশাসক' });
      await api('officer').put(`/api/v1/meetings/${byChair.body.id}/minutes`, { opening: 'শুরু' }).expect(200);
      await api('officer').post(`/api/v1/meetings/${byChair.body.id}/submit`).expect(200);
      const s1 = await api('chairMonitor').post(`/api/v1/meetings/${byChair.body.id}/sign`);
      expect(s1.status, JSON.stringify(s1.body)).to.equal(200);
      expect(s1.body.signedBy.name).to.equal('সভাপতি মনিটর');

      const m = await api('officer').post('/api/v1/meetings', newMeeting()).expect(201);
      await api('officer').put(`/api/v1/meetings/${m.body.id}/minutes`, { opening: 'শুরু' }).expect(200);
      await api('officer').post(`/api/v1/meetings/${m.body.id}/submit`).expect(200);
      const s2 = await api('acting').post(`/api/v1/meetings/${m.body.id}/sign`);
      expect(s2.status, JSON.stringify(s2.body)).to.equal(200);
      expect(s2.body.signedBy.designation).to.equal('জেলা প্রশাসক (চলতি দায়িত্ব)');
    });

    it('when minutes are signed, then no endpoint changes them: edits get 409 and each attempt is audited', async () => {
      const id = await signedMeeting();
      const before = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body;
      const put = await api('officer').put(`/api/v1/meetings/${id}/minutes`, { opening: 'বদলানো' });
      expect(put.status).to.equal(409);
      expect(put.body.error.message).to.include('সংশোধনী');
      expect((await api('officer').patch(`/api/v1/meetings/${id}`, { subject: 'বদলানো' })).status).to.equal(409);
      expect((await api('officer').post(`/api/v1/meetings/${id}/submit`)).status).to.equal(409);
      expect((await api('head').post(`/api/v1/meetings/${id}/return`, { comment: 'x' })).status).to.equal(409);
      expect((await api('head').post(`/api/v1/meetings/${id}/sign`)).status).to.equal(409);
      const after = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body;
      expect(after.minutes).to.deep.equal(before.minutes);
      expect(after.subject).to.equal(before.subject);
      expect(after.contentHash).to.equal(before.contentHash);
      expect(await AuditEntry.countDocuments({ action: 'meeting.edit-refused', 'entity.id': id })).to.equal(2);
    });

    it('when signed minutes are issued, then only the innovation officer may; the number comes from the register; a retry returns the same number', async () => {
      const id = await signedMeeting();
      expect((await api('head').post(`/api/v1/meetings/${id}/issue`, {})).status).to.equal(403);
      const first = await api('officer').post(`/api/v1/meetings/${id}/issue`, { distribution: ['জেলা প্রশাসক, জেলা ক', { user: ids.field, purpose: 'action' }, { office: String(world.upazilaA._id), purpose: 'information' }, { text: 'অফিস কপি', purpose: 'information' }], notBySeniority: true });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(first.body.memoNumber.startsWith(`${MEMO.prefix}-`), first.body.memoNumber).to.equal(true);
      expect(first.body.memoNumber).to.match(/^[০-৯.]+-[০-৯]+$/);
      expect(first.body.issuedAt).to.be.a('string');
      const again = await api('officer').post(`/api/v1/meetings/${id}/issue`, {});
      expect(again.status).to.equal(200);
      expect(again.body.memoNumber).to.equal(first.body.memoNumber);
      expect(again.body.verifyCode).to.equal(first.body.verifyCode);
      const got = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body;
      expect(got.distribution.map((d: { text: string; purpose: string }) => [d.text, d.purpose])).to.deep.equal([
        ['জেলা প্রশাসক, জেলা ক', 'action'],
        ['উপজেলা মহিলা বিষয়ক কর্মকর্তা, উপজেলা ক', 'action'],
        ['উপজেলা ক', 'information'],
        ['অফিস কপি', 'information'],
      ]);
      expect(got.issuer).to.include({ name: 'ইনোভেশন অফিসার ক', designation: 'সহকারী কমিশনার ও ইনোভেশন অফিসার' });
      // The register page lists the number with its document.
      const numbers = (await api('observer').get(`/api/v1/memo-registers/${ids.register}/numbers`).expect(200)).body;
      expect(numbers.items.find((n: { memoNumber: string }) => n.memoNumber === first.body.memoNumber).document).to.include({ kind: 'minutes', id });
    });

    it('when the same minutes are issued twice at the same moment, then both answers carry one number and one verification code', async () => {
      const id = await signedMeeting();
      const both = await Promise.all([api('officer').post(`/api/v1/meetings/${id}/issue`, {}), api('officer').post(`/api/v1/meetings/${id}/issue`, {})]);
      expect(both.every((r) => r.status === 201 || r.status === 200), JSON.stringify(both.map((r) => r.body))).to.equal(true);
      expect(both[0]!.body.memoNumber).to.equal(both[1]!.body.memoNumber);
      expect(both[0]!.body.verifyCode).to.equal(both[1]!.body.verifyCode);
      const got = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body;
      expect([got.memoNumber, got.verifyCode]).to.deep.equal([both[0]!.body.memoNumber, both[0]!.body.verifyCode]);
      expect(await MemoNumber.countDocuments({ documentKey: `minutes:${id}` })).to.equal(1);
    });

    it('when a crash left issued minutes without their action items, then issuing again creates them and changes nothing else', async () => {
      const id = await signedMeeting();
      const first = (await api('officer').post(`/api/v1/meetings/${id}/issue`, {}).expect(201)).body;
      const decisionIds = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body.minutes.decisions.map((d: { id: string }) => d.id);
      await ActionItem.deleteMany({ meeting: id });
      const again = (await api('officer').post(`/api/v1/meetings/${id}/issue`, {}).expect(200)).body;
      expect(again.memoNumber).to.equal(first.memoNumber);
      expect((await ActionItem.find({ meeting: id }).lean()).map((d) => String(d._id))).to.deep.equal(decisionIds);
    });

    it('when an office has no register of its own or above, then issuing says so (409) and nothing changes', async () => {
      const officer = await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'mt-b-officer' });
      const head = await createUser({ office: world.districtB, roles: ['head'], username: 'mt-b-head' });
      const t = { o: await tokenFor(server.url, officer.username), h: await tokenFor(server.url, head.username) };
      const m = await request(server.url).post('/api/v1/meetings').set('Authorization', `Bearer ${t.o}`).send(newMeeting({ office: String(world.districtB._id) })).expect(201);
      await request(server.url).put(`/api/v1/meetings/${m.body.id}/minutes`).set('Authorization', `Bearer ${t.o}`).send({ opening: 'শুরু' }).expect(200);
      await request(server.url).post(`/api/v1/meetings/${m.body.id}/submit`).set('Authorization', `Bearer ${t.o}`).expect(200);
      await request(server.url).post(`/api/v1/meetings/${m.body.id}/sign`).set('Authorization', `Bearer ${t.h}`).expect(200);
      const r = await request(server.url).post(`/api/v1/meetings/${m.body.id}/issue`).set('Authorization', `Bearer ${t.o}`).send({});
      expect(r.status).to.equal(409);
      expect(r.body.error.message).to.include('স্মারক নম্বর বহি');
      expect((await Meeting.findById(m.body.id).lean())!.status).to.equal('signed');
    });
  });

  describe('decisions as action items', () => {
    it('when minutes are issued, then their decisions are open action items the implementer (outside the subtree too) can update, overdue after the deadline, and they show up in the next meeting', async () => {
      const id = await signedMeeting({ series: 'district-a-team', startsAt: '2025-08-26T10:00:00+06:00' });
      await api('officer').post(`/api/v1/meetings/${id}/issue`, { distribution: ['অফিস কপি'] }).expect(201);
      const mine = (await api('field').get('/api/v1/decisions?mine=1').expect(200)).body.items;
      const item = mine.find((d: { meeting: { id: string } }) => d.meeting.id === id);
      expect(item).to.include({ status: 'open', text: 'অবহিতকরণ সভা আয়োজন করতে হবে।', deadline: '2025-10-15', overdue: false });
      // Another district's field officer is neither in scope nor an implementer.
      expect((await api('farField').get(`/api/v1/decisions/${item.id}`)).status).to.equal(404);
      expect((await api('observer').patch(`/api/v1/decisions/${item.id}`, { status: 'done' })).status).to.equal(403);
      const upd = await api('field').patch(`/api/v1/decisions/${item.id}`, { status: 'in_progress', update: 'তারিখ ঠিক হয়েছে।' });
      expect(upd.status, JSON.stringify(upd.body)).to.equal(200);
      expect(upd.body.status).to.equal('in_progress');
      expect(upd.body.updates.at(-1)).to.include({ status: 'in_progress', text: 'তারিখ ঠিক হয়েছে।' });
      expect((await api('field').patch(`/api/v1/decisions/${item.id}`, { status: 'finished' })).status).to.equal(400);

      // After the deadline (another clock), the decision is overdue for the office and for the person.
      const later = await startTestServer({ clock: '2025-10-20T10:00:00+06:00' });
      try {
        const overdue = (await request(later.url).get(`/api/v1/decisions?overdue=1&office=${String(world.districtA._id)}`).set('Authorization', `Bearer ${tok.head}`).expect(200)).body.items;
        expect(overdue.map((d: { id: string }) => d.id)).to.include(item.id);
        expect(overdue.every((d: { overdue: boolean }) => d.overdue)).to.equal(true);
        const personal = (await request(later.url).get(`/api/v1/decisions?overdue=1&user=${ids.field}`).set('Authorization', `Bearer ${tok.officer}`).expect(200)).body.items;
        expect(personal.map((d: { id: string }) => d.id)).to.include(item.id);
      } finally {
        await later.close();
      }

      // The next meeting of the series reviews them.
      const next = await api('officer').post('/api/v1/meetings', newMeeting({ series: 'district-a-team', startsAt: '2025-10-28T10:00:00+06:00' })).expect(201);
      expect(next.body.previous).to.equal(id);
      expect(next.body.previousDecisions.map((d: { id: string; status: string }) => [d.id, d.status])).to.deep.equal([[item.id, 'in_progress']]);
    });

    it('when an initiative stage change cites a decision, then the decision id is kept on the move', async () => {
      const id = await signedMeeting();
      await api('officer').post(`/api/v1/meetings/${id}/issue`, {}).expect(201);
      const decision = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body.minutes.decisions[0].id;
      const ini = await api('officer').post('/api/v1/initiatives', { title: 'সভার সিদ্ধান্তে পাইলট', kind: 'idea', office: String(world.districtA._id) }).expect(201);
      const move = await api('head').post(`/api/v1/initiatives/${ini.body.id}/transitions`, { to: 'pilot', note: 'সভার সিদ্ধান্ত অনুযায়ী', decision });
      expect(move.status, JSON.stringify(move.body)).to.equal(201);
      const got = (await api('head').get(`/api/v1/initiatives/${ini.body.id}`).expect(200)).body;
      expect(got.history.at(-1)).to.include({ to: 'pilot', decision });
    });
  });

  describe('corrigendum', () => {
    it('when issued minutes need a correction, then a corrigendum is a new version with its own number that names the original; a second corrigendum of the same minutes is refused', async () => {
      const id = await signedMeeting();
      const orig = (await api('officer').post(`/api/v1/meetings/${id}/issue`, {}).expect(201)).body;
      // Two clicks at the same moment: one corrigendum, the other request refused.
      const both = await Promise.all([api('officer').post(`/api/v1/meetings/${id}/corrigendum`), api('officer').post(`/api/v1/meetings/${id}/corrigendum`)]);
      expect(both.map((r) => r.status).sort()).to.deep.equal([201, 409]);
      const c = both.find((r) => r.status === 201)!;
      expect(c.body).to.include({ status: 'draft', corrects: id });
      expect(await Meeting.countDocuments({ corrects: id })).to.equal(1);
      expect((await api('officer').post(`/api/v1/meetings/${id}/corrigendum`)).status).to.equal(409);
      await api('officer').put(`/api/v1/meetings/${c.body.id}/minutes`, { opening: 'সংশোধিত সূচনা', decisions: [{ text: 'সংশোধিত সিদ্ধান্ত', implementers: ['সকল দপ্তর'] }] }).expect(200);
      await api('officer').post(`/api/v1/meetings/${c.body.id}/submit`).expect(200);
      await api('head').post(`/api/v1/meetings/${c.body.id}/sign`).expect(200);
      const issued = (await api('officer').post(`/api/v1/meetings/${c.body.id}/issue`, {}).expect(201)).body;
      expect(issued.memoNumber).not.to.equal(orig.memoNumber);
      const original = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body;
      expect(original.correctedBy).to.equal(c.body.id);
      expect(original.minutes.opening).to.equal('সভার কাজ শুরু হয়।');
      expect(original.memoNumber).to.equal(orig.memoNumber);
    });

    it('when a corrigendum request died after its claim, then the claim is respected while fresh (409: another request may still be writing) and taken over once a minute old', async () => {
      const id = await signedMeeting();
      await api('officer').post(`/api/v1/meetings/${id}/issue`, {}).expect(201);
      const draftId = new mongoose.Types.ObjectId();
      const clockNow = new Date('2025-09-29T10:00:00+06:00'); // the test server's clock
      await MeetingClaim.create({ _id: `corrigendum:${id}`, meeting: draftId, at: clockNow });
      expect((await api('officer').post(`/api/v1/meetings/${id}/corrigendum`)).status).to.equal(409);
      expect(await Meeting.countDocuments({ corrects: id })).to.equal(0);
      await MeetingClaim.updateOne({ _id: `corrigendum:${id}` }, { $set: { at: new Date(clockNow.getTime() - 2 * 60_000) } });
      const taken = await api('officer').post(`/api/v1/meetings/${id}/corrigendum`);
      expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
      expect(taken.body.id).to.equal(String(draftId));
      expect(await Meeting.countDocuments({ corrects: id })).to.equal(1);
    });
  });

  describe('distribution lists', () => {
    it('when a list is saved, then issuing with it puts its recipients first, in order', async () => {
      const list = await api('officer').post('/api/v1/distribution-lists', { name: 'টিমের তালিকা', office: String(world.districtA._id), entries: [{ text: 'বিভাগীয় কমিশনার', purpose: 'information' }, { user: ids.field, purpose: 'action' }], notBySeniority: true });
      expect(list.status, JSON.stringify(list.body)).to.equal(201);
      expect((await api('field').post('/api/v1/distribution-lists', { name: 'x', entries: ['y'] })).status).to.equal(403);
      const lists = (await api('officer').get('/api/v1/distribution-lists').expect(200)).body.items;
      expect(lists.map((l: { id: string }) => l.id)).to.include(list.body.id);
      const id = await signedMeeting();
      await api('officer').post(`/api/v1/meetings/${id}/issue`, { distributionList: list.body.id, distribution: [{ text: 'অফিস কপি', purpose: 'information' }] }).expect(201);
      const got = (await api('officer').get(`/api/v1/meetings/${id}`).expect(200)).body;
      expect(got.distribution.map((d: { text: string }) => d.text)).to.deep.equal(['বিভাগীয় কমিশনার', 'উপজেলা মহিলা বিষয়ক কর্মকর্তা, উপজেলা ক', 'অফিস কপি']);
      expect(got.notBySeniority).to.equal(true);
    });
  });
});
