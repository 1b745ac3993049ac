// Optimistic concurrency under simultaneous saves, on the real engine. FerretDB's conditional updates are not
// atomic, so mongoose's version check alone let 1 to 9 of 20 same-version saves through; the winner of a version
// is now decided by a unique insert (src/platform/db/versioned.ts). For every versioned record users edit: 20
// simultaneous saves from one version → exactly one 200 and 19 × 409, the stored record is the winner's input,
// and one audit entry whose "before" is the version replaced. Also: simultaneous charter imports lose nothing,
// and a claim left by a process that died between its claim and its write does not block the record forever.
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { actorFromUser } from '../../src/features/auth/auth.service.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { Charter } from '../../src/features/charters/charter.model.js';
import { Initiative } from '../../src/features/initiatives/initiative.model.js';
import { Letterhead } from '../../src/features/letterhead/letterhead.model.js';
import { Office } from '../../src/features/offices/office.model.js';
import { User } from '../../src/features/users/user.model.js';
import { systemClock } from '../../src/lib/index.js';
import { claimVersion, VERSION_CLAIM_STALE_MS, versionClaimKey, writeClaimed } from '../../src/platform/db/versioned.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { expectOneWinner } from '../support/race.js';

const N = 20;
/** Rounds per record type: one round of the old code often had a single winner by luck (27 extra saves in 160). */
const TRIALS = 4;

/** A small charter in the published layout: one citizen service per line given. */
function charterText(services: string[]): string {
  const rows = services.map((name, i) => `${(i + 1).toLocaleString('bn-BD')}.\t${name}\tসরাসরি আবেদন\tআবেদনপত্র\tবিনামূল্যে\t৭ কর্মদিবস\tসহকারী প্রোগ্রামার`);
  return ['#### ২.১) নাগরিক সেবা', '', 'ক্রমিক নং\tসেবার নাম\tসেবা প্রদান পদ্ধতি\tপ্রয়োজনীয় কাগজপত্র\tসেবার মূল্য\tসময়সীমা\tদায়িত্বপ্রাপ্ত কর্মকর্তা', ...rows, ''].join('\n');
}

const versionClaims = () => mongoose.connection.db!.collection<{ _id: string; claimedAt: Date }>('version_claims');

