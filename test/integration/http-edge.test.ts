// Bodies at the edge: a JSON API route refuses other content types (415) and an empty body (400), fields the
// OpenAPI document marks required are required, and text that is not valid UTF-8 (or holds a lone surrogate)
// is refused (400); in every case nothing changes in the database.
import crypto from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../src/app.js';
import { systemClock } from '../../src/lib/index.js';
import type { OpenApiRegistry } from '../../src/platform/http/openapi.js';
import { startTestServer, testConfig, type TestServer } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase, testDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { testLogger } from '../support/logger.js';

/** Every document of every collection, hashed: equal fingerprints mean nothing was written. */
async function fingerprint(): Promise<string> {
  const db = mongoose.connection.db!;
  const hash = crypto.createHash('sha256');
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.')).sort();
  for (const name of names) {
    const docs = await db.collection(name).find({}).toArray();
    const rows = docs.map((d) => JSON.stringify(d)).sort();
    hash.update(`${name}:${rows.join('\n')}\n`);
  }
  return hash.digest('hex');
}

/**
 * The fingerprint once the app's own bookkeeping from earlier requests has landed (a token's last use is written
 * without being awaited; under load it landed after the first fingerprint once): two equal readings 300 ms apart.
 */
async function settledFingerprint(): Promise<string> {
  let last = await fingerprint();
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await fingerprint();
    if (now === last) return now;
    last = now;
  }
  throw new Error('the database never settled');
}

interface JsonOperation {
  method: string;
  path: string;
  required: string[];
}

function jsonOperations(doc: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: { required?: string[] } }> } }>> }): JsonOperation[] {
  const out: JsonOperation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const json = op.requestBody?.content['application/json'];
      if (json) out.push({ method, path, required: json.schema?.required ?? [] });
    }
  }
  return out;
}

