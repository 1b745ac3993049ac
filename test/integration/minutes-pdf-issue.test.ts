// Minutes PDFs through the app: a watermarked draft before issue, one stored PDF after (identical bytes on
// every download), text that pdftotext can read (subject, memo number, both dates, decisions, distribution),
// and the public /verify page that accepts the issued PDF and rejects a changed one.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { Meeting } from '../../src/features/meetings/meeting.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { binary, pdfText, squash } from '../support/pdf.js';




describe('minutes PDF at issue and verification', function () {
  this.timeout(120_000);
  let server: TestServer;
  let officer: string;
  let head: string;
  let outsider: string;
  let id: string;
  let issued: { memoNumber: string; verifyCode: string };
  let pdf: Buffer;

  before(async () => {
    await resetDatabase();
    const world = await createWorld();
    server = await startTestServer({ clock: '2025-09-29T10:00:00+06:00' });
    const o = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'pdf-officer', nameBn: 'ইনোভেশন অফিসার' });
    const h = await createUser({ office: world.districtA, roles: ['head'], username: 'pdf-head', nameBn: 'জেলা প্রশাসক মহোদয়', designationBn: 'জেলা প্রশাসক' });
    const x = await createUser({ office: world.districtB, roles: ['observer'], username: 'pdf-outsider' });
    officer = await tokenFor(server.url, o.username);
    head = await tokenFor(server.url, h.username);
    outsider = await tokenFor(server.url, x.username);
    const office = String(world.districtA._id);
    await request(server.url).post('/api/v1/memo-registers').set('Authorization', `Bearer ${officer}`).send({ office, name: 'বহি', layout: '2014', segments: ['05', '44', '4764', '000', '06', '001', '25'], startSerial: 12 }).expect(201);
    const m = await request(server.url).post('/api/v1/meetings').set('Authorization', `Bearer ${officer}`).send({ kind: 'innovation_team', subject: 'উপজেলা ইনোভেশন টিমের সেপ্টেম্বর/২০২৫ মাসের সভার কার্যবিবরণী', office, chair: { text: 'উপজেলা নির্বাহী অফিসার, পাইকগাছা, খুলনা' }, venue: 'উপজেলা পরিষদ সভাকক্ষ', startsAt: '2025-09-28T11:00:00+06:00', attendance: [{ name: 'ক খ', designation: 'উপজেলা আইসিটি অফিসার', office: 'উপজেলা কার্যালয়', present: false, reason: 'ছুটিতে' }] }).expect(201);
    id = m.body.id;
    await request(server.url).put(`/api/v1/meetings/${id}/minutes`).set('Authorization', `Bearer ${officer}`).send({
      opening: 'সভাপতি উপস্থিত সকলকে স্বাগত জানিয়ে সভার কাজ শুরু করেন।',
      items: [{ topic: 'পাইলটিং অগ্রগতি', paragraphs: ['৩টি ইউনিয়নে পাইলটিং চলমান।'] }],
      decisions: [
        { text: 'আগামী ১৫ অক্টোবর ২০২৫ তারিখের মধ্যে অবহিতকরণ সভা আয়োজন করতে হবে।', implementers: ['উপজেলা আইসিটি অফিসার'], item: 0 },
        { text: 'মূল্যায়ন প্রতিবেদন <b>আগামী</b> সভায় দিতে হবে।', implementers: ['ইনোভেশন অফিসার'] },
      ],
      closing: 'সভাপতি সকলকে ধন্যবাদ জানান।',
    }).expect(200);
  });
  after(() => server?.close());

  it('when the minutes are a draft, then the PDF carries the খসড়া watermark and no memo number; outside the scope it is not found', async () => {
    const res = await request(server.url).get(`/api/v1/meetings/${id}/minutes.pdf`).set('Authorization', `Bearer ${officer}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    const text = pdfText(res.body as Buffer);
    expect(text).to.include('খসড়া');
    expect(text).not.to.include('স্মারক নং');
    expect(squash(text)).to.include(squash('মূল্যায়ন প্রতিবেদন <b>আগামী</b> সভায় দিতে হবে।'));
    expect((await request(server.url).get(`/api/v1/meetings/${id}/minutes.pdf`).set('Authorization', `Bearer ${outsider}`)).status).to.equal(404);
  });

  it('when issued, then the response and GET carry verifyCode, and the stored PDF is the same bytes on every download', async () => {
    await request(server.url).post(`/api/v1/meetings/${id}/submit`).set('Authorization', `Bearer ${officer}`).expect(200);
    await request(server.url).post(`/api/v1/meetings/${id}/sign`).set('Authorization', `Bearer ${head}`).expect(200);
    const res = await request(server.url).post(`/api/v1/meetings/${id}/issue`).set('Authorization', `Bearer ${officer}`).send({ distribution: [{ text: 'উপজেলা আইসিটি অফিসার, পাইকগাছা, খুলনা।', purpose: 'action' }, { text: 'জেলা প্রশাসক, খুলনা।', purpose: 'information' }, { text: 'অফিস কপি।', purpose: 'information' }], notBySeniority: true });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    issued = res.body;
    expect(issued.verifyCode).to.match(/^[0-9A-Z]{10,}$/);
    const got = (await request(server.url).get(`/api/v1/meetings/${id}`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
    expect(got.verifyCode).to.equal(issued.verifyCode);
    const a = await request(server.url).get(`/api/v1/meetings/${id}/minutes.pdf`).set('Authorization', `Bearer ${officer}`).buffer(true).parse(binary);
    const b = await request(server.url).get(`/api/v1/meetings/${id}/minutes.pdf`).set('Authorization', `Bearer ${head}`).buffer(true).parse(binary);
    pdf = a.body as Buffer;
    expect(Buffer.compare(pdf, b.body as Buffer)).to.equal(0);
    expect(crypto.createHash('sha256').update(pdf).digest('hex')).to.equal(got.pdf.sha256);
  });

  it('when the issued PDF is read with pdftotext, then it has the subject, memo number, both calendars, every decision and distribution line, and Bangla page numbers', () => {
    const text = pdfText(pdf);
    const flat = squash(text);
    for (const s of [
      'উপজেলা ইনোভেশন টিমের সেপ্টেম্বর/২০২৫ মাসের সভার কার্যবিবরণী',
      issued.memoNumber,
      '১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ',
      '২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ',
      '১৩ আশ্বিন ১৪৩২ বঙ্গাব্দ', // the meeting day, 28 September
      'আগামী ১৫ অক্টোবর ২০২৫ তারিখের মধ্যে অবহিতকরণ সভা আয়োজন করতে হবে।',
      'মূল্যায়ন প্রতিবেদন <b>আগামী</b> সভায় দিতে হবে।',
      'উপজেলা আইসিটি অফিসার, পাইকগাছা, খুলনা।',
      'জেলা প্রশাসক, খুলনা।',
      'অফিস কপি।',
      'জ্যেষ্ঠতার ক্রমানুসারে নয়',
      'জেলা প্রশাসক মহোদয়',
      issued.verifyCode,
    ]) {
      expect(flat, s).to.include(squash(s));
    }
    expect(issued.memoNumber).to.equal('০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২');
    expect(text).to.match(/পৃষ্ঠা ১\/[২-৯]/);
    expect(text).not.to.include('খসড়া');
  });

  it('when the verification page is opened, then it shows memo number, office, subject and signer; the issued PDF is accepted and a changed one rejected', async () => {
    const page = await request(server.url).get(`/verify/${issued.verifyCode}`).expect(200);
    expect(page.text).to.include(issued.memoNumber);
    expect(page.text).to.include('জেলা প্রশাসক মহোদয়');
    expect(page.text).to.include('উপজেলা ইনোভেশন টিমের সেপ্টেম্বর/২০২৫ মাসের সভার কার্যবিবরণী');
    const ok = await request(server.url).post(`/verify/${issued.verifyCode}`).attach('pdf', pdf, 'minutes.pdf').expect(200);
    expect(ok.text).to.include('মিলেছে');
    const changed = Buffer.from(pdf);
    const at = Math.floor(changed.length / 2);
    changed[at] = changed[at]! ^ 0xff;
    const bad = await request(server.url).post(`/verify/${issued.verifyCode}`).attach('pdf', changed, 'minutes.pdf').expect(200);
    expect(bad.text).to.include('মেলেনি');
    const api = await request(server.url).post(`/api/v1/verify/${issued.verifyCode}`).attach('pdf', pdf, 'minutes.pdf').expect(200);
    expect(api.body).to.include({ match: true, memoNumber: issued.memoNumber });
    // The hash copied onto the meeting may be missing (a crash between storing the PDF and that write): the
    // stored PDF itself is what uploads are checked against.
    await Meeting.updateOne({ _id: id }, { $unset: { pdf: 1 } });
    const again = await request(server.url).post(`/api/v1/verify/${issued.verifyCode}`).attach('pdf', pdf, 'minutes.pdf').expect(200);
    expect(again.body).to.include({ match: true });
    expect((await request(server.url).get('/verify/ZZZZZZZZZZZZ')).status).to.equal(404);
  });
});
