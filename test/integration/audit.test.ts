import { expect } from 'chai';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { recordAudit } from '../../src/features/audit/audit.service.js';
import { fixedClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { signIn, tokenFor } from '../support/auth.js';

describe('audit log', () => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    await createUser({ office: world.root, roles: ['admin'], username: 'root-admin' });
    await createUser({ office: world.districtA, roles: ['admin'], username: 'admin-a' });
    await createUser({ office: world.root, roles: ['observer'], username: 'watcher' });
    server = await startTestServer();
    const old = fixedClock('2025-03-01T06:00:00Z');
    await recordAudit({ clock: old }, { action: 'office.update', entity: { type: 'office', id: String(world.upazilaA._id), label: 'উপজেলা ক', office: String(world.upazilaA._id) }, changes: [{ field: 'nameBn', before: 'পুরনো', after: 'নতুন' }] });
    await recordAudit({ clock: old }, { action: 'office.update', entity: { type: 'office', id: String(world.upazilaB._id), label: 'উপজেলা খ', office: String(world.upazilaB._id) } });
  });
  after(() => server.close());

  it('when an admin opens the audit page, then entries show who, what and the before/after values', async () => {
    const { agent } = await signIn(server.url, 'root-admin');
    const page = await agent.get('/admin/audit').expect(200);
    expect(page.text).to.include('অডিট লগ');
    expect(page.text).to.include('auth.sign-in');
    expect(page.text).to.include('পুরনো → নতুন');
  });

  it('when filtered by user, action and date, then only matching entries are returned', async () => {
    const token = await tokenFor(server.url, 'root-admin');
    const auth = { Authorization: `Bearer ${token}` };
    const byAction = await request(server.url).get('/api/v1/audit?action=office.').set(auth).expect(200);
    expect(byAction.body.items.map((i: { action: string }) => i.action)).to.deep.equal(['office.update', 'office.update']);
    const byDate = await request(server.url).get('/api/v1/audit?from=০১/০৩/২০২৫&to=০১/০৩/২০২৫').set(auth).expect(200);
    expect(byDate.body.total).to.equal(2);
    const byUser = await request(server.url).get('/api/v1/audit?user=root-admin&action=auth.sign-in').set(auth).expect(200);
    expect(byUser.body.total).to.be.at.least(1);
    expect(byUser.body.items.every((i: { actor: { username: string } }) => i.actor.username === 'root-admin')).to.equal(true);
    const byRecord = await request(server.url).get(`/api/v1/audit?record=${world.upazilaA._id}`).set(auth).expect(200);
    expect(byRecord.body.items).to.have.length(1);
    expect(byRecord.body.items[0].changes).to.deep.equal([{ field: 'nameBn', before: 'পুরনো', after: 'নতুন' }]);
    await request(server.url).get('/api/v1/audit?from=31/02/2025').set(auth).expect(400);
  });

  it('when a district admin reads the log, then entries about offices outside their subtree are not shown', async () => {
    const token = await tokenFor(server.url, 'admin-a');
    const res = await request(server.url).get('/api/v1/audit?action=office.').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.items.map((i: { entity: { label: string } }) => i.entity.label)).to.deep.equal(['উপজেলা ক']);
  });

  it('when a non-admin asks for the log, then 403; and no route edits or deletes entries', async () => {
    const token = await tokenFor(server.url, 'watcher');
    await request(server.url).get('/api/v1/audit').set('Authorization', `Bearer ${token}`).expect(403);
    const admin = await tokenFor(server.url, 'root-admin');
    const before = await AuditEntry.countDocuments();
    const id = String((await AuditEntry.findOne().lean())!._id);
    for (const method of ['put', 'patch', 'delete'] as const) {
      await request(server.url)[method](`/api/v1/audit/${id}`).set('Authorization', `Bearer ${admin}`).send({ action: 'x' }).expect(404);
    }
    await request(server.url).delete('/api/v1/audit').set('Authorization', `Bearer ${admin}`).expect(404);
    // The token requests above add sign-in entries; none was removed or changed.
    expect(await AuditEntry.countDocuments()).to.be.at.least(before);
    expect((await AuditEntry.findById(id).lean())?.action).to.not.equal('x');
  });
});
