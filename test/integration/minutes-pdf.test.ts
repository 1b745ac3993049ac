// The minutes template printed by the real Chromium and read back with poppler (pdftotext, pdfinfo, pdftoppm).
// Text is compared after NFC with whitespace removed: pdftotext breaks lines and sometimes splits words.
// Table cells are read in pdftotext's default (reading-order) mode, because -layout interleaves the columns of
// a row line by line; everything outside tables is read with -layout.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  renderInitiativeProfilePdf,
  renderMinutesHtml,
  renderMinutesPdf,
  type MinutesDocument,
} from '../../src/features/documents/index.js';
import { sampleMinutesDocument } from '../../src/features/documents/sample.js';
import { formatDualDate } from '../../src/lib/date-format.js';
import { createPdfRenderer, type PdfRenderer } from '../../src/platform/pdf/index.js';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'udbhabon-minutes-pdf-'));
/** Where the page image for a human look goes (outside the repository). */
const CHECK_DIR = '/tmp/udbhabon-pdf-check';
let fileNo = 0;

function save(pdf: Uint8Array): string {
  const file = path.join(TMP, `${fileNo++}.pdf`);
  fs.writeFileSync(file, pdf);
  return file;
}
const layoutText = (pdf: Uint8Array) => execFileSync('pdftotext', ['-layout', save(pdf), '-']).toString('utf8');
const readingText = (pdf: Uint8Array) => execFileSync('pdftotext', [save(pdf), '-']).toString('utf8');
const pdfInfo = (pdf: Uint8Array) =>
  execFileSync('pdfinfo', [save(pdf)])
    .toString('utf8')
    .normalize('NFC');
const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '');
/** Pages of pdftotext output (form feed between pages; the last one is followed by a trailing \f). */
const pagesOf = (text: string) => text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');

const MEMO_NUMBER = '০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২';
const MEMO_DATE = '১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ / ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ';

function draftOf(doc: MinutesDocument): MinutesDocument {
  return { ...doc, draft: true, memoNumber: undefined, memoDate: undefined, issuer: undefined, verification: undefined };
}

