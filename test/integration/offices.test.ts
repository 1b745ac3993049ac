import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { Office } from '../../src/features/offices/office.model.js';
import { repairAncestors } from '../../src/features/offices/index.js';
import { Upazila } from '../../src/features/offices/upazila.model.js';
import { User } from '../../src/features/users/user.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { createOffice, createUser, createWorld } from '../support/factories.js';
import { signIn, tokenFor } from '../support/auth.js';

type World = Awaited<ReturnType<typeof createWorld>>;

const KHULNA_CSV = ['district,name_bn,name_en,geocode', 'Khulna,পাইকগাছা,Paikgachha,64', 'খুলনা,ডুমুরিয়া,Dumuria,৪৭৩০'].join('\n');

/** The office's ancestors as strings (root first). */
async function ancestorsOf(id: Types.ObjectId | string): Promise<string[]> {
  const doc = await Office.findById(id).lean();
  return (doc?.ancestors ?? []).map(String);
}

describe('offices: tree, pages, API, moves and upazila reference data', () => {
  let server: TestServer;
  let world: World;
  const tokens = new Map<string, string>();

  async function token(username: string): Promise<{ Authorization: string }> {
    if (!tokens.has(username)) tokens.set(username, await tokenFor(server.url, username));
    return { Authorization: `Bearer ${tokens.get(username)!}` };
  }

  beforeEach(async () => {
    await resetDatabase();
    tokens.clear();
    world = await createWorld();
    await createUser({ office: world.root, roles: ['admin'], username: 'root-admin', nameBn: 'রুট অ্যাডমিন' });
    await createUser({ office: world.districtA, roles: ['admin'], username: 'admin-a' });
    await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field-a' });
    await createUser({ office: world.districtA, roles: ['observer'], username: 'observer-a' });
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '10000' } });
  });
  afterEach(() => server.close());

  describe('creating and editing through the pages', () => {
    it('when an admin fills the new-office form with Bangla digits, then the office is created under the parent, stored with Latin digits, audited, and the detail page shows Bangla digits after a flash message', async () => {
      const { agent, csrf } = await signIn(server.url, 'admin-a');
      const form = await agent.get(`/admin/offices/new?parent=${world.districtA._id}`).expect(200);
      expect(form.text).to.include('নতুন দপ্তর যোগ করুন');
      expect(form.text).to.include(`<option value="${world.districtA._id}" selected>`);
      expect(form.text).not.to.include(String(world.districtB._id)); // the parent picker lists only the admin's subtree
      expect(form.text).to.include('<optgroup label="খুলনা">'); // district picker, by division, in Bangla

      const res = await agent
        .post('/admin/offices/new')
        .type('form')
        .send({
          _csrf: csrf,
          code: 'dwa-upz-paikgachha',
          nameBn: 'উপজেলা মহিলা বিষয়ক কার্যালয়, পাইকগাছা',
          nameEn: 'Upazila Women Affairs Office, Paikgachha',
          level: 'upazila',
          parent: String(world.districtA._id),
          districtIso: 'BD-27',
          geoCode: '৪৭৬৪',
          phone: '০১৭১১০০০০০০',
          'memoSegments.ministry': '৩২',
          'memoSegments.office': '০১',
          'memoSegments.geo': '৪৭৬৪',
          'memoSegments.branch': '০২১',
        })
        .expect(303);
      const created = await Office.findOne({ code: 'dwa-upz-paikgachha' }).lean();
      expect(created).to.not.equal(null);
      expect(res.headers.location).to.equal(`/admin/offices/${created!._id}`);
      expect(created!.geoCode).to.equal('4764');
      expect(created!.phone).to.equal('01711000000');
      expect(created!.memoSegments).to.deep.include({ ministry: '32', office: '01', geo: '4764', branch: '021' });
      expect(String(created!.parent)).to.equal(String(world.districtA._id));
      expect(created!.ancestors.map(String)).to.deep.equal([String(world.root._id), String(world.districtA._id)]);

      const detail = await agent.get(res.headers.location!).expect(200);
      expect(detail.text).to.include('দপ্তর “উপজেলা মহিলা বিষয়ক কার্যালয়, পাইকগাছা” যোগ করা হয়েছে।');
      expect(detail.text).to.include('৪৭৬৪');
      expect(detail.text).to.include('৩২.০১.৪৭৬৪.০২১');

      const audit = await AuditEntry.findOne({ action: 'office.create', 'entity.id': String(created!._id) }).lean();
      expect(audit?.actor?.username).to.equal('admin-a');
      const changes = Object.fromEntries(audit!.changes.map((c) => [c.field, [c.before, c.after]]));
      expect(changes.nameBn).to.deep.equal([null, 'উপজেলা মহিলা বিষয়ক কার্যালয়, পাইকগাছা']);
      expect(changes.geoCode).to.deep.equal([null, '4764']);
    });

    it('when the form has errors, then it comes back (400) with messages beside the fields, aria-invalid and aria-describedby, and the typed values kept', async () => {
      const { agent, csrf } = await signIn(server.url, 'admin-a');
      const res = await agent
        .post('/admin/offices/new')
        .type('form')
        .send({
          _csrf: csrf,
          code: 'ok-code',
          nameBn: 'Not Bangla',
          level: 'upazila',
          parent: String(world.districtA._id),
          geoCode: '৪৭',
          email: 'not-an-email',
        })
        .expect(400);
      expect(res.text).to.include('বাংলা নাম বাংলা অক্ষরে লিখুন।');
      expect(res.text).to.include('জিও কোড ৪ অঙ্কের হবে');
      expect(res.text).to.include('সঠিক ই-মেইল ঠিকানা দিন।');
      expect(res.text).to.match(/id="f-nameBn"[^>]*aria-invalid="true"[^>]*aria-describedby="f-nameBn-hint f-nameBn-error"/);
      expect(res.text).to.include('<span class="field-error" id="f-geoCode-error">');
      expect(res.text).to.include('value="Not Bangla"');
      expect(res.text).to.include('value="৪৭"');
      expect(await Office.countDocuments({ code: 'ok-code' })).to.equal(0);

      const duplicate = await agent
        .post('/admin/offices/new')
        .type('form')
        .send({ _csrf: csrf, code: String(world.upazilaA.code), nameBn: 'নতুন দপ্তর', level: 'upazila', parent: String(world.districtA._id) })
        .expect(400);
      expect(duplicate.text).to.include('এই কোড আরেকটি দপ্তরের; অন্য কোড দিন।');
      expect(duplicate.text).to.match(/id="f-code"[^>]*aria-invalid="true"/);
    });

    it('when a form is posted without the CSRF token, then 403 and nothing is created', async () => {
      const { agent } = await signIn(server.url, 'admin-a');
      await agent
        .post('/admin/offices/new')
        .type('form')
        .send({ code: 'no-csrf', nameBn: 'দপ্তর', level: 'upazila', parent: String(world.districtA._id) })
        .expect(403);
      expect(await Office.countDocuments({ code: 'no-csrf' })).to.equal(0);
    });

    it('when an admin edits an office through the page, then the change is saved with a new version, a flash message, and an audit entry with before and after', async () => {
      const { agent, csrf } = await signIn(server.url, 'admin-a');
      const edit = await agent.get(`/admin/offices/${world.upazilaA._id}/edit`).expect(200);
      expect(edit.text).to.include('name="version" value="0"');
      expect(edit.text).not.to.include(`<option value="${world.upazilaA._id}"`); // never its own parent
      const res = await agent
        .post(`/admin/offices/${world.upazilaA._id}/edit`)
        .type('form')
        .send({
          _csrf: csrf,
          version: '0',
          nameBn: 'উপজেলা ক (নতুন নাম)',
          level: 'upazila',
          parent: String(world.districtA._id),
          phone: '০২-৯৫৫৫৫৫৫',
        })
        .expect(303);
      const page = await agent.get(res.headers.location!).expect(200);
      expect(page.text).to.include('দপ্তর “উপজেলা ক (নতুন নাম)”-এর তথ্য সংরক্ষণ করা হয়েছে।');
      const saved = await Office.findById(world.upazilaA._id).lean();
      expect(saved?.nameBn).to.equal('উপজেলা ক (নতুন নাম)');
      expect(saved?.phone).to.equal('02-9555555');
      expect(saved?.__v).to.equal(1);
      const audit = await AuditEntry.findOne({ action: 'office.update', 'entity.id': String(world.upazilaA._id) }).lean();
      const changes = Object.fromEntries(audit!.changes.map((c) => [c.field, [c.before, c.after]]));
      expect(changes.nameBn).to.deep.equal(['উপজেলা ক', 'উপজেলা ক (নতুন নাম)']);
      expect(changes.phone).to.deep.equal([null, '02-9555555']);
      expect(changes.version).to.deep.equal([0, 1]);
    });

    it('when two admins edit the same office and the second saves a stale form, then 409: the form keeps their values and names the fields changed meanwhile', async () => {
      const first = await signIn(server.url, 'root-admin');
      const second = await signIn(server.url, 'admin-a');
      await second.agent.get(`/admin/offices/${world.upazilaA._id}/edit`).expect(200);
      await first.agent
        .post(`/admin/offices/${world.upazilaA._id}/edit`)
        .type('form')
        .send({ _csrf: first.csrf, version: '0', nameBn: 'প্রথম জনের নাম', level: 'upazila', parent: String(world.districtA._id) })
        .expect(303);
      const stale = await second.agent
        .post(`/admin/offices/${world.upazilaA._id}/edit`)
        .type('form')
        .send({
          _csrf: second.csrf,
          version: '0',
          nameBn: 'দ্বিতীয় জনের নাম',
          level: 'upazila',
          parent: String(world.districtA._id),
          email: 'upz@example.gov.bd',
        })
        .expect(409);
      expect(stale.text).to.include('আপনি এই পাতা খোলার পরে অন্য কেউ দপ্তরটি পরিবর্তন করেছেন।');
      expect(stale.text).to.include('<strong>নাম (বাংলা)</strong>');
      expect(stale.text).to.include('value="দ্বিতীয় জনের নাম"');
      expect(stale.text).to.match(/data-testid="current-nameBn">বর্তমান মান: <strong>প্রথম জনের নাম<\/strong>/);
      expect(stale.text).to.include('name="version" value="1"');
      expect((await Office.findById(world.upazilaA._id).lean())?.nameBn).to.equal('প্রথম জনের নাম');
    });
  });

  describe('the API', () => {
    it('when an admin creates, reads and patches an office, then 201, the version, 200; a stale PATCH is 409 with the fields changed since', async () => {
      const auth = await token('admin-a');
      const created = await request(server.url)
        .post('/api/v1/offices')
        .set(auth)
        .send({
          code: 'api-upz',
          nameBn: 'এপিআই উপজেলা',
          level: 'upazila',
          parent: String(world.districtA._id),
          memoSegments: { subject: '২৫' },
        })
        .expect(201);
      expect(created.body).to.include({
        code: 'api-upz',
        name: 'এপিআই উপজেলা',
        level: 'upazila',
        parent: String(world.districtA._id),
        version: 0,
        active: true,
      });
      expect(created.body.memoSegments).to.deep.equal({ subject: '25' });
      const id = created.body.id as string;

      const read = await request(server.url).get(`/api/v1/offices/${id}`).set(auth).expect(200);
      expect(read.body.version).to.equal(0);

      const patched = await request(server.url)
        .patch(`/api/v1/offices/${id}`)
        .set(auth)
        .send({ version: 0, nameBn: 'এপিআই উপজেলা ২', email: 'A@Example.gov.bd' })
        .expect(200);
      expect(patched.body).to.include({ name: 'এপিআই উপজেলা ২', email: 'a@example.gov.bd', version: 1 });
      await request(server.url).patch(`/api/v1/offices/${id}`).set(auth).send({ version: 1, geoCode: '৪৭৬৪' }).expect(200);

      const stale = await request(server.url)
        .patch(`/api/v1/offices/${id}`)
        .set(auth)
        .send({ version: 0, phone: '01711000000' })
        .expect(409);
      expect(stale.body.error.code).to.equal('conflict');
      expect(stale.body.error.details.changed).to.deep.equal(['nameBn', 'geoCode', 'email']);
      const staler = await request(server.url)
        .patch(`/api/v1/offices/${id}`)
        .set(auth)
        .send({ version: 1, phone: '01711000000' })
        .expect(409);
      expect(staler.body.error.details.changed).to.deep.equal(['geoCode']);
      expect((await Office.findById(id).lean())?.phone).to.equal(undefined);

      const bad = await request(server.url).patch(`/api/v1/offices/${id}`).set(auth).send({ version: 2, code: 'renamed' }).expect(400);
      expect(bad.body.error.fields.code).to.equal('দপ্তরের কোড পরিবর্তন করা যায় না।');
      await request(server.url).patch(`/api/v1/offices/${id}`).set(auth).send({ nameBn: 'সংস্করণ নেই' }).expect(400);
    });

    it('when the caller lists offices, then only their subtree comes back, filtered by text (NFC), level and parent', async () => {
      await createOffice({ parent: world.upazilaA, level: 'other', nameBn: 'ইউনিয়ন পরিষদ' });
      const auth = await token('admin-a');
      const all = await request(server.url).get('/api/v1/offices').set(auth).expect(200);
      expect(all.body.items.map((i: { name: string }) => i.name)).to.deep.equal(['জেলা ক', 'উপজেলা ক', 'ইউনিয়ন পরিষদ']);
      expect(all.body.items[1]).to.have.all.keys('id', 'code', 'name', 'nameEn', 'level', 'parent', 'geoCode', 'active');
      // ইউনিয়ন typed with য + nukta already; search with the precomposed য় (U+09DF) must still match.
      const q = 'ইউনি\u09DFন';
      const byText = await request(server.url)
        .get(`/api/v1/offices?q=${encodeURIComponent(q)}`)
        .set(auth)
        .expect(200);
      expect(byText.body.items.map((i: { name: string }) => i.name)).to.deep.equal(['ইউনিয়ন পরিষদ']);
      const byLevel = await request(server.url).get('/api/v1/offices?level=district').set(auth).expect(200);
      expect(byLevel.body.items.map((i: { id: string }) => i.id)).to.deep.equal([String(world.districtA._id)]);
      const byParent = await request(server.url).get(`/api/v1/offices?parent=${world.districtA._id}`).set(auth).expect(200);
      expect(byParent.body.items.map((i: { id: string }) => i.id)).to.deep.equal([String(world.upazilaA._id)]);
      await request(server.url).get('/api/v1/offices?level=planet').set(auth).expect(400);
    });

    it('when the OpenAPI document is read, then every offices and reference endpoint is described', async () => {
      const doc = await request(server.url).get('/api/v1/openapi.json').expect(200);
      expect(doc.body.paths['/api/v1/offices']).to.have.keys('get', 'post');
      expect(doc.body.paths['/api/v1/offices/{officeId}']).to.have.keys('get', 'patch');
      expect(doc.body.paths['/api/v1/offices/{officeId}/deactivate']).to.have.key('post');
      expect(doc.body.paths['/api/v1/reference/districts']).to.have.key('get');
      expect(doc.body.paths['/api/v1/reference/upazilas']).to.have.keys('get', 'post');
      expect(Object.keys(doc.body.paths['/api/v1/reference/upazilas'].post.requestBody.content)).to.deep.equal(['text/csv']);
    });

    it('when a signed-in user asks for the districts, then the 8 divisions and 64 districts come with Bangla and English names', async () => {
      const res = await request(server.url)
        .get('/api/v1/reference/districts')
        .set(await token('field-a'))
        .expect(200);
      expect(res.body.divisions).to.have.length(8);
      const districts = res.body.divisions.flatMap((d: { districts: unknown[] }) => d.districts);
      expect(districts).to.have.length(64);
      expect(districts).to.deep.include({ iso: 'BD-27', bbsCode: '47', name: 'খুলনা', nameEn: 'Khulna' });
      await request(server.url).get('/api/v1/reference/districts').expect(401);
    });
  });

  describe('moving offices', () => {
    it('when an admin moves an office through the edit page, then it and every office below it get the new ancestors, and the move is audited', async () => {
      const union = await createOffice({ parent: world.upazilaA, level: 'other', nameBn: 'ইউনিয়ন' });
      const ward = await createOffice({ parent: union, level: 'other', nameBn: 'ওয়ার্ড' });
      const { agent, csrf } = await signIn(server.url, 'root-admin');
      const res = await agent
        .post(`/admin/offices/${world.upazilaA._id}/edit`)
        .type('form')
        .send({ _csrf: csrf, version: '0', nameBn: 'উপজেলা ক', level: 'upazila', parent: String(world.districtB._id) })
        .expect(303);
      const page = await agent.get(res.headers.location!).expect(200);
      expect(page.text).to.include('নতুন ঊর্ধ্বতন দপ্তরের অধীনে সরানো হয়েছে');
      const root = String(world.root._id);
      const b = String(world.districtB._id);
      const upazila = String(world.upazilaA._id);
      expect(await ancestorsOf(world.upazilaA._id)).to.deep.equal([root, b]);
      expect(await ancestorsOf(union._id)).to.deep.equal([root, b, upazila]);
      expect(await ancestorsOf(ward._id)).to.deep.equal([root, b, upazila, String(union._id)]);
      const audit = await AuditEntry.findOne({ action: 'office.move', 'entity.id': upazila }).lean();
      const changes = Object.fromEntries(audit!.changes.map((c) => [c.field, [c.before, c.after]]));
      expect(changes.parent).to.deep.equal([String(world.districtA._id), b]);
      expect(changes.ancestors).to.deep.equal([
        [root, String(world.districtA._id)],
        [root, b],
      ]);

      // The district A admin no longer sees the moved office (it left their subtree at once).
      const auth = await token('admin-a');
      await request(server.url).get(`/api/v1/offices/${ward._id}`).set(auth).expect(404);
    });

    it('when an office is moved under itself or its own descendant, then the move is refused with a message on the parent field and nothing changes', async () => {
      const union = await createOffice({ parent: world.upazilaA, level: 'other', nameBn: 'ইউনিয়ন' });
      const auth = await token('root-admin');
      const underDescendant = await request(server.url)
        .patch(`/api/v1/offices/${world.districtA._id}`)
        .set(auth)
        .send({ version: 0, parent: String(union._id) })
        .expect(400);
      expect(underDescendant.body.error.fields.parent).to.include('নিজের অধীন দপ্তরের নিচে যেতে পারে না');
      const underItself = await request(server.url)
        .patch(`/api/v1/offices/${world.districtA._id}`)
        .set(auth)
        .send({ version: 0, parent: String(world.districtA._id) })
        .expect(400);
      expect(underItself.body.error.fields.parent).to.equal('কোনো দপ্তর নিজের অধীনে যেতে পারে না।');
      const after = await Office.findById(world.districtA._id).lean();
      expect(String(after?.parent)).to.equal(String(world.root._id));
      expect(after?.__v).to.equal(0);
      expect(await AuditEntry.countDocuments({ action: 'office.move' })).to.equal(0);
    });

    it('when ancestors are deliberately broken (as a crash mid-move would leave them), then repairAncestors rebuilds them from the parent links, and a second run changes nothing', async () => {
      const union = await createOffice({ parent: world.upazilaA, level: 'other', nameBn: 'ইউনিয়ন' });
      // A move whose parent write landed but whose descendant updates did not:
      await Office.updateOne({ _id: world.upazilaA._id }, { $set: { parent: world.districtB._id } });
      await Office.updateOne({ _id: world.districtB._id }, { $set: { ancestors: [new Types.ObjectId()] } });
      const report = await repairAncestors();
      expect(report.fixed).to.equal(3);
      expect(report.cycles).to.deep.equal([]);
      const root = String(world.root._id);
      const b = String(world.districtB._id);
      expect(await ancestorsOf(world.districtB._id)).to.deep.equal([root]);
      expect(await ancestorsOf(world.upazilaA._id)).to.deep.equal([root, b]);
      expect(await ancestorsOf(union._id)).to.deep.equal([root, b, String(world.upazilaA._id)]);
      expect((await repairAncestors()).fixed).to.equal(0);
    });
  });

  describe('scope: who sees and changes what', () => {
    it("when the admin of district A reaches for district B's offices, then 404 on pages and API, and they cannot create there, move there or create a root office", async () => {
      const { agent, csrf } = await signIn(server.url, 'admin-a');
      await agent.get(`/admin/offices/${world.upazilaB._id}`).expect(404);
      await agent.get(`/admin/offices/${world.upazilaB._id}/edit`).expect(404);
      await agent.post(`/admin/offices/${world.upazilaB._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(404);
      const list = await agent.get('/admin/offices').expect(200);
      expect(list.text).to.include('উপজেলা ক');
      expect(list.text).not.to.include('উপজেলা খ');

      const auth = await token('admin-a');
      await request(server.url).get(`/api/v1/offices/${world.upazilaB._id}`).set(auth).expect(404);
      await request(server.url).get('/api/v1/offices/000000000000000000000000').set(auth).expect(404);
      await request(server.url).get('/api/v1/offices/not-an-id').set(auth).expect(404);
      await request(server.url).patch(`/api/v1/offices/${world.upazilaB._id}`).set(auth).send({ version: 0, nameBn: 'দখল' }).expect(404);
      const outside = await request(server.url)
        .post('/api/v1/offices')
        .set(auth)
        .send({ code: 'outside', nameBn: 'বাইরের দপ্তর', level: 'upazila', parent: String(world.districtB._id) })
        .expect(400);
      expect(outside.body.error.fields.parent).to.include('আপনার আওতার বাইরে');
      const root = await request(server.url)
        .post('/api/v1/offices')
        .set(auth)
        .send({ code: 'new-root', nameBn: 'নতুন মন্ত্রণালয়', level: 'ministry' })
        .expect(400);
      expect(root.body.error.fields.parent).to.equal('ঊর্ধ্বতন দপ্তর বেছে নিন।');
      const move = await request(server.url)
        .patch(`/api/v1/offices/${world.upazilaA._id}`)
        .set(auth)
        .send({ version: 0, parent: String(world.districtB._id) })
        .expect(400);
      expect(move.body.error.fields.parent).to.include('আপনার আওতার বাইরে');
      expect(await Office.countDocuments({ code: { $in: ['outside', 'new-root'] } })).to.equal(0);
      expect((await Office.findById(world.upazilaB._id).lean())?.nameBn).to.equal('উপজেলা খ');
    });

    it('when the root admin creates a root office, then it is allowed', async () => {
      const res = await request(server.url)
        .post('/api/v1/offices')
        .set(await token('root-admin'))
        .send({ code: 'second-root', nameBn: 'আরেক মন্ত্রণালয়', level: 'ministry' })
        .expect(201);
      expect(res.body.parent).to.equal(null);
      expect(res.body.ancestors).to.deep.equal([]);
    });

    it('when a field officer uses the offices pages and API, then they see only their upazila and every write is 403', async () => {
      const auth = await token('field-a');
      const list = await request(server.url).get('/api/v1/offices').set(auth).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).to.deep.equal([String(world.upazilaA._id)]);
      await request(server.url).get(`/api/v1/offices/${world.upazilaA._id}`).set(auth).expect(200);
      await request(server.url).get(`/api/v1/offices/${world.districtA._id}`).set(auth).expect(404);
      await request(server.url)
        .post('/api/v1/offices')
        .set(auth)
        .send({ code: 'x1', nameBn: 'দপ্তর', level: 'other', parent: String(world.upazilaA._id) })
        .expect(403);
      await request(server.url).patch(`/api/v1/offices/${world.upazilaA._id}`).set(auth).send({ version: 0, nameBn: 'বদল' }).expect(403);
      await request(server.url).post(`/api/v1/offices/${world.upazilaA._id}/deactivate`).set(auth).expect(403);
      await request(server.url).post('/api/v1/reference/upazilas').set(auth).type('text/csv').send(KHULNA_CSV).expect(403);

      const { agent, csrf } = await signIn(server.url, 'field-a');
      const page = await agent.get(`/admin/offices/${world.upazilaA._id}`).expect(200);
      expect(page.text).to.include('উপজেলা ক');
      expect(page.text).not.to.include('/edit"'); // no edit button
      await agent.get('/admin/offices/new').expect(403);
      await agent
        .post(`/admin/offices/${world.upazilaA._id}/edit`)
        .type('form')
        .send({ _csrf: csrf, version: '0', nameBn: 'বদল', level: 'upazila' })
        .expect(403);
      expect((await Office.findById(world.upazilaA._id).lean())?.nameBn).to.equal('উপজেলা ক');
    });

    it('when an observer reads offices, then they see their subtree and cannot change anything', async () => {
      const { agent, csrf } = await signIn(server.url, 'observer-a');
      const list = await agent.get('/admin/offices').expect(200);
      expect(list.text).to.include('জেলা ক');
      expect(list.text).to.include('উপজেলা ক');
      expect(list.text).not.to.include('জেলা খ');
      expect(list.text).not.to.include('/admin/offices/new');
      await agent.get(`/admin/offices/${world.districtA._id}`).expect(200);
      await agent.get(`/admin/offices/${world.districtA._id}/edit`).expect(403);
      await agent.post(`/admin/offices/${world.upazilaA._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(403);
      await agent.get('/admin/upazilas/import').expect(403);
      expect((await Office.findById(world.upazilaA._id).lean())?.active).to.equal(true);
    });
  });

  describe('deactivating and reactivating', () => {
    it('when an office still has active offices below it or active users, then deactivation is refused with a clear Bangla message; once they are gone it succeeds, and reactivation works, all audited', async () => {
      const { agent, csrf } = await signIn(server.url, 'root-admin');
      const refused = await agent.post(`/admin/offices/${world.districtA._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(303);
      const page = await agent.get(refused.headers.location!).expect(200);
      expect(page.text).to.include(
        '“জেলা ক” নিষ্ক্রিয় করা যাবে না: এর অধীনে ১টি সক্রিয় দপ্তর আছে এবং এখানে ২ জন সক্রিয় ব্যবহারকারী কর্মরত (বা চলতি দায়িত্বে) আছেন।',
      );
      expect((await Office.findById(world.districtA._id).lean())?.active).to.equal(true);

      const auth = await token('root-admin');
      const api = await request(server.url).post(`/api/v1/offices/${world.upazilaA._id}/deactivate`).set(auth).expect(409);
      expect(api.body.error.message).to.include('১ জন সক্রিয় ব্যবহারকারী');
      expect(api.body.error.details).to.deep.equal({ activeChildren: 0, activeUsers: 1 });

      await User.updateMany({ office: { $in: [world.upazilaA._id] } }, { $set: { active: false } });
      const done = await agent.post(`/admin/offices/${world.upazilaA._id}/deactivate`).type('form').send({ _csrf: csrf }).expect(303);
      const after = await agent.get(done.headers.location!).expect(200);
      expect(after.text).to.include('দপ্তর “উপজেলা ক” নিষ্ক্রিয় করা হয়েছে।');
      expect((await Office.findById(world.upazilaA._id).lean())?.active).to.equal(false);
      const list = await agent.get('/admin/offices').expect(200);
      expect(list.text).to.match(/class="inactive">উপজেলা ক</);

      const back = await request(server.url).post(`/api/v1/offices/${world.upazilaA._id}/reactivate`).set(auth).expect(200);
      expect(back.body.active).to.equal(true);
      const entries = await AuditEntry.find({ 'entity.id': String(world.upazilaA._id) })
        .sort({ at: 1 })
        .lean();
      expect(entries.map((e) => e.action)).to.deep.equal(['office.deactivate', 'office.reactivate']);
      expect(entries[0]!.changes.find((c) => c.field === 'active')).to.deep.include({ before: true, after: false });
    });

    it('when someone holds an acting charge in the office that is still in force, then deactivation is refused; a charge that has ended does not count', async () => {
      const office = await createOffice({ parent: world.districtA, level: 'upazila', nameBn: 'চলতি দায়িত্বের দপ্তর' });
      const holder = await createUser({ office: world.districtA, roles: ['head'] });
      await User.updateOne(
        { _id: holder._id },
        {
          $push: {
            actingCharges: { office: office._id, roles: ['head'], designationBn: 'উপজেলা কর্মকর্তা', from: '2020-01-01', to: '2999-12-31' },
          },
        },
      );
      const auth = await token('admin-a');
      const refused = await request(server.url).post(`/api/v1/offices/${office._id}/deactivate`).set(auth).expect(409);
      expect(refused.body.error.details).to.deep.equal({ activeChildren: 0, activeUsers: 1 });
      await User.updateOne({ _id: holder._id }, { $set: { 'actingCharges.0.to': '2020-12-31' } });
      const done = await request(server.url).post(`/api/v1/offices/${office._id}/deactivate`).set(auth).expect(200);
      expect(done.body.active).to.equal(false);
    });

    it('when the parent office is inactive, then a child cannot be reactivated nor a new office created under it', async () => {
      const lone = await createOffice({ parent: world.districtB, level: 'upazila', nameBn: 'একা', active: false });
      await Office.updateOne({ _id: world.districtB._id }, { $set: { active: false } });
      await Office.updateOne({ _id: world.upazilaB._id }, { $set: { active: false } });
      const auth = await token('root-admin');
      const refused = await request(server.url).post(`/api/v1/offices/${lone._id}/reactivate`).set(auth).expect(409);
      expect(refused.body.error.message).to.include('ঊর্ধ্বতন দপ্তর “জেলা খ” নিষ্ক্রিয়');
      const create = await request(server.url)
        .post('/api/v1/offices')
        .set(auth)
        .send({ code: 'under-inactive', nameBn: 'নতুন', level: 'upazila', parent: String(world.districtB._id) })
        .expect(400);
      expect(create.body.error.fields.parent).to.include('নিষ্ক্রিয়');
    });
  });

  describe('upazila reference data', () => {
    it('when an admin previews a CSV on the import page, then rows and row errors (with row numbers) are shown and nothing is saved; confirming saves the valid rows and is audited', async () => {
      const { agent, csrf } = await signIn(server.url, 'root-admin');
      const csv = `${KHULNA_CSV}\nঅজানা,কোথাও,Nowhere,12\nখুলনা,Latin only,Latin,4799`;
      const preview = await agent.post('/admin/upazilas/import').type('form').send({ _csrf: csrf, csv, preview: '1' }).expect(200);
      expect(preview.text).to.include('নতুন ২টি, হালনাগাদ ০টি, অপরিবর্তিত ০টি; ত্রুটিপূর্ণ সারি ২টি');
      expect(preview.text).to.include('<tr data-row="৪"><td>৪</td><td>জেলা &#x27;অজানা&#x27; চেনা যায়নি।</td></tr>');
      expect(preview.text).to.match(/<tr data-row="৫"><td>৫<\/td><td>বাংলা নাম &#x27;Latin only&#x27; বাংলা অক্ষরে লেখা নয়।/);
      expect(preview.text).to.include('পাইকগাছা');
      expect(preview.text).to.include('নিশ্চিত করে সংরক্ষণ করুন');
      expect(await Upazila.countDocuments()).to.equal(0);

      const confirm = await agent.post('/admin/upazilas/import').type('form').send({ _csrf: csrf, csv, confirm: '1' }).expect(303);
      expect(confirm.headers.location).to.equal('/admin/upazilas');
      const list = await agent.get('/admin/upazilas?district=BD-27').expect(200);
      expect(list.text).to.include('উপজেলা আমদানি সম্পন্ন: নতুন ২টি, হালনাগাদ ০টি, অপরিবর্তিত ০টি। ত্রুটিপূর্ণ ২টি সারি বাদ দেওয়া হয়েছে।');
      expect(list.text).to.include('<td>৪৭৬৪</td><td lang="bn">পাইকগাছা</td>');
      expect(await Upazila.countDocuments()).to.equal(2);
      const audit = await AuditEntry.findOne({ action: 'upazila.import' }).lean();
      const changes = Object.fromEntries(audit!.changes.map((c) => [c.field, [c.before, c.after]]));
      expect(changes.created).to.deep.equal([null, 2]);
      expect(changes.errorRows).to.deep.equal([null, 2]);
      expect(changes['4764']).to.deep.equal([null, { nameBn: 'পাইকগাছা', nameEn: 'Paikgachha', districtIso: 'BD-27' }]);
    });

    it('when the same upazilas are imported again with a changed name, then they are updated, not duplicated, and the audit holds the old and new name', async () => {
      const auth = await token('root-admin');
      await request(server.url).post('/api/v1/reference/upazilas').set(auth).type('text/csv').send(KHULNA_CSV).expect(200);
      const again = await request(server.url)
        .post('/api/v1/reference/upazilas')
        .set(auth)
        .type('text/plain')
        .send(KHULNA_CSV.replace('Paikgachha', 'Paikgacha'))
        .expect(200);
      expect(again.body.counts).to.deep.equal({ new: 0, update: 1, unchanged: 1, errorRows: 0 });
      expect(again.body.saved).to.equal(true);
      expect(await Upazila.countDocuments()).to.equal(2);
      expect((await Upazila.findById('4764').lean())?.nameEn).to.equal('Paikgacha');
      const audits = await AuditEntry.find({ action: 'upazila.import' }).sort({ at: 1 }).lean();
      expect(audits).to.have.length(2);
      const change = audits[1]!.changes.find((c) => c.field === '4764');
      expect(change).to.deep.include({ before: { nameBn: 'পাইকগাছা', nameEn: 'Paikgachha', districtIso: 'BD-27' } });

      const upazilas = await request(server.url)
        .get('/api/v1/reference/upazilas?district=খুলনা')
        .set(await token('field-a'))
        .expect(200);
      expect(upazilas.body.items.map((u: { geoCode: string }) => u.geoCode)).to.deep.equal(['4730', '4764']);
      await request(server.url).get('/api/v1/reference/upazilas?district=Atlantis').set(auth).expect(400);
    });

    it('when the API is given a dry run, an unreadable file or the wrong content type, then nothing is saved and errors carry row numbers', async () => {
      const auth = await token('root-admin');
      const dry = await request(server.url)
        .post('/api/v1/reference/upazilas?dryRun=1')
        .set(auth)
        .type('text/csv')
        .send(`${KHULNA_CSV}\nখুলনা,বটিয়াঘাটা,Batiaghata,৯৯৯৯৯`)
        .expect(200);
      expect(dry.body.saved).to.equal(false);
      expect(dry.body.rows.map((r: { row: number; status: string }) => [r.row, r.status])).to.deep.equal([
        [2, 'new'],
        [3, 'new'],
      ]);
      expect(dry.body.errors).to.have.length(1);
      expect(dry.body.errors[0]).to.include({ row: 4 });
      expect(dry.body.errors[0].message).to.include('জিও কোড');
      const nothing = await request(server.url)
        .post('/api/v1/reference/upazilas')
        .set(auth)
        .type('text/csv')
        .send('name,code\nx,1')
        .expect(400);
      expect(nothing.body.rows).to.deep.equal([]);
      expect(nothing.body.errors[0].row).to.equal(1);
      const json = await request(server.url).post('/api/v1/reference/upazilas').set(auth).send({ csv: KHULNA_CSV }).expect(400);
      expect(json.body.error.code).to.equal('validation_failed');
      expect(await Upazila.countDocuments()).to.equal(0);
      expect(await AuditEntry.countDocuments({ action: 'upazila.import' })).to.equal(0);
    });
  });
});
