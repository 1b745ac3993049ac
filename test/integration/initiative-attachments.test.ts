import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { actorFromUser } from '../../src/features/auth/auth.service.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { Attachment, AttachmentFile } from '../../src/features/initiatives/attachment.model.js';
import { systemClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { csrfFrom, signIn } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);
// য় typed as one code point (U+09DF): stored NFC (য + nukta).
const BANGLA_NAME = 'প্রমাণক-বিষ\u09DFক নোটিশ.pdf';

describe('initiative attachments', function () {
  this.timeout(120_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let initiativeId: string;
  let otherInitiativeId: string;

  const as = (who: string) => ({
    get: (p: string) => request(server.url).get(p).set('Authorization', `Bearer ${tokens[who]}`),
    post: (p: string) => request(server.url).post(p).set('Authorization', `Bearer ${tokens[who]}`),
    del: (p: string) => request(server.url).delete(p).set('Authorization', `Bearer ${tokens[who]}`),
  });
  const upload = (who: string, id: string, data: Buffer, name: string, caption?: string) => {
    const r = as(who).post(`/api/v1/initiatives/${id}/attachments`).attach('file', data, name);
    return caption === undefined ? r : r.field('caption', caption);
  };

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    const people = {
      'io-a': await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'io-a', nameBn: 'রাশেদা আক্তার' }),
      'head-a': await createUser({ office: world.districtA, roles: ['head'], username: 'head-a' }),
      'obs-a': await createUser({ office: world.districtA, roles: ['observer'], username: 'obs-a' }),
      'field-a': await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a' }),
      'io-b': await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'io-b' }),
    };
    for (const [who, u] of Object.entries(people)) {
      ids[who] = String(u._id);
      tokens[who] = (await issueToken({ actor: actorFromUser(u, systemClock, 'token'), clock: systemClock }, { tokenDays: 30 })).token;
    }
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '1000' } });
    initiativeId = (await as('io-a').post('/api/v1/initiatives').send({ title: 'নারী উদ্যোক্তা সহায়তা', kind: 'idea' }).expect(201)).body.id;
    otherInitiativeId = (await as('io-a').post('/api/v1/initiatives').send({ title: 'অন্য উদ্যোগ', kind: 'idea' }).expect(201)).body.id;
  });
  afterEach(() => server.close());

  it('when an officer attaches a PDF with a Bangla name, then 201 with its id, NFC name, size, type and SHA-256, and the list and download return it', async () => {
    const res = await upload('io-a', initiativeId, PDF, BANGLA_NAME, 'সভার নোটিশ').expect(201);
    expect(res.body).to.include({ name: BANGLA_NAME.normalize('NFC'), size: PDF.length, contentType: 'application/pdf', sha256: crypto.createHash('sha256').update(PDF).digest('hex'), caption: 'সভার নোটিশ' });
    expect(res.body.id).to.equal(`${initiativeId}-1`);
    expect(res.body.uploadedBy.name).to.equal('রাশেদা আক্তার');
    expect(res.body.removed).to.equal(null);

    const list = await as('obs-a').get(`/api/v1/initiatives/${initiativeId}/attachments`).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).to.deep.equal([res.body.id]);

    const file = await as('obs-a').get(`/api/v1/initiatives/${initiativeId}/attachments/${res.body.id}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(file.headers['content-type']).to.equal('application/pdf');
    expect(file.headers['x-content-type-options']).to.equal('nosniff');
    expect(file.headers['content-disposition']).to.include(`filename*=UTF-8''${encodeURIComponent(BANGLA_NAME.normalize('NFC'))}`);
    expect(file.headers['content-disposition']).to.match(/filename="[\x20-\x7e]+"/);
    expect(Buffer.compare(file.body as Buffer, PDF)).to.equal(0);
    expect(await AuditEntry.countDocuments({ action: 'initiative.attachment.add' })).to.equal(1);
    const doc = await request(server.url).get('/api/v1/openapi.json').expect(200);
    expect(doc.body.paths['/api/v1/initiatives/{initiativeId}/attachments']).to.have.keys('get', 'post');
    expect(Object.keys(doc.body.paths['/api/v1/initiatives/{initiativeId}/attachments'].post.requestBody.content)).to.deep.equal(['multipart/form-data']);
    expect(doc.body.paths['/api/v1/initiatives/{initiativeId}/attachments/{attachmentId}']).to.have.keys('get', 'delete');
  });

  it('when the file is missing, empty, too large, of a kind not accepted or its contents do not match its kind, then 400 with a Bangla message and nothing is saved', async () => {
    const cases: [Buffer | null, string][] = [
      [null, ''],
      [Buffer.alloc(0), 'খালি.pdf'],
      [Buffer.from('MZ\x90\x00 not allowed'), 'setup.exe'],
      [Buffer.from('<html>not a pdf</html>'), 'report.pdf'],
      [PNG, 'photo.jpg'],
      [Buffer.from('PK\x03\x04 plain zip, no office parts'), 'sheet.xlsx'],
      [Buffer.from([0x61, 0x00, 0x62]), 'notes.txt'],
      [Buffer.alloc(10 * 1024 * 1024 + 1, 0x25), 'big.pdf'],
    ];
    for (const [data, name] of cases) {
      const r = data ? upload('io-a', initiativeId, data, name) : as('io-a').post(`/api/v1/initiatives/${initiativeId}/attachments`).field('caption', 'no file');
      const res = await r;
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.message, name).to.match(/[\u0980-\u09FF]/);
      expect(res.body.error.fields).to.have.property('file');
    }
    const en = await upload('io-a', initiativeId, Buffer.from('x'), 'a.exe').set('Accept-Language', 'en').expect(400);
    expect(en.body.error.message).to.include('cannot be attached');
    expect(await Attachment.countDocuments()).to.equal(0);
    expect(await AttachmentFile.countDocuments()).to.equal(0);
    expect(await AuditEntry.countDocuments({ action: 'initiative.attachment.add' })).to.equal(0);
  });

  it('when a file of each accepted kind is attached, then each is stored with its own content type', async () => {
    const zip = (part: string) => Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(`[Content_Types].xml ${part}document.xml`)]);
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const files: [Buffer, string, string][] = [
      [PNG, 'a.png', 'image/png'],
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]), 'b.JPG', 'image/jpeg'],
      [Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'c.webp', 'image/webp'],
      [zip('word/'), 'd.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [zip('xl/'), 'e.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      [ole, 'f.doc', 'application/msword'],
      [ole, 'g.xls', 'application/vnd.ms-excel'],
      [Buffer.from('উপস্থিতি তালিকা\n'), 'h.txt', 'text/plain; charset=utf-8'],
      [Buffer.from('নাম,জেলা\nক,খ\n'), 'i.csv', 'text/csv; charset=utf-8'],
    ];
    for (const [data, name, type] of files) {
      const res = await upload('head-a', initiativeId, data, name).expect(201);
      expect(res.body.contentType, name).to.equal(type);
    }
    const list = await as('io-a').get(`/api/v1/initiatives/${initiativeId}/attachments`).expect(200);
    expect(list.body.items.map((a: { name: string }) => a.name)).to.deep.equal(files.map((f) => f[1]));
  });

  it('when a file of exactly 10 MB is attached, then it is stored whole in one document and read back by its id', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(10 * 1024 * 1024 - 9)]);
    const res = await upload('io-a', initiativeId, big, 'বড় প্রতিবেদন.pdf').expect(201);
    expect(res.body.size).to.equal(10 * 1024 * 1024);
    const file = await as('io-a').get(`/api/v1/initiatives/${initiativeId}/attachments/${res.body.id}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(crypto.createHash('sha256').update(file.body as Buffer).digest('hex')).to.equal(res.body.sha256);
  });

  it('when people who may only read the initiative attach or remove, then 403; outside the subtree, 404; readers may list and download', async () => {
    const a = (await upload('io-a', initiativeId, PDF, 'a.pdf').expect(201)).body;
    await upload('obs-a', initiativeId, PDF, 'b.pdf').expect(403);
    // A field officer who runs one of its areas sees the initiative, but may not change its attachments.
    await upload('field-a', initiativeId, PDF, 'b.pdf').expect(403);
    await as('io-a').post(`/api/v1/initiatives/${initiativeId}/areas`).send({ nameBn: 'উপজেলা ক', fieldOfficer: ids['field-a'] }).expect(201);
    await as('field-a').get(`/api/v1/initiatives/${initiativeId}/attachments`).expect(200);
    await upload('field-a', initiativeId, PDF, 'b.pdf').expect(403);
    await upload('io-b', initiativeId, PDF, 'b.pdf').expect(404);
    await as('obs-a').del(`/api/v1/initiatives/${initiativeId}/attachments/${a.id}`).expect(403);
    await as('io-b').del(`/api/v1/initiatives/${initiativeId}/attachments/${a.id}`).expect(404);
    await as('io-b').get(`/api/v1/initiatives/${initiativeId}/attachments`).expect(404);
    await as('io-b').get(`/api/v1/initiatives/${initiativeId}/attachments/${a.id}`).expect(404);
    // An attachment id under another initiative's address is not found, even for someone who may read both.
    await as('io-a').get(`/api/v1/initiatives/${otherInitiativeId}/attachments/${a.id}`).expect(404);
    await as('head-a').get(`/api/v1/initiatives/${initiativeId}/attachments/${a.id}`).expect(200);
    expect(await Attachment.countDocuments()).to.equal(1);
  });

  it('when an attachment is removed, then it leaves the list, is marked with who and when, its bytes are kept and the removal is audited', async () => {
    const a = (await upload('io-a', initiativeId, PDF, 'a.pdf').expect(201)).body;
    const b = (await upload('io-a', initiativeId, PNG, 'b.png').expect(201)).body;
    const removed = await as('head-a').del(`/api/v1/initiatives/${initiativeId}/attachments/${a.id}`).expect(200);
    expect(removed.body.removed.by.id).to.be.a('string');
    expect(removed.body.removed.at).to.be.a('string');
    const list = await as('io-a').get(`/api/v1/initiatives/${initiativeId}/attachments`).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).to.deep.equal([b.id]);
    const all = await as('io-a').get(`/api/v1/initiatives/${initiativeId}/attachments?includeRemoved=1`).expect(200);
    expect(all.body.items.map((x: { id: string; removed: unknown }) => [x.id, !!x.removed])).to.deep.equal([[a.id, true], [b.id, false]]);
    expect(await AttachmentFile.exists({ _id: a.id })).to.not.equal(null);
    await as('io-a').get(`/api/v1/initiatives/${initiativeId}/attachments/${a.id}`).expect(200);
    // Removing again changes nothing (the first removal's who and when stay).
    const again = await as('io-a').del(`/api/v1/initiatives/${initiativeId}/attachments/${a.id}`).expect(200);
    expect(again.body.removed).to.deep.equal(removed.body.removed);
    expect(await AuditEntry.countDocuments({ action: 'initiative.attachment.remove' })).to.equal(1);
    // The next upload takes the next number: numbers are never reused.
    const c = (await upload('io-a', initiativeId, PDF, 'c.pdf').expect(201)).body;
    expect(c.id).to.equal(`${initiativeId}-3`);
  });

  it('when attachments are added and removed between views, then the detail page (which keeps the list between changes) always shows the current list', async () => {
    const page = async () => (await as('io-a').get(`/initiatives/${initiativeId}`).expect(200)).text;
    expect(await page()).to.not.include('ক-নথি.pdf');
    await upload('io-a', initiativeId, PDF, 'ক-নথি.pdf').expect(201);
    const b = (await upload('io-a', initiativeId, PNG, 'খ-ছবি.png').expect(201)).body;
    const first = await page();
    expect(first).to.include('ক-নথি.pdf').and.include('খ-ছবি.png');
    expect(await page()).to.equal(first); // a second view, from the kept list, is the same page
    await as('head-a').del(`/api/v1/initiatives/${initiativeId}/attachments/${b.id}`).expect(200);
    const afterRemoval = await page();
    expect(afterRemoval).to.include('ক-নথি.pdf').and.not.include('খ-ছবি.png');
    const six = await Promise.all(Array.from({ length: 6 }, (_, i) => upload('io-a', initiativeId, Buffer.concat([PDF, Buffer.from(String(i))]), `একসাথে-${i}.pdf`)));
    expect(six.map((r) => r.status)).to.deep.equal([201, 201, 201, 201, 201, 201]);
    const after = await page();
    for (let i = 0; i < 6; i++) expect(after).to.include(`একসাথে-${i}.pdf`);
  });

  it('when several files are attached at the same moment, then each gets its own number and all are listed', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => upload('io-a', initiativeId, Buffer.concat([PDF, Buffer.from(String(i))]), `f${i}.pdf`)));
    expect(results.map((r) => r.status)).to.deep.equal([201, 201, 201, 201, 201, 201]);
    const ids = results.map((r) => r.body.id as string);
    expect(new Set(ids).size).to.equal(6);
    const list = await as('io-a').get(`/api/v1/initiatives/${initiativeId}/attachments`).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id).sort()).to.deep.equal([...ids].sort());
  });

  it("when a stage move cites the initiative's attachments as evidence, then it is accepted and the history keeps them; another initiative's attachment is refused and nothing is saved", async () => {
    const mine = (await upload('io-a', initiativeId, PDF, 'পাইলট পরিকল্পনা.pdf').expect(201)).body;
    const theirs = (await upload('io-a', otherInitiativeId, PDF, 'other.pdf').expect(201)).body;
    const refused = await as('io-a').post(`/api/v1/initiatives/${initiativeId}/transitions`).send({ to: 'pilot', note: 'শুরু', evidence: [theirs.id] }).expect(400);
    expect(refused.body.error.fields).to.have.property('evidence.0');
    expect(refused.body.error.message).to.match(/[\u0980-\u09FF]/);
    const listed = await as('io-a').get(`/api/v1/initiatives/${initiativeId}/transitions`).expect(200);
    expect(listed.body.items).to.have.length(0);

    const t = await as('io-a').post(`/api/v1/initiatives/${initiativeId}/transitions`).send({ to: 'pilot', note: 'শুরু', evidence: [mine.id] }).expect(201);
    expect(t.body.status).to.equal('pending');
    await as('head-a').post(`/api/v1/initiatives/${initiativeId}/transitions/${t.body.id}/approve`).send({}).expect(200);
    const got = await as('io-a').get(`/api/v1/initiatives/${initiativeId}`).expect(200);
    expect(got.body.stage).to.equal('pilot');
    expect(got.body.history.at(-1).evidence).to.deep.equal([mine.id]);
    // The timeline on the page links the evidence to the file.
    const page = await (await signIn(server.url, 'io-a')).agent.get(`/initiatives/${initiativeId}`).expect(200);
    const timeline = page.text.slice(page.text.indexOf('class="timeline"'));
    expect(timeline).to.include(`<a href="/initiatives/${initiativeId}/attachments/${mine.id}">পাইলট পরিকল্পনা.pdf</a>`);

    // A removed attachment can no longer be cited.
    await as('io-a').del(`/api/v1/initiatives/${initiativeId}/attachments/${mine.id}`).expect(200);
    const gone = await as('io-a').post(`/api/v1/initiatives/${initiativeId}/transitions`).send({ to: 'paused', reason: 'বাজেট নেই', evidence: [mine.id] }).expect(400);
    expect(gone.body.error.fields).to.have.property('evidence.0');
  });

  it('when the detail page is opened, then it lists the attachments with download links and an upload form; the form upload needs the CSRF token', async () => {
    const a = (await upload('io-a', initiativeId, PDF, BANGLA_NAME).expect(201)).body;
    const officer = await signIn(server.url, 'io-a');
    const page = await officer.agent.get(`/initiatives/${initiativeId}`).expect(200);
    expect(page.text).to.include(`href="/initiatives/${initiativeId}/attachments/${a.id}"`);
    expect(page.text).to.include(BANGLA_NAME.normalize('NFC'));
    expect(page.text).to.include('enctype="multipart/form-data"');
    expect(page.text).to.include('name="evidence"');

    // Without the token: refused, nothing saved.
    await officer.agent.post(`/initiatives/${initiativeId}/attachments`).attach('file', PNG, 'ছবি.png').expect(403);
    expect(await Attachment.countDocuments({ initiative: initiativeId })).to.equal(1);
    // With the token (in the multipart body, as the form sends it): saved, back to the page.
    const token = csrfFrom(page.text);
    const ok = await officer.agent.post(`/initiatives/${initiativeId}/attachments`).field('_csrf', token).field('caption', 'কর্মশালার ছবি').attach('file', PNG, 'ছবি.png').expect(303);
    expect(ok.headers.location).to.equal(`/initiatives/${initiativeId}#attachments`);
    const after = await officer.agent.get(`/initiatives/${initiativeId}`).expect(200);
    expect(after.text).to.include('ছবি.png');
    expect(after.text).to.include('কর্মশালার ছবি');
    // A wrong kind through the form: back to the page with the message, nothing saved.
    await officer.agent.post(`/initiatives/${initiativeId}/attachments`).field('_csrf', token).attach('file', Buffer.from('x'), 'a.exe').expect(303);
    const refused = await officer.agent.get(`/initiatives/${initiativeId}`).expect(200);
    expect(refused.text).to.include('এই ধরনের ফাইল সংযুক্ত করা যায় না');
    // Too large through the form: the same, back to the page with the message.
    await officer.agent.post(`/initiatives/${initiativeId}/attachments`).field('_csrf', token).attach('file', Buffer.alloc(10 * 1024 * 1024 + 1, 0x25), 'big.pdf').expect(303);
    expect((await officer.agent.get(`/initiatives/${initiativeId}`).expect(200)).text).to.include('সর্বোচ্চ ১০ মেগাবাইট');
    expect(await Attachment.countDocuments({ initiative: initiativeId })).to.equal(2);
    // The download link works for the signed-in reader.
    await officer.agent.get(`/initiatives/${initiativeId}/attachments/${a.id}`).expect(200).expect('Content-Type', 'application/pdf');
    // Removing through the page.
    await officer.agent.post(`/initiatives/${initiativeId}/attachments/${a.id}/remove`).type('form').send({ _csrf: token }).expect(303);
    const last = await officer.agent.get(`/initiatives/${initiativeId}`).expect(200);
    expect(last.text).to.not.include(`href="/initiatives/${initiativeId}/attachments/${a.id}"`);

    // An observer sees the list but no upload form.
    const observer = await signIn(server.url, 'obs-a');
    const seen = await observer.agent.get(`/initiatives/${initiativeId}`).expect(200);
    expect(seen.text).to.include('ছবি.png');
    expect(seen.text).to.not.include('enctype="multipart/form-data"');
  });
});