describe('HTTP bodies at the edge', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: string;
  let officer: string;
  let meetingId: string;
  const ids = { office: '', user: '', admin: '' };
  const minutes = (token: string) => request(server.url).put(`/api/v1/meetings/${meetingId}/minutes`).set('Authorization', `Bearer ${token}`);
  /** Exactly these bytes as a JSON body (supertest would re-encode a Buffer sent as JSON). */
  const putRaw = async (body: Buffer | string, lang?: 'en') => {
    const res = await fetch(`${server.url}/api/v1/meetings/${meetingId}/minutes`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${officer}`, 'Content-Type': 'application/json', ...(lang ? { 'Accept-Language': lang } : {}) },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };
  const savedOpening = async () => (await request(server.url).get(`/api/v1/meetings/${meetingId}`).set('Authorization', `Bearer ${officer}`).expect(200)).body.minutes?.opening;

  before(async () => {
    await resetDatabase();
    const world = await createWorld();
    server = await startTestServer();
    const a = await createUser({ office: world.root, roles: ['admin'], username: 'edge-admin' });
    const o = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'edge-officer' });
    const h = await createUser({ office: world.districtA, roles: ['head'], username: 'edge-head' });
    Object.assign(ids, { office: String(world.districtA._id), user: String(o._id), admin: String(a._id) });
    admin = await tokenFor(server.url, a.username);
    officer = await tokenFor(server.url, o.username);
    await request(server.url).post('/api/v1/memo-registers').set('Authorization', `Bearer ${officer}`).send({ office: ids.office, name: 'নোটিশ বহি', layout: '2014', segments: { ministry: '32', department: '01', geo: '4700', branch: '1', subject: '25', file: '11', year: '25' } }).expect(201);
    const m = await request(server.url).post('/api/v1/meetings').set('Authorization', `Bearer ${officer}`).send({ kind: 'review', subject: 'পর্যালোচনা সভা', office: ids.office, chair: { user: String(h._id) }, startsAt: '2025-10-05T11:00:00+06:00' });
    expect(m.status, JSON.stringify(m.body)).to.equal(201);
    meetingId = m.body.id;
    await minutes(officer).send({ opening: 'সভার শুরুতে সভাপতি সকলকে স্বাগত জানান।' }).expect(200);
    // Both tokens used once more, so that their first-use bookkeeping is written before any fingerprint.
    await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${admin}`).expect(200);
    await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${officer}`).expect(200);
  });
  after(async () => {
    await server?.close();
  });

  it('when the minutes are PUT as text/plain, then 415 with a Bangla message and the minutes stay as they were', async () => {
    const before = await settledFingerprint();
    const res = await minutes(officer).set('Content-Type', 'text/plain').send('opening=');
    expect(res.status).to.equal(415);
    expect(res.body.error.code).to.equal('unsupported_media_type');
    expect(res.body.error.message).to.match(/[\u0980-\u09FF]/);
    expect(await savedOpening()).to.equal('সভার শুরুতে সভাপতি সকলকে স্বাগত জানান।');
    expect(await fingerprint()).to.equal(before);
  });

  it('when the minutes are PUT with no body, then 400 (in English on request) and the minutes stay as they were', async () => {
    const before = await settledFingerprint();
    const res = await minutes(officer).set('Accept-Language', 'en');
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.equal('The request has no body. Send the fields as JSON.');
    const typed = await minutes(officer).set('Content-Type', 'application/json').set('Content-Length', '0');
    expect(typed.status).to.equal(400);
    expect(await savedOpening()).to.equal('সভার শুরুতে সভাপতি সকলকে স্বাগত জানান।');
    expect(await fingerprint()).to.equal(before);
  });

  it('when a notice is asked for without the distribution the OpenAPI document marks required, then 400 and no memo number is used', async () => {
    const doc = (await request(server.url).get('/api/v1/openapi.json').expect(200)).body;
    const notice = jsonOperations(doc).find((o) => o.method === 'post' && o.path === '/api/v1/meetings/{meetingId}/notice')!;
    expect(notice.required).to.include('distribution');
    const before = await settledFingerprint();
    const res = await request(server.url).post(`/api/v1/meetings/${meetingId}/notice`).set('Authorization', `Bearer ${officer}`).send({});
    expect(res.status).to.equal(400);
    expect(res.body.error.fields).to.have.property('distribution');
    const empty = await request(server.url).post(`/api/v1/meetings/${meetingId}/notice`).set('Authorization', `Bearer ${officer}`).send({ distribution: [] });
    expect(empty.status).to.equal(400);
    const text = await request(server.url).post(`/api/v1/meetings/${meetingId}/notice`).set('Authorization', `Bearer ${officer}`).set('Content-Type', 'text/plain').send('distribution=x');
    expect(text.status).to.equal(415);
    expect(await fingerprint()).to.equal(before);
    // With recipients it is issued, under its memo number.
    const ok = await request(server.url).post(`/api/v1/meetings/${meetingId}/notice`).set('Authorization', `Bearer ${officer}`).send({ distribution: ['অফিস কপি'] });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(ok.body.memoNumber).to.be.a('string');
  });

  it('when every JSON route of the OpenAPI document is sent text/plain or nothing, then 415 and 400, and nothing changes', async () => {
    const doc = (await request(server.url).get('/api/v1/openapi.json').expect(200)).body;
    const ops = jsonOperations(doc);
    expect(ops.length).to.be.greaterThan(20);
    const real: Record<string, string> = { meetingId, officeId: ids.office, userId: ids.user };
    const before = await settledFingerprint();
    const wrong: string[] = [];
    for (const op of ops) {
      const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => real[name] ?? new mongoose.Types.ObjectId().toHexString());
      const send = () => (request(server.url) as unknown as Record<string, (u: string) => request.Test>)[op.method]!(url).set('Authorization', `Bearer ${admin}`);
      const text = await send().set('Content-Type', 'text/plain').send('{"a":1}');
      const empty = await send();
      if (text.status !== 415) wrong.push(`${op.method} ${op.path} text/plain → ${text.status}`);
      // A DELETE's body is optional (its route refuses what it misses, after the access checks).
      if (op.method !== 'delete' && empty.status !== 400) wrong.push(`${op.method} ${op.path} empty → ${empty.status}`);
    }
    expect(wrong).to.deep.equal([]);
    expect(await fingerprint()).to.equal(before);
  });

  it('when the OpenAPI document marks a body field required, then the route refuses a body without it', () => {
    const app = createApp({ config: testConfig(), logger: testLogger, db: testDatabase().db, clock: systemClock });
    const registry = app.locals.openapi as OpenApiRegistry;
    const loose: string[] = [];
    let checked = 0;
    for (const op of registry.list()) {
      if (!op.body || (op.bodyContentType ?? 'application/json') !== 'application/json') continue;
      const documented = (z.toJSONSchema(op.body, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as { required?: string[] }).required ?? [];
      const result = op.body.safeParse({});
      const refused = new Set(result.success ? [] : result.error.issues.map((i) => String(i.path[0] ?? '')));
      for (const field of documented) {
        checked++;
        if (!refused.has(field)) loose.push(`${op.method} ${op.path}: ${field}`);
      }
    }
    expect(checked).to.be.greaterThan(5);
    expect(loose).to.deep.equal([]);
  });

  it('when a JSON body holds bytes that are not UTF-8, then 400 with a clear message and nothing is stored', async () => {
    const before = await settledFingerprint();
    const raw = Buffer.concat([Buffer.from('{"opening":"ভুল '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const res = await putRaw(raw);
    expect(res.status).to.equal(400);
    expect(res.body.error!.code).to.equal('invalid_encoding');
    expect(res.body.error!.message).to.include('UTF-8');
    expect(res.body.error!.message).to.match(/[\u0980-\u09FF]/);
    const en = await putRaw(raw, 'en');
    expect(en.body.error!.message).to.match(/^The text is not valid UTF-8/);
    expect(await fingerprint()).to.equal(before);
  });

  it('when a JSON body holds a lone surrogate (escaped or as CESU bytes), then 400 and nothing is stored; a real pair is kept', async () => {
    const before = await settledFingerprint();
    for (const body of ['{"opening":"\\ud800"}', '{"opening":"a\\udc00b"}', '{"\\ud83d":"key"}']) {
      const res = await putRaw(body);
      expect(res.status, body).to.equal(400);
    }
    const cesu = Buffer.concat([Buffer.from('{"opening":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expect((await putRaw(cesu)).status).to.equal(400);
    expect(await fingerprint()).to.equal(before);
    expect((await putRaw('{"opening":"সভা \\ud83d\\ude00 শুরু"}')).status).to.equal(200);
    expect(await savedOpening()).to.equal('সভা 😀 শুরু');
  });

  it('when a form body holds %-escaped bytes that are not UTF-8, then 400; escaped Bangla passes the check', async () => {
    const bad = await request(server.url).post('/login').type('form').send('username=%FF%FEadmin&password=x');
    expect(bad.status).to.equal(400);
    const page = await request(server.url).post('/login').set('Accept', 'text/html').type('form').send('username=%FF&password=x');
    expect(page.status).to.equal(400);
    expect(page.text).to.include('UTF-8');
    // A well-formed Bangla form value reaches the route (which answers its own way, not 400 for the encoding).
    const good = await request(server.url).post('/login').type('form').send(`username=${encodeURIComponent('অতিথি')}&password=x`);
    expect(good.status).to.not.equal(400);
  });
});