describe('Minutes PDF (real Chromium, poppler)', function () {
  this.timeout(60_000);
  let renderer: PdfRenderer;
  const doc = sampleMinutesDocument();
  let issued: Buffer;
  let layout: string;
  let reading: string;

  before(async () => {
    renderer = createPdfRenderer({ poolSize: 2 });
    await renderer.start();
    issued = await renderMinutesPdf(renderer, doc);
    layout = layoutText(issued);
    reading = readingText(issued);
  });

  after(async () => {
    await renderer?.close();
    fs.rmSync(TMP, { recursive: true, force: true });
  });

  it('when the sample is built, then it matches the sample minutes (3 items, 3 attendees with one absent, 3 + 3 recipients)', () => {
    expect(doc.memoDate).to.equal(MEMO_DATE);
    expect(formatDualDate('2025-09-29')).to.equal(MEMO_DATE);
    expect(doc.memoNumber).to.equal(MEMO_NUMBER);
    expect(doc.items).to.have.length(3);
    expect(doc.items.every((i) => i.decisions.length > 0)).to.equal(true);
    expect(doc.attendance.filter((a) => !a.present)).to.have.length(1);
    expect(doc.distribution.action).to.have.length(3);
    expect(doc.distribution.information).to.have.length(3);
  });

  it('when the issued minutes are printed, then the subject, memo number, both dates and the heading lines are in the text', () => {
    const text = squash(layout);
    expect(text).to.include(squash(`বিষয়: ${doc.subject}`));
    expect(text).to.include(squash(`স্মারক নং-${MEMO_NUMBER}`));
    for (const part of MEMO_DATE.split(' / ')) expect(text).to.include(squash(part));
    expect(text).to.include(squash(`তারিখ: ${MEMO_DATE.split(' / ')[0]}`));
    for (const [label, value] of [
      ['সভাপতি', doc.chair],
      ['স্থান', doc.venue],
      ['তারিখ', doc.date],
      ['সময়', doc.time],
      ['উপস্থিতি', "পরিশিষ্ট 'ক'"],
    ] as const) {
      expect(text).to.include(squash(`${label} : ${value}`));
    }
    expect(text).to.include(squash('গণপ্রজাতন্ত্রী বাংলাদেশ সরকার উপজেলা নির্বাহী অফিসারের কার্যালয় পাইকগাছা, খুলনা।'));
  });

  it('when the issued minutes are printed, then every topic, discussion and decision with its implementer is in the table', () => {
    const text = squash(reading);
    for (const item of doc.items) {
      expect(text).to.include(squash(item.topic));
      for (const p of item.paragraphs) expect(text).to.include(squash(p));
      for (const d of item.decisions) {
        expect(text).to.include(squash(d.text));
        expect(text).to.include(squash(d.implementers));
      }
    }
    for (const header of ['ক্রমিক', 'আলোচ্য বিষয়', 'আলোচনা', 'সিদ্ধান্ত', 'বাস্তবায়নে']) expect(text).to.include(squash(header));
  });

  it('when the issued minutes are printed, then the distribution lists every recipient, numbered, under its group', () => {
    const text = squash(layout);
    expect(text).to.include(squash('বিতরণ (জ্যেষ্ঠতার ক্রমানুসারে নয়):'));
    const groups = [
      ['কার্যার্থে:', doc.distribution.action],
      ['জ্ঞাতার্থে:', doc.distribution.information],
    ] as const;
    for (const [label, entries] of groups) {
      const lines = entries.map((e, i) => `${'১২৩'[i]}। ${e.text}`).join(' ');
      expect(text).to.include(squash(`${label} ${lines}`));
    }
    expect(text).not.to.include(squash('দৃষ্টি আকর্ষণ'));
  });

  it('when the issued minutes are printed, then every page is numbered "পৃষ্ঠা n/N" in Bangla digits', () => {
    const pages = pagesOf(layout);
    expect(pages.length).to.be.greaterThanOrEqual(2);
    const total = '০১২৩৪৫৬৭৮৯'[pages.length]!;
    pages.forEach((page, i) => expect(squash(page), `page ${i + 1}`).to.include(`পৃষ্ঠা${'০১২৩৪৫৬৭৮৯'[i + 1]}/${total}`));
  });

  it("when the issued minutes are printed, then the attendance annex starts on a new page with the absentee's remark", () => {
    const pages = pagesOf(layout);
    const annexPage = pages.findIndex((p) => squash(p).includes(squash("পরিশিষ্ট 'ক' — উপস্থিতি তালিকা")));
    expect(annexPage).to.be.greaterThan(0);
    // The page starts with the annex: nothing of the letter (distribution, signatures) precedes its title.
    const beforeTitle = pages[annexPage]!.slice(0, pages[annexPage]!.indexOf('পরিশিষ্ট')).trim();
    expect(beforeTitle).to.equal('');
    expect(squash(pages[annexPage - 1]!)).not.to.include(squash('উপস্থিতি তালিকা'));
    const annex = squash(pagesOf(reading)[annexPage]!); // table cells in reading order
    expect(annex).to.include(squash('স্বাক্ষর/মন্তব্য'));
    expect(annex).to.include(squash('অনুপস্থিত (ছুটিতে)'));
    for (const a of doc.attendance) expect(annex).to.include(squash(a.designation));
  });

  it('when the issued minutes are printed, then the verification code is printed and the QR code is embedded', () => {
    expect(squash(layout)).to.include(squash(`যাচাই কোড: ${doc.verification!.code}`));
    const html = renderMinutesHtml(doc);
    // Handlebars writes the base64 padding "=" as &#x3D; inside the attribute, which HTML decodes back.
    expect(html).to.match(/<img src="data:image\/svg\+xml;base64,(?:[A-Za-z0-9+/]|&#x3D;)+" alt="">/);
    expect(squash(layout)).not.to.include('খসড়া'.normalize('NFC'));
  });

  it('when the PDF is inspected, then pdfinfo shows its Title, Subject, Author, Creator and A4 pages', () => {
    const info = pdfInfo(issued);
    expect(info).to.match(new RegExp(`Title:\\s+${doc.meta.title.normalize('NFC').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    expect(info).to.include(`Subject:         ${doc.meta.subject.normalize('NFC')}`);
    expect(info).to.include(`Author:          ${doc.meta.author.normalize('NFC')}`);
    expect(info).to.match(/Creator:\s+Udbhabon/);
    expect(info).to.match(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    expect(issued.toString('latin1')).to.match(/\/Lang (\(bn\)|<FEFF0062006E>)/);
  });

  it('when a draft is printed, then "খসড়া" is on every page and there is no memo number', async () => {
    const draft = await renderMinutesPdf(renderer, draftOf(doc));
    const text = layoutText(draft);
    const pages = pagesOf(text);
    expect(pages.length).to.be.greaterThanOrEqual(2);
    pages.forEach((page, i) => expect(squash(page), `page ${i + 1}`).to.include('খসড়া'.normalize('NFC')));
    expect(squash(text)).not.to.include(squash(MEMO_NUMBER));
    expect(squash(text)).not.to.include('স্মারকনং');
    expect(squash(text)).not.to.include(squash('যাচাই কোড'));
  });

  it('when user text contains HTML, then it is printed literally and nothing of it runs', async () => {
    const hostile = '<b>x</b><script>document.title="pwned"</script>';
    const tricky = sampleMinutesDocument({
      subject: `বিষয় ${hostile}`,
      items: [
        {
          topic: hostile,
          paragraphs: [`প্রথম অনুচ্ছেদ ${hostile}\n\nদ্বিতীয় অনুচ্ছেদ`],
          decisions: [{ text: hostile, implementers: '<i>কেউ</i>' }],
        },
      ],
      letterhead: { ...doc.letterhead, logoDataUrl: 'javascript:alert(1)' },
    });
    const html = renderMinutesHtml(tricky);
    expect(html).not.to.include('<b>x</b>');
    expect(html).not.to.include('javascript:');
    expect(html).to.include('<p>প্রথম অনুচ্ছেদ &lt;b&gt;x&lt;/b&gt;');
    const pdf = await renderMinutesPdf(renderer, tricky);
    const text = squash(readingText(pdf));
    expect(text).to.include(squash(hostile));
    expect(text).to.include('<i>কেউ</i>');
  });

  it('when the decision table has 80 rows, then it spans pages and its header is repeated on each of them', async () => {
    const items = Array.from({ length: 80 }, (_, i) => ({
      topic: `আলোচ্য ${i + 1}`,
      paragraphs: [`আলোচনার সারাংশ ${i + 1}`],
      decisions: [{ text: `সিদ্ধান্তপাঠ${i + 1}শেষ`, implementers: 'ইনোভেশন অফিসার' }],
    }));
    const pdf = await renderMinutesPdf(renderer, sampleMinutesDocument({ items }));
    const pages = pagesOf(readingText(pdf)).map(squash);
    const tablePages = pages.filter((p) => p.includes('সিদ্ধান্তপাঠ'));
    expect(tablePages.length).to.be.greaterThanOrEqual(3);
    for (const page of tablePages) {
      expect(page).to.include(squash('আলোচ্য বিষয়'));
      expect(page).to.include(squash('বাস্তবায়নে'));
    }
    // Rows are not split: each decision is printed whole, on exactly one page.
    for (let i = 1; i <= 80; i++)
      expect(
        tablePages.filter((p) => p.includes(`সিদ্ধান্তপাঠ${i}শেষ`)),
        `row ${i}`,
      ).to.have.length(1);
  });

  it('when the sample page 1 is rasterised at 200 dpi, then a PNG is written for a visual check', () => {
    fs.mkdirSync(CHECK_DIR, { recursive: true });
    const pdfFile = path.join(CHECK_DIR, 'minutes-sample.pdf');
    fs.writeFileSync(pdfFile, issued);
    execFileSync('pdftoppm', ['-r', '200', '-png', '-f', '1', '-l', '1', pdfFile, path.join(CHECK_DIR, 'minutes-sample')]);
    const png = fs.readdirSync(CHECK_DIR).find((f) => /^minutes-sample-0*1\.png$/.test(f));
    expect(png).to.be.a('string');
    const bytes = fs.readFileSync(path.join(CHECK_DIR, png!));
    expect(bytes.subarray(1, 4).toString('latin1')).to.equal('PNG');
    expect(bytes.readUInt32BE(16)).to.be.closeTo(1654, 2); // A4 width at 200 dpi
  });

  it('when an initiative profile is printed, then its title, facts and TCV rows are in the text', async () => {
    const pdf = await renderInitiativeProfilePdf(renderer, {
      letterhead: doc.letterhead,
      title: 'অনলাইনে নাগরিক সনদ',
      titleEn: 'Online citizen certificate',
      facts: [
        { label: 'ধরন', value: 'সেবা সহজিকরণ' },
        { label: 'পর্যায়', value: 'পাইলটিং' },
      ],
      problem: 'নাগরিক সনদ পেতে ৩ বার অফিসে আসতে হতো।\n\nসময় লাগত ৭ দিন।',
      solution: 'অনলাইনে আবেদন ও ডিজিটাল স্বাক্ষরযুক্ত সনদ।',
      tcv: [{ label: 'সময়', baseline: '৭ দিন', current: '১ দিন', change: '−৮৬%' }],
      timeline: [{ date: formatDualDate('2025-07-01'), move: 'ধারণা → পাইলটিং', by: 'ইনোভেশন অফিসার', note: 'অনুমোদিত' }],
      areas: [{ name: 'পাইকগাছা', status: 'চলমান', officer: 'উপজেলা আইসিটি অফিসার', dates: '২০২৫' }],
      printedOn: formatDualDate('2025-09-29'),
      meta: { title: 'উদ্যোগের বিবরণ', subject: 'অনলাইনে নাগরিক সনদ', author: 'উপজেলা নির্বাহী অফিসারের কার্যালয়', language: 'bn' },
    });
    const text = squash(readingText(pdf));
    for (const s of ['অনলাইনে নাগরিক সনদ', 'সেবা সহজিকরণ', 'পাইলটিং', '৭ দিন', 'সময় লাগত ৭ দিন।', 'মুদ্রণের তারিখ'])
      expect(text).to.include(squash(s));
    expect(pdfInfo(pdf)).to.match(/Title:\s+উদ্যোগের বিবরণ/);
  });
});
