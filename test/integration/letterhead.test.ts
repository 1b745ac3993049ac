// Office letterheads through the app: defaults from the office record, saving (API and the multipart page form),
// refusals (bad input 400, roles 403, other districts 404, stale versions 409) that save nothing, and the
// letterhead printed by documents (draft minutes, the sample preview) with its logo embedded, while minutes
// issued earlier keep their stored bytes. Real engine, real Chromium, poppler to read the PDFs.
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import request from 'supertest';
import { actorFromUser } from '../../src/features/auth/auth.service.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { Letterhead, LetterheadHistory } from '../../src/features/letterhead/letterhead.model.js';
import { Office } from '../../src/features/offices/office.model.js';
import { markOfficesChanged } from '../../src/features/offices/office-tree.js';
import { fixedClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { csrfFrom, signIn } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { dataUrlOf, pngImage } from '../support/images.js';
import { binary, pdfText, squash, withPdfFile } from '../support/pdf.js';

const NOW = '2025-09-29T10:00:00+06:00';

/** The raster images in a PDF, as `pdfimages -list` lists them (two header lines, then one line per image). */
const pdfImages = (pdf: Buffer) =>
  withPdfFile(pdf, (file) => execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }))
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));


describe('office letterhead', function () {
  this.timeout(180_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let office: string;
  const tokens: Record<string, string> = {};
  let users: Record<string, Awaited<ReturnType<typeof createUser>>>;
  const as = (who: string) => ({
    get: (p: string) => request(server.url).get(p).set('Authorization', `Bearer ${tokens[who]}`),
    put: (p: string, body: object) => request(server.url).put(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    post: (p: string, body: object = {}) => request(server.url).post(p).set('Authorization', `Bearer ${tokens[who]}`).send(body),
  });
  const url = () => `/api/v1/offices/${office}/letterhead`;
  const current = async () => (await as('officer').get(url()).expect(200)).body;
  const logo = pngImage(48, 48, { rgb: [0, 106, 78] });
  const MOTTO = 'উদ্ভাবনে এগিয়ে যাই, সেবা সহজ করি';
  const NAME = 'জেলা মহিলা বিষয়ক কার্যালয়, খুলনা';

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    office = String(world.districtA._id);
    await Office.updateOne({ _id: world.districtA._id }, { $set: { addressBn: 'খুলনা সদর, খুলনা।', phone: '041-720011', email: 'dwa.khulna@example.gov.bd' } });
    await markOfficesChanged();
    server = await startTestServer({ clock: NOW });
    users = {
      officer: await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'lh-officer', nameBn: 'ইনোভেশন অফিসার' }),
      head: await createUser({ office: world.districtA, roles: ['head'], username: 'lh-head', nameBn: 'জেলা প্রশাসক মহোদয়', designationBn: 'জেলা প্রশাসক' }),
      admin: await createUser({ office: world.root, roles: ['admin'], username: 'lh-admin' }),
      observer: await createUser({ office: world.districtA, roles: ['observer'], username: 'lh-observer' }),
      field: await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'lh-field' }),
      outsider: await createUser({ office: world.districtB, roles: ['innovation_officer'], username: 'lh-outsider' }),
      outsiderHead: await createUser({ office: world.districtB, roles: ['head'], username: 'lh-outsider-head' }),
    };
    const clock = fixedClock(NOW);
    for (const [who, u] of Object.entries(users)) {
      tokens[who] = (await issueToken({ actor: actorFromUser(u, clock, 'token'), clock }, { tokenDays: 30 })).token;
    }
  });
  after(() => server?.close());

  it('when no letterhead was set, then GET answers the defaults from the office record (version 0, every default flagged)', async () => {
    const lh = await current();
    expect(lh).to.include({ version: 0, government: 'গণপ্রজাতন্ত্রী বাংলাদেশ সরকার', officeName: 'জেলা ক', motto: null, logo: null });
    expect(lh.address).to.deep.equal(['খুলনা সদর, খুলনা।']);
    expect(lh.contact).to.equal('ফোন: ০৪১-৭২০০১১, ই-মেইল: dwa.khulna@example.gov.bd');
    expect(lh.isDefault).to.deep.equal({ government: true, officeName: true, address: true, contact: true });
    expect(lh.office).to.deep.equal({ id: office, name: 'জেলা ক' });
    // Everyone in scope reads it; outside the subtree it does not exist.
    await as('observer').get(url()).expect(200);
    await as('field').get(`/api/v1/offices/${String(world.upazilaA._id)}/letterhead`).expect(200);
    await as('outsider').get(url()).expect(404);
    await as('officer').get(`/api/v1/offices/${office}/letterhead/logo`).expect(404);
  });

  it('when an observer or a field officer saves, then 403; an officer or head of another district gets 404; nothing is saved', async () => {
    for (const who of ['observer', 'field']) {
      const res = await as(who).put(url(), { version: 0, motto: 'অননুমোদিত' });
      expect(res.status, who).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
    }
    for (const who of ['outsider', 'outsiderHead']) expect((await as(who).put(url(), { version: 0, motto: 'অন্য জেলা' })).status, who).to.equal(404);
    expect((await current()).version).to.equal(0);
    expect(await Letterhead.countDocuments({})).to.equal(0);
  });

  it('when bad input is sent, then 400 with a Bangla message per field, and nothing is saved', async () => {
    const tooBig = pngImage(300, 300, { noise: true }); // random pixels do not compress: about 270 kB
    expect(tooBig.length).to.be.greaterThan(200 * 1024);
    const cases: [string, object, string][] = [
      ['motto too long', { version: 0, motto: 'ক'.repeat(201) }, 'motto'],
      ['unknown field', { version: 0, moto: 'ভুল বানান' }, '_'],
      ['no version', { motto: 'সংস্করণ ছাড়া' }, 'version'],
      ['not an image', { version: 0, logo: dataUrlOf(Buffer.from('এটি ছবি নয়, লেখা।')) }, 'logo'],
      ['an SVG', { version: 0, logo: dataUrlOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml') }, 'logo'],
      ['a PNG called a JPEG', { version: 0, logo: dataUrlOf(logo, 'image/jpeg') }, 'logo'],
      ['larger than 200 kB', { version: 0, logo: dataUrlOf(tooBig) }, 'logo'],
      ['logo and removeLogo together', { version: 0, logo: dataUrlOf(logo), removeLogo: true }, 'removeLogo'],
      ['six address lines', { version: 0, address: ['১', '২', '৩', '৪', '৫', '৬'] }, 'address'],
    ];
    for (const [name, body, field] of cases) {
      const res = await as('officer').put(url(), body);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).to.equal(400);
      expect(res.body.error.code, name).to.equal('validation_failed');
      expect(res.body.error.message, name).to.match(/[\u0980-\u09FF]/);
      expect(Object.keys(res.body.error.fields ?? {}), name).to.include(field);
      expect(res.body.error.fields[field], name).to.match(/[\u0980-\u09FF]/);
    }
    const tooBigRes = await as('officer').put(url(), { version: 0, logo: dataUrlOf(tooBig) });
    expect(tooBigRes.body.error.fields.logo).to.include('২০০ কিলোবাইট');
    expect((await current()).version).to.equal(0);
    expect(await Letterhead.countDocuments({})).to.equal(0);
    expect(await LetterheadHistory.countDocuments({})).to.equal(0);
  });

  it('when the officer saves a name, a motto and a PNG logo, then GET shows them (version 1) and the logo is served as sent', async () => {
    const res = await as('officer').put(url(), { version: 0, officeName: NAME, motto: MOTTO, logo: dataUrlOf(logo) });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ version: 1, changed: true, officeName: NAME, motto: MOTTO });
    expect(res.body.changes.map((c: { field: string }) => c.field)).to.have.members(['officeName', 'motto', 'logo']);
    const lh = await current();
    expect(lh).to.include({ version: 1, officeName: NAME, motto: MOTTO, government: 'গণপ্রজাতন্ত্রী বাংলাদেশ সরকার' });
    expect(lh.isDefault).to.deep.equal({ government: true, officeName: false, address: true, contact: true });
    expect(lh.logo).to.include({ contentType: 'image/png', bytes: logo.length });
    expect(lh.updatedBy.name).to.equal('ইনোভেশন অফিসার');
    const img = await as('observer').get(`/api/v1/offices/${office}/letterhead/logo`).buffer(true).parse(binary).expect(200);
    expect(img.headers['content-type']).to.equal('image/png');
    expect(Buffer.compare(img.body as Buffer, logo)).to.equal(0);
    // Saving the same again changes nothing and makes no version.
    const same = await as('officer').put(url(), { version: 1, motto: MOTTO });
    expect(same.body).to.include({ version: 1, changed: false });
  });

  it('when a save is made from an old version, then 409 says what changed and nothing is overwritten; of two simultaneous saves exactly one wins', async () => {
    const stale = await as('head').put(url(), { version: 0, motto: 'পুরোনো সংস্করণ থেকে' });
    expect(stale.status).to.equal(409);
    expect(stale.body.error.code).to.equal('conflict');
    expect(stale.body.error.message).to.include('মূলমন্ত্র');
    expect(stale.body.error.details).to.include({ version: 0, currentVersion: 1 });
    expect(stale.body.error.details.changes.map((c: { field: string }) => c.field)).to.have.members(['officeName', 'motto', 'logo']);
    expect((await current()).motto).to.equal(MOTTO);

    const [a, b] = await Promise.all([as('head').put(url(), { version: 1, contact: 'ফোন: ০৪১-১১১১১১' }), as('admin').put(url(), { version: 1, contact: 'ফোন: ০৪১-২২২২২২' })]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const winner = a.status === 200 ? 'ফোন: ০৪১-১১১১১১' : 'ফোন: ০৪১-২২২২২২';
    const lh = await current();
    expect(lh).to.include({ version: 2, contact: winner });
    // A later save from the version the loser read is still stale: told about the contact line.
    const late = await as('admin').put(url(), { version: 1, contact: 'আবার' });
    expect(late.status).to.equal(409);
    expect(late.body.error.details.changes.map((c: { field: string }) => c.field)).to.deep.equal(['contact']);
  });

  it('when a save died between its claim and its write, then the next save finishes it and is told (409), and the version is not stuck', async () => {
    const lh = await current();
    // A claim on the current version whose saver never wrote (made as a crashed process would leave it).
    const next = { office, version: lh.version + 1, government: null, officeName: NAME, motto: MOTTO, contact: 'ফোন: ০৪১-৩৩৩৩৩৩', logo: null, updatedBy: { name: 'x' }, updatedAt: new Date() };
    const doc = await Letterhead.findById(office).lean();
    await LetterheadHistory.create({ _id: `${office}:${lh.version}`, office, version: lh.version, before: { government: null, officeName: NAME, motto: MOTTO, contact: doc!.contact, logo: { contentType: 'image/png', bytes: logo.length, sha256: doc!.logo!.sha256 } }, next, by: { name: 'x' }, at: new Date(Date.now() - 120_000) });
    const res = await as('officer').put(url(), { version: lh.version, motto: 'নতুন' });
    expect(res.status).to.equal(409);
    const after = await current();
    expect(after).to.include({ version: lh.version + 1, contact: 'ফোন: ০৪১-৩৩৩৩৩৩', logo: null });
    const ok = await as('officer').put(url(), { version: after.version, motto: MOTTO, logo: dataUrlOf(logo) });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.version).to.equal(after.version + 1);
  });

  describe('printed', () => {
    let meetingId: string;
    let issuedId: string;

    async function meeting(subject: string): Promise<string> {
      const m = await as('officer').post('/api/v1/meetings', { kind: 'innovation_team', subject, office, chair: { text: 'জেলা প্রশাসক, খুলনা' }, venue: 'সভাকক্ষ', startsAt: '2025-09-28T11:00:00+06:00' });
      expect(m.status, JSON.stringify(m.body)).to.equal(201);
      await as('officer')
        .put(`/api/v1/meetings/${m.body.id}/minutes`, { opening: 'সভাপতি সকলকে স্বাগত জানান।', items: [{ topic: 'অগ্রগতি', paragraphs: ['পাইলটিং চলমান।'] }], decisions: [{ text: 'প্রতিবেদন দিতে হবে।', implementers: ['ইনোভেশন অফিসার'], item: 0 }], closing: 'ধন্যবাদ।' })
        .expect(200);
      return m.body.id as string;
    }
    const minutesPdf = async (id: string) => (await as('officer').get(`/api/v1/meetings/${id}/minutes.pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;

    before(async () => {
      await as('officer').post('/api/v1/memo-registers', { office, name: 'বহি', layout: '2014', segments: ['05', '44', '4764', '000', '06', '001', '25'], startSerial: 1 }).expect(201);
      meetingId = await meeting('খসড়া কার্যবিবরণীর সভা');
      issuedId = await meeting('জারিকৃত কার্যবিবরণীর সভা');
    });

    it('when the letterhead has a motto, a name and a logo, then the draft minutes PDF prints them and embeds the logo', async () => {
      const pdf = await minutesPdf(meetingId);
      const text = squash(pdfText(pdf));
      for (const s of ['গণপ্রজাতন্ত্রী বাংলাদেশ সরকার', NAME, MOTTO, 'খসড়া', 'খুলনা সদর, খুলনা।']) expect(text, s).to.include(squash(s));
      const images = pdfImages(pdf);
      expect(images.length, 'the logo is a raster image in the PDF').to.be.greaterThanOrEqual(1);
      expect(images.some((row) => row[3] === '48' && row[4] === '48'), JSON.stringify(images)).to.equal(true);
    });

    it('when minutes were issued, then a later letterhead change leaves the stored PDF byte-for-byte the same, while new documents print the new letterhead', async () => {
      await as('officer').post(`/api/v1/meetings/${issuedId}/submit`).expect(200);
      await as('head').post(`/api/v1/meetings/${issuedId}/sign`).expect(200);
      const issued = await as('officer').post(`/api/v1/meetings/${issuedId}/issue`, { distribution: [{ text: 'অফিস কপি।', purpose: 'information' }] });
      expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
      const before = await minutesPdf(issuedId);
      expect(squash(pdfText(before))).to.include(squash(MOTTO));

      const v = (await current()).version;
      const NEW_MOTTO = 'স্মার্ট সেবা, সবার জন্য';
      await as('officer').put(url(), { version: v, motto: NEW_MOTTO, officeName: 'নতুন নামের কার্যালয়', removeLogo: true }).expect(200);
      const after = await minutesPdf(issuedId);
      expect(Buffer.compare(before, after)).to.equal(0);
      expect(squash(pdfText(after))).not.to.include(squash(NEW_MOTTO));

      const draft = squash(pdfText(await minutesPdf(meetingId)));
      expect(draft).to.include(squash(NEW_MOTTO));
      expect(draft).to.include(squash('নতুন নামের কার্যালয়'));
      expect(draft).not.to.include(squash(MOTTO));
      // Back to the defaults: null/"" clears an override.
      const cleared = await as('officer').put(url(), { version: v + 1, officeName: null, motto: '' });
      expect(cleared.body).to.include({ officeName: 'জেলা ক', motto: null });
      expect(cleared.body.isDefault.officeName).to.equal(true);
      await as('officer').get(`/api/v1/offices/${office}/letterhead/logo`).expect(404);
    });

    it('when the page form is sent (multipart, CSRF token in the body), then the logo and motto are saved; without the token, or with a non-image, nothing is', async () => {
      const s = await signIn(server.url, 'lh-officer');
      const page = await s.agent.get(`/offices/${office}/letterhead`).expect(200);
      expect(page.text).to.include('data-testid="letterhead-form"');
      expect(page.text).to.include('enctype="multipart/form-data"');
      const csrf = csrfFrom(page.text);
      const v = (await current()).version;
      const form = (withToken: boolean) => {
        const r = s.agent.post(`/offices/${office}/letterhead`);
        if (withToken) r.field('_csrf', csrf);
        return r.field('version', String(v)).field('government', '').field('officeName', '').field('address', 'খুলনা সদর\nখুলনা').field('motto', MOTTO).field('contact', '');
      };
      const noToken = await form(false).attach('logo', logo, { filename: 'logo.png', contentType: 'image/png' });
      expect(noToken.status).to.equal(403);
      expect((await current()).version).to.equal(v);
      const notImage = await form(true).attach('logo', Buffer.from('plain text, not a picture'), { filename: 'logo.png', contentType: 'image/png' });
      expect(notImage.status).to.equal(400);
      expect(notImage.text).to.include('PNG বা JPEG');
      expect((await current()).version).to.equal(v);
      const tooBig = await form(true).attach('logo', pngImage(300, 300, { noise: true }), { filename: 'big.png', contentType: 'image/png' });
      expect(tooBig.status).to.equal(400);
      expect(tooBig.text).to.include('২০০ কিলোবাইট');
      expect((await current()).version).to.equal(v);

      const ok = await form(true).attach('logo', logo, { filename: 'logo.png', contentType: 'image/png' });
      expect(ok.status, ok.text.slice(0, 500)).to.equal(303);
      const lh = await current();
      expect(lh).to.include({ version: v + 1, motto: MOTTO });
      expect(lh.address).to.deep.equal(['খুলনা সদর', 'খুলনা']);
      expect(lh.logo.bytes).to.equal(logo.length);
      const shown = await s.agent.get(`/offices/${office}/letterhead`).expect(200);
      expect(shown.text).to.include(MOTTO);
      expect(shown.text).to.include(`/offices/${office}/letterhead/logo`);

      // A stale form: 409 with the typed values kept and the current version in the form.
      const stale = await s.agent.post(`/offices/${office}/letterhead`).field('_csrf', csrf).field('version', String(v)).field('motto', 'পুরোনো ফর্ম');
      expect(stale.status).to.equal(409);
      expect(stale.text).to.include('data-testid="conflict"');
      expect(stale.text).to.include('পুরোনো ফর্ম');
      expect(stale.text).to.include(`name="version" value="${v + 1}"`);
    });

    it('when the office page is opened, then it links to the letterhead page; its preview PDF prints the saved letterhead as a draft', async () => {
      const s = await signIn(server.url, 'lh-observer');
      const officePage = await s.agent.get(`/admin/offices/${office}`).expect(200);
      expect(officePage.text).to.include(`href="/offices/${office}/letterhead"`);
      const page = await s.agent.get(`/offices/${office}/letterhead`).expect(200);
      expect(page.text).not.to.include('data-testid="letterhead-form"'); // observers read only
      const res = await s.agent.get(`/offices/${office}/letterhead/preview.pdf`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).to.equal('application/pdf');
      const text = squash(pdfText(res.body as Buffer));
      expect(text).to.include(squash(MOTTO));
      expect(text).to.include(squash('জেলা ক'));
      expect(text).to.include(squash('খসড়া'));
      expect(pdfImages(res.body as Buffer).length).to.be.greaterThanOrEqual(1);
      const outsider = await signIn(server.url, 'lh-outsider');
      expect((await outsider.agent.get(`/offices/${office}/letterhead/preview.pdf`)).status).to.equal(404);
      expect((await outsider.agent.get(`/offices/${office}/letterhead`)).status).to.equal(404);
    });
  });
});