describe('versioned edits: one winner per version under simultaneous saves', function () {
  this.timeout(300_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const tokens: Record<string, string> = {};
  const api = (who: string) => ({
    get: (p: string) => request(server.url).get(p).set('Authorization', `Bearer ${tokens[who]}`),
    post: (p: string, body: object) => request(server.url).post(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    patch: (p: string, body: object) => request(server.url).patch(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    put: (p: string, body: object) => request(server.url).put(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    importCharter: (office: string, text: string) => request(server.url).post(`/api/v1/offices/${office}/charter`).set('Authorization', `Bearer ${tokens[who]}`).set('Content-Type', 'text/plain; charset=utf-8').send(text),
  });

  const race = async (send: (i: number) => request.Test) => {
    const { winner, answers } = await expectOneWinner(N, send);
    return { winner, bodies: answers };
  };


  before(async () => {
    await resetDatabase();
    world = await createWorld();
    const people = {
      io: await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 've-io', nameBn: 'ইনোভেশন অফিসার' }),
      admin: await createUser({ office: world.root, roles: ['admin'], username: 've-admin', nameBn: 'প্রশাসক' }),
    };
    for (const [who, u] of Object.entries(people)) {
      tokens[who] = (await issueToken({ actor: actorFromUser(u, systemClock, 'token'), clock: systemClock }, { tokenDays: 30 })).token;
    }
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '10000' } });
  });
  after(() => server?.close());

  it('when 20 simultaneous claims of one version are made, then exactly one wins; a claim released, or whose write failed, can be won again', async () => {
    const outcomes = await Promise.all(Array.from({ length: N }, (_, i) => claimVersion('probe', 'r1', 0, { currentVersion: async () => 0, changed: [`f${i}`] })));
    const won = outcomes.filter((o) => o.won);
    expect(won).to.have.length(1);
    const lost = outcomes.find((o) => !o.won)!;
    // A loser hears what the winner changes.
    expect(!lost.won && lost.changed[0]).to.match(/^f\d+$/);
    if (won[0]!.won) await won[0]!.release();
    const again = await claimVersion('probe', 'r1', 0, { currentVersion: async () => 0 });
    expect(again.won).to.equal(true);
    // A holder whose write fails gives the version back at once (no minute-long wait for the next save).
    await writeClaimed(again, () => Promise.reject(new Error('engine away'))).then(
      () => expect.fail('the write should have failed'),
      (err: Error) => expect(err.message).to.equal('engine away'),
    );
    expect((await claimVersion('probe', 'r1', 0, { currentVersion: async () => 0 })).won).to.equal(true);
  });

  it('when 20 people save an initiative from the same version at once, then exactly one is saved and audited with the values it replaced', async () => {
    const created = await api('io').post('/api/v1/initiatives', { kind: 'idea', title: 'আদি শিরোনাম', problem: 'আদি সমস্যা' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.id as string;
    let previous = 'আদি শিরোনাম';
    for (let v = 0; v < TRIALS; v++) {
      const { winner, bodies } = await race((i) => api('io').patch(`/api/v1/initiatives/${id}`, { version: v, title: `শিরোনাম ${v}.${i}`, problem: `সমস্যা ${v}.${i}` }));
      expect(bodies[winner]!.body).to.include({ version: v + 1, title: `শিরোনাম ${v}.${winner}` });
      // The losers are told what changed (the existing 409 shape: details.changed).
      expect(bodies.find((r) => r.status === 409)!.body.error.details.changed).to.include.members(['problem', 'title']);
      const stored = await Initiative.findById(id).lean();
      expect(stored).to.include({ title: `শিরোনাম ${v}.${winner}`, problem: `সমস্যা ${v}.${winner}`, __v: v + 1 });
      const audits = await AuditEntry.find({ action: 'initiative.update', 'entity.id': id, version: v + 1 }).lean();
      expect(audits).to.have.length(1);
      expect(audits[0]!.changes.find((c) => c.field === 'title')).to.deep.include({ before: previous, after: `শিরোনাম ${v}.${winner}` });
      previous = `শিরোনাম ${v}.${winner}`;
    }
    expect(await AuditEntry.countDocuments({ action: 'initiative.update', 'entity.id': id })).to.equal(TRIALS);
  });

  it('when 20 admins save an office from the same version at once, then exactly one is saved and audited with the values it replaced', async () => {
    const id = String(world.upazilaA._id);
    const first = (await Office.findById(id).lean())!;
    let previous = first.nameEn;
    for (let t = 0; t < TRIALS; t++) {
      const version = (first.__v ?? 0) + t;
      const { winner, bodies } = await race((i) => api('admin').patch(`/api/v1/offices/${id}`, { version, nameEn: `Upazila ${t}.${i}` }));
      expect(bodies.find((r) => r.status === 409)!.body.error.details.changed).to.include('nameEn');
      expect(await Office.findById(id).lean()).to.include({ nameEn: `Upazila ${t}.${winner}`, __v: version + 1 });
      const audits = (await AuditEntry.find({ action: 'office.update', 'entity.id': id }).lean()).filter((a) => a.changes.some((c) => c.field === 'version' && c.after === version + 1));
      expect(audits).to.have.length(1);
      expect(audits[0]!.changes.find((c) => c.field === 'nameEn')).to.deep.include({ before: previous, after: `Upazila ${t}.${winner}` });
      previous = `Upazila ${t}.${winner}`;
    }
    expect(await AuditEntry.countDocuments({ action: 'office.update', 'entity.id': id })).to.equal(TRIALS);
  });

  it('when an office is saved from a version whose winner has written but not yet audited, then the 409 names the fields its claim changed', async () => {
    const id = String(world.upazilaB._id);
    const stored = (await Office.findById(id).lean())!;
    const v = stored.__v ?? 0;
    // The winner of version v: its claim names what it changes; its write is done; its audit entry is not written yet.
    const claim = await claimVersion('office', id, v, { changed: ['nameBn'], currentVersion: async () => v });
    expect(claim.won).to.equal(true);
    await Office.collection.updateOne({ _id: stored._id }, { $set: { nameBn: 'বিজয়ীর নাম', __v: v + 1 } });
    const late = await api('admin').patch(`/api/v1/offices/${id}`, { version: v, nameEn: 'Too late' });
    expect(late.status, JSON.stringify(late.body)).to.equal(409);
    expect(late.body.error.details.changed).to.include('nameBn');
    expect((await Office.findById(id).lean())!.nameEn).to.equal(stored.nameEn);
  });

  it('when 20 admins save a user from the same version at once, then exactly one is saved and audited with the values it replaced', async () => {
    const person = await createUser({ office: world.districtA, username: 've-person', nameBn: 'আদি নাম', nameEn: 'First Name' });
    let previous = 'আদি নাম';
    for (let v = 0; v < TRIALS; v++) {
      const { winner, bodies } = await race((i) => api('admin').patch(`/api/v1/users/${person._id}`, { version: v, nameBn: `নাম ${v}.${i}`, designationBn: `পদবি ${v}.${i}` }));
      expect(bodies.find((r) => r.status === 409)!.body.error.details.changed).to.include('nameBn');
      expect(await User.findById(person._id).lean()).to.include({ nameBn: `নাম ${v}.${winner}`, designationBn: `পদবি ${v}.${winner}`, __v: v + 1 });
      const audits = await AuditEntry.find({ action: 'user.update', 'entity.id': String(person._id), note: `version ${v + 1}` }).lean();
      expect(audits).to.have.length(1);
      expect(audits[0]!.changes.find((c) => c.field === 'nameBn')).to.deep.include({ before: previous, after: `নাম ${v}.${winner}` });
      previous = `নাম ${v}.${winner}`;
    }
    expect(await AuditEntry.countDocuments({ action: 'user.update', 'entity.id': String(person._id) })).to.equal(TRIALS);
  });

  it('when 20 people save a letterhead from the same version at once, then exactly one is saved and audited with the values it replaced', async () => {
    const office = String(world.districtA._id);
    const url = `/api/v1/offices/${office}/letterhead`;
    let previous: string | null = null;
    for (let v = 0; v < TRIALS; v++) {
      const { winner } = await race((i) => api('io').put(url, { version: v, motto: `মূলমন্ত্র ${v}.${i}`, contact: `যোগাযোগ ${v}.${i}` }));
      expect(await Letterhead.findById(office).lean()).to.include({ version: v + 1, motto: `মূলমন্ত্র ${v}.${winner}`, contact: `যোগাযোগ ${v}.${winner}` });
      const audits = await AuditEntry.find({ action: 'letterhead.save', 'entity.id': office, version: v + 1 }).lean();
      expect(audits).to.have.length(1);
      expect(audits[0]!.changes.find((c) => c.field === 'motto')).to.deep.include({ before: previous, after: `মূলমন্ত্র ${v}.${winner}` });
      previous = `মূলমন্ত্র ${v}.${winner}`;
    }
  });

  it('when 20 people edit a charter service from the same version at once, then exactly one is saved and audited with the values it replaced', async () => {
    const office = String(world.districtA._id);
    const imported = await api('io').importCharter(office, charterText(['জন্ম নিবন্ধন', 'ট্রেড লাইসেন্স']));
    expect(imported.status, JSON.stringify(imported.body)).to.equal(201);
    let previous = 'বিনামূল্যে';
    for (let t = 0; t < TRIALS; t++) {
      const version = (imported.body.version as number) + t;
      const { winner, bodies } = await race((i) => api('io').patch(`/api/v1/offices/${office}/charter/services/citizen-1`, { version, fee: `${t}.${i} টাকা` }));
      expect(bodies.find((r) => r.status === 409)!.body.error.details).to.include({ version });
      const stored = await Charter.findById(office).lean();
      expect(stored!.version).to.equal(version + 1);
      expect(stored!.services[0]!.fee).to.equal(`${t}.${winner} টাকা`);
      const audits = await AuditEntry.find({ action: 'charter.service.edit', 'entity.id': office, version: version + 1 }).lean();
      expect(audits).to.have.length(1);
      expect(audits[0]!.changes[0]).to.deep.include({ field: 'services.citizen-1.fee', before: previous, after: `${t}.${winner} টাকা` });
      // The version replaced is kept in the history.
      expect((await Charter.findById(`${office}:v${version}`).lean())!.services[0]!.fee).to.equal(previous);
      previous = `${t}.${winner} টাকা`;
    }
    expect(await AuditEntry.countDocuments({ action: 'charter.service.edit', 'entity.id': office })).to.equal(TRIALS);
  });

  it('when several charters are imported for one office at once, then none is lost: each saved one is a version of its own, current or in the history', async () => {
    const office = String(world.districtB._id);
    const texts = Array.from({ length: 6 }, (_, i) => charterText([`সেবা ${i}-ক`, `সেবা ${i}-খ`]));
    const answers = await Promise.all(texts.map((t) => api('admin').importCharter(office, t)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409), statuses.join(' ')).to.equal(true);
    const saved = answers.flatMap((r, i) => (r.status === 201 ? [{ i, version: r.body.version as number }] : []));
    expect(saved.length).to.be.greaterThan(0);
    expect(new Set(saved.map((s) => s.version)).size, 'every saved import has its own version').to.equal(saved.length);
    const current = await Charter.findById(office).lean();
    for (const s of saved) {
      const kept = s.version === current!.version ? current : await Charter.findById(`${office}:v${s.version}`).lean();
      expect(kept, `version ${s.version}`).to.not.equal(null);
      expect(kept!.services[0]!.name).to.equal(`সেবা ${s.i}-ক`);
    }
    expect(await AuditEntry.countDocuments({ action: 'charter.import', 'entity.id': office })).to.equal(saved.length);
  });

  it('when a save died between its claim and its write, then the record is refused only while the claim is young and saves again after', async () => {
    const created = await api('io').post('/api/v1/initiatives', { kind: 'idea', title: 'আটকে থাকা' });
    const id = created.body.id as string;
    // A claim of version 0 whose process died: the record never moved past version 0.
    await versionClaims().insertOne({ _id: versionClaimKey('initiative', id, 0), claimedAt: new Date() } as never);
    const young = await api('io').patch(`/api/v1/initiatives/${id}`, { version: 0, title: 'এখনই' });
    expect(young.status).to.equal(409);
    expect((await Initiative.findById(id).lean())!.title).to.equal('আটকে থাকা');
    // Once the claim is older than the limit, exactly one of several simultaneous saves takes it over.
    await versionClaims().updateOne({ _id: versionClaimKey('initiative', id, 0) }, { $set: { claimedAt: new Date(Date.now() - VERSION_CLAIM_STALE_MS - 5_000) } });
    const { winner } = await race((i) => api('io').patch(`/api/v1/initiatives/${id}`, { version: 0, title: `পরে ${i}` }));
    expect((await Initiative.findById(id).lean())!).to.include({ title: `পরে ${winner}`, __v: 1 });
    // The same for a charter edit (its own write path): a dead claim on its version is taken over.
    const office = String(world.upazilaB._id);
    const imported = await api('admin').importCharter(office, charterText(['নকল সেবা']));
    const v = imported.body.version as number;
    await versionClaims().insertOne({ _id: versionClaimKey('charter', office, v), claimedAt: new Date(Date.now() - VERSION_CLAIM_STALE_MS - 5_000) } as never);
    const edited = await api('admin').patch(`/api/v1/offices/${office}/charter/services/citizen-1`, { version: v, fee: '৫ টাকা' });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect((await Charter.findById(office).lean())!.version).to.equal(v + 1);
  });
});
