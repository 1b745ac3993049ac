// PATCH /api/v1/meetings/:id {office}: a draft meeting moves to another office the caller also manages; the
// answer used to be 200 with the office silently ignored.
import { expect } from 'chai';
import { Types } from 'mongoose';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { Meeting } from '../../src/features/meetings/meeting.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';

describe('moving a meeting to another office', function () {
  this.timeout(60_000);
  let server: TestServer;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  before(async () => {
    await resetDatabase();
    server = await startTestServer();
    const world = await createWorld();
    const district = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'mo-district' });
    const upazila = await createUser({ office: world.upazilaA, roles: ['innovation_officer'], username: 'mo-upazila' });
    Object.assign(ids, { districtA: String(world.districtA._id), upazilaA: String(world.upazilaA._id), districtB: String(world.districtB._id) });
    tokens.district = await tokenFor(server.url, district.username);
    tokens.upazila = await tokenFor(server.url, upazila.username);
    await request(server.url).post('/api/v1/memo-registers').set('Authorization', `Bearer ${tokens.district}`).send({ office: ids.districtA, name: 'বহি', layout: '2014', segments: { ministry: '32', department: '01', geo: '4700', branch: '1', subject: '25', file: '11', year: '25' } }).expect(201);
  });
  after(() => server?.close());

  const api = (who: string) => ({
    create: (office: string) => request(server.url).post('/api/v1/meetings').set('Authorization', `Bearer ${tokens[who]}`).send({ kind: 'review', subject: 'দপ্তর বদলের সভা', office, chair: { text: 'সভাপতি' }, startsAt: '2025-10-05T11:00:00+06:00' }),
    patch: (id: string, body: object) => request(server.url).patch(`/api/v1/meetings/${id}`).set('Authorization', `Bearer ${tokens[who]}`).set('Accept-Language', 'en').send(body),
  });
  const officeOf = async (id: string) => String((await Meeting.findById(id).lean())!.office);

  it('when a draft meeting is moved to an office the caller also manages, then it belongs to that office, its default series follows and the audit says so', async () => {
    const m = (await api('district').create(ids.districtA!).expect(201)).body;
    const res = await api('district').patch(m.id, { office: ids.upazilaA });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.office.id).to.equal(ids.upazilaA);
    expect(await officeOf(m.id)).to.equal(ids.upazilaA);
    expect((await Meeting.findById(m.id).lean())!.series).to.equal(`${ids.upazilaA}:review`);
    const audit = await AuditEntry.findOne({ action: 'meeting.edit', 'entity.id': m.id }).lean();
    expect(audit!.changes).to.deep.include({ field: 'office', before: ids.districtA, after: ids.upazilaA });
    // Now the upazila's own officer manages it.
    expect((await api('upazila').patch(m.id, { subject: 'উপজেলার সভা' })).status).to.equal(200);
  });

  it('when the caller does not manage the new office, then 403 and the meeting stays where it was', async () => {
    const m = (await api('district').create(ids.districtA!).expect(201)).body;
    const res = await api('district').patch(m.id, { office: ids.districtB, subject: 'অন্য বিষয়' });
    expect(res.status, JSON.stringify(res.body)).to.equal(403);
    expect(res.body.error.message).to.include('office');
    expect(await officeOf(m.id)).to.equal(ids.districtA);
    expect((await Meeting.findById(m.id).lean())!.subject).to.equal('দপ্তর বদলের সভা');
    // Nor may an upazila officer pull a district meeting down into their own office.
    expect((await api('upazila').patch(m.id, { office: ids.upazilaA })).status).to.be.oneOf([403, 404]);
    expect(await officeOf(m.id)).to.equal(ids.districtA);
  });

  it('when the office does not exist, then 400 naming the field and nothing changes', async () => {
    const m = (await api('district').create(ids.districtA!).expect(201)).body;
    const res = await api('district').patch(m.id, { office: new Types.ObjectId().toHexString() });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields).to.have.property('office');
    expect(await officeOf(m.id)).to.equal(ids.districtA);
  });

  it('when the notice was issued or the minutes were submitted, then 409 naming the field and the office stays', async () => {
    const m = (await api('district').create(ids.districtA!).expect(201)).body;
    await request(server.url).post(`/api/v1/meetings/${m.id}/notice`).set('Authorization', `Bearer ${tokens.district}`).send({ distribution: [{ text: 'অফিস কপি', purpose: 'information' }] }).expect(201);
    const res = await api('district').patch(m.id, { office: ids.upazilaA });
    expect(res.status, JSON.stringify(res.body)).to.equal(409);
    expect(res.body.error.details).to.include({ field: 'office' });
    expect(res.body.error.message).to.include('office');
    expect(await officeOf(m.id)).to.equal(ids.districtA);

    const s = (await api('district').create(ids.districtA!).expect(201)).body;
    await request(server.url).put(`/api/v1/meetings/${s.id}/minutes`).set('Authorization', `Bearer ${tokens.district}`).send({ opening: 'শুরু' }).expect(200);
    await request(server.url).post(`/api/v1/meetings/${s.id}/submit`).set('Authorization', `Bearer ${tokens.district}`).expect(200);
    expect((await api('district').patch(s.id, { office: ids.upazilaA })).status).to.equal(409);
    expect(await officeOf(s.id)).to.equal(ids.districtA);
  });
});
