import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseCharter,
  parseTimeLimitDays,
  type CharterParseResult,
  type CharterService,
} from '../../../../src/features/charters/charter-parser.js';

// The real charter of an upazila ICT office, as published (domain.md, "Citizen charters"). Read, never skipped:
// if the shared folder moves, these tests must fail.
const SAMPLE_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/samples/citizen-charter-ict-office.txt',
);

// As it reads after import: the mailto link reduced to its address.
const OFFICER = 'জনাব মোঃ আব্দুস সামাদ সহকারী প্রোগ্রামার ফোনঃ ০২৪৭৭৭৩১৬২৩ samadiceiu@gmail.com';

let sample = '';
let sampleLines: string[] = [];
let sampleResult: CharterParseResult;

/** The sample's line `n` (1-based), failing loudly when it is not there. */
function line(n: number): string {
  const l = sampleLines[n - 1];
  if (l === undefined) throw new Error(`the sample has no line ${n}`);
  return l;
}

/** The sample with line `n` replaced by `replacement` (which may hold several lines, or none: ''). */
function withLine(text: string, n: number, replacement: string | null): string {
  const lines = text.split('\n');
  if (lines[n - 1] === undefined) throw new Error(`no line ${n}`);
  if (replacement === null) lines.splice(n - 1, 1);
  else lines[n - 1] = replacement;
  return lines.join('\n');
}

/** Replaces every occurrence, failing when there is none (a variant that silently equals the sample tests nothing). */
function replaceAll(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`not in the text: ${from}`);
  return text.split(from).join(to);
}

/** Services without their line numbers, for comparing a variant with the sample. */
function withoutRows(services: readonly CharterService[]): Omit<CharterService, 'row'>[] {
  return services.map(({ row: _row, ...rest }) => rest);
}

function cells(n: number): string[] {
  return line(n).split('\t');
}

describe('parseCharter', () => {
  before(() => {
    sample = fs.readFileSync(SAMPLE_PATH, 'utf8');
    sampleLines = sample.split('\n');
    sampleResult = parseCharter(sample);
  });

  describe('the published sample (ICT office, Paikgachha)', () => {
    it('when the test looks for the sample, then it is in the shared folder next to the repository', () => {
      expect(SAMPLE_PATH).to.equal(path.resolve(process.cwd(), '../shared/samples/citizen-charter-ict-office.txt'));
      expect(fs.existsSync(SAMPLE_PATH), SAMPLE_PATH).to.equal(true);
      // The lines the variants below are built from.
      expect(line(19)).to.match(/^ক্রমিক নং\tসেবার নাম\t/);
      expect(line(20)).to.equal('(১)\t(২)\t(৩)\t(৪)\t(৫)\t(৬)\t(৭)');
      expect(line(33)).to.equal('');
    });

    it('when the sample is imported, then every service is read without errors: 1 citizen, 12 institutional, 0 internal', () => {
      const { services, errors } = sampleResult;
      expect(errors).to.deep.equal([]);
      expect(services.filter((s) => s.section === 'citizen')).to.have.length(1);
      expect(services.filter((s) => s.section === 'institutional')).to.have.length(12);
      expect(services.filter((s) => s.section === 'internal')).to.have.length(0);
      expect(services).to.have.length(13);
    });

    it('when the sample is imported, then each service has its serial in Latin digits, its line, its time limit as text and in days', () => {
      const rows = sampleResult.services.map((s) => [s.section, s.serial, s.row, s.timeLimit, s.timeLimitDays]);
      expect(rows).to.deep.equal([
        ['citizen', '1', 21, 'তাৎক্ষণিক/ ৩ কার্যদিবস (প্রযোজ্য ক্ষেত্রে)', 3],
        ['institutional', '1', 27, 'তাৎক্ষণিক/ ৩ কার্যদিবস (প্রযোজ্য ক্ষেত্রে)', 3],
        ['institutional', '2', 28, 'তাৎক্ষণিক/ ৩ কার্যদিবস (প্রযোজ্য ক্ষেত্রে)', 3],
        ['institutional', '3', 29, 'তাৎক্ষণিক/ ৫ কার্যদিবস (প্রযোজ্য ক্ষেত্রে)', 5],
        ['institutional', '4', 30, 'তাৎক্ষণিক/ ৩ কার্যদিবস (প্রযোজ্য ক্ষেত্রে)', 3],
        ['institutional', '5', 31, '৭ কার্যদিবস/ প্রয়োজন অনুযায়ী'.normalize('NFC'), 7],
        ['institutional', '6', 32, '৩ কার্যদিবস/ প্রয়োজন অনুযায়ী'.normalize('NFC'), 3],
        // Line 33 is blank: a page break inside the table.
        ['institutional', '7', 34, '৭ কার্যদিবস/ প্রয়োজন অনুযায়ী'.normalize('NFC'), 7],
        ['institutional', '8', 35, '৩ কার্যদিবস/ প্রয়োজন অনুযায়ী'.normalize('NFC'), 3],
        ['institutional', '9', 36, '১০ কার্যদিবস / প্রয়োজন অনুযায়ী'.normalize('NFC'), 10],
        ['institutional', '10', 37, '৯০ কার্যদিবস / প্রয়োজন অনুযায়ী'.normalize('NFC'), 90],
        ['institutional', '11', 38, '৩০ কার্যদিবস / প্রয়োজন অনুযায়ী'.normalize('NFC'), 30],
        ['institutional', '12', 39, '১৫ কার্যদিবস / প্রয়োজন অনুযায়ী'.normalize('NFC'), 15],
      ]);
    });

    it('when the sample is imported, then the citizen service reads column by column as published', () => {
      expect(sampleResult.services[0]).to.deep.equal({
        section: 'citizen',
        serial: '1',
        name: 'আইসিটি অধিদপ্তর সংক্রান্ত তথ্য প্রদান',
        method: '১। দাপ্তরিক ওয়েবসাইটের মাধ্যমে ২। টেলিফোনে যোগাযোগ ৩। ই-মেইলের মাধ্যমে ৪। ব্যক্তিগত উপস্থিতির মাধ্যমে যোগাযোগ'.normalize('NFC'),
        documents: '১) প্রযোজ্য ক্ষেত্রে সাদা কাগজে আবেদনপত্র/দাপ্তরিক ওয়েবসাইট ও আঞ্চলিক কার্যালয়'.normalize('NFC'),
        fee: 'বিনামূল্যে',
        timeLimit: 'তাৎক্ষণিক/ ৩ কার্যদিবস (প্রযোজ্য ক্ষেত্রে)',
        timeLimitDays: 3,
        officer: OFFICER,
        officerInherited: false,
        row: 21,
      });
    });

    it('when the sample is imported, then institutional services 7 and 10 (after the page break, with English words) read as published', () => {
      const institutional = sampleResult.services.filter((s) => s.section === 'institutional');
      expect(institutional[6]).to.deep.include({
        serial: '7',
        name: 'সরকারী বিভিন্ন দপ্তরের কর্মকর্তা ও কর্মচারীদের ICT বিষয়ে প্রশিক্ষণ প্রদান',
        method: '১। সংশ্লিষ্ট দপ্তরের অধিযাচন এর মাধ্যমে ২। উর্ধ্বতন কর্তৃপক্ষের নির্দেশনা মোতাবেক ৩। অধিদপ্তরের বার্ষিক কর্মপরিকল্পনা অনুযায়ী'.normalize(
          'NFC',
        ),
        documents: '১। অধিদপ্তরের ওয়েবসাইট ২। সরাসরি যোগাযোগের মাধ্যমে'.normalize('NFC'),
        fee: 'বিদ্যমান সরকারী নীতিমালা অনুযায়ী'.normalize('NFC'),
        timeLimitDays: 7,
        officer: OFFICER,
      });
      expect(institutional[9]).to.deep.include({
        serial: '10',
        name: 'Software Development সংক্রান্ত বিষয়াবলী',
        fee: 'পারস্পরিক সমঝোতার ভিত্তিতে/ প্রয়োজন অনুযায়ী'.normalize('NFC'),
        timeLimitDays: 90,
      });
    });

    it('when the sample is imported, then every officer is the assistant programmer with the mailto link as its address, none inherited', () => {
      // Every officer cell of the sample is filled in, so nothing is inherited here (see the variants below).
      for (const s of sampleResult.services) {
        expect(s.officer, `${s.section} ${s.serial}`).to.equal(OFFICER);
        expect(s.officerInherited).to.equal(false);
      }
    });

    it('when the sample is imported, then no field keeps HTML or entities and all text is NFC', () => {
      for (const s of sampleResult.services) {
        for (const value of [s.name, s.method, s.documents, s.fee, s.timeLimit, s.officer]) {
          expect(value).not.to.match(/[<>]|&[a-z#0-9]+;/i);
          expect(value).to.equal(value.normalize('NFC'));
          expect(value).to.equal(value.trim());
        }
      }
    });

    it('when the sample is imported, then the date and signature after the table join no service', () => {
      const last = sampleResult.services.at(-1);
      expect(last?.officer).to.equal(OFFICER);
      expect(JSON.stringify(sampleResult.services)).not.to.include('পাইকগাছা');
      expect(JSON.stringify(sampleResult.services)).not.to.include('১৫/১২/২০২৫');
    });

    it('when the sample is imported, then its vision and mission are read', () => {
      expect(sampleResult.vision).to.equal('জ্ঞান ভিত্তিক অর্থনীতি ও সুশাসন প্রতিষ্ঠায় তথ্য প্রযুক্তির ব্যবহার।'.normalize('NFC'));
      expect(sampleResult.mission).to.match(/^তথ্য প্রযুক্তি খাতের সর্বোত্তম ব্যবহার/);
      expect(sampleResult.mission).to.match(/সুশাসন প্রতিষ্ঠা।$/);
    });
  });

  describe('published variations, built from the sample', () => {
    it('when section headings are plain lines like "২.১। নাগরিক সেবা", then the sections are the same', () => {
      let text = replaceAll(sample, '#### ২.১) নাগরিক সেবা', '২.১। নাগরিক সেবা');
      text = replaceAll(text, '#### ২.২) প্রাতিষ্ঠানিক সেবা', '২.২। প্রাতিষ্ঠানিক সেবা');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when section headings have no numbering ("প্রাতিষ্ঠানিক সেবা", "**২.১) নাগরিক সেবা**"), then the sections are the same', () => {
      let text = replaceAll(sample, '#### ২.১) নাগরিক সেবা', '**২.১) নাগরিক সেবা**');
      text = replaceAll(text, '#### ২.২) প্রাতিষ্ঠানিক সেবা', 'প্রাতিষ্ঠানিক সেবা');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when a heading is typed with a different code-point sequence, then it is matched after NFC', () => {
      // The heading fully decomposed (NFD), as some keyboards and converters leave it.
      const text = [line(19), `২.১) অভ্যন্তরীণ সেবা`.normalize('NFD'), line(19), line(27)].join('\n');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services.map((s) => s.section)).to.deep.equal(['internal']);
    });

    it('when the header and column-number rows are repeated after a page break mid-table, then they are skipped', () => {
      const text = withLine(sample, 33, ['', '', line(19), line(20)].join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(result.services[7]?.row).to.equal(37);
    });

    it('when only the header row is repeated mid-table (no column-number row), then it is skipped', () => {
      const text = withLine(sample, 33, line(19));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when there are no column-number rows, then every service is read the same', () => {
      const text = replaceAll(sample, `${line(20)}\n`, '');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(result.services[1]?.row).to.equal(25);
    });

    it('when there are neither header nor column-number rows, then every service is read the same', () => {
      const text = replaceAll(replaceAll(sample, `${line(20)}\n`, ''), `${line(19)}\n`, '');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
    });

    it('when the column-number row has no parentheses ("১ ২ … ৭"), then it is still skipped and not read as service 1', () => {
      const text = replaceAll(sample, line(20), '১\t২\t৩\t৪\t৫\t৬\t৭');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when serials are Latin digits or Bangla digits with a dot or dari, then they are stored in Latin digits, the same', () => {
      let text = withLine(sample, 27, line(27).replace(/^১\t/, '1\t'));
      text = withLine(text, 28, line(28).replace(/^২\t/, '2.\t'));
      text = withLine(text, 29, line(29).replace(/^৩\t/, '৩।\t'));
      text = withLine(text, 37, line(37).replace(/^১০\t/, '১০.\t'));
      text = withLine(text, 38, line(38).replace(/^১১\t/, '11)\t'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when a row is split inside a cell across a page break (blank lines, header repeated), then it is one service with the cell joined', () => {
      const c = cells(34);
      expect(c[3]).to.equal('১। অধিদপ্তরের ওয়েবসাইট ২। সরাসরি যোগাযোগের মাধ্যমে'.normalize('NFC'));
      const before = [...c.slice(0, 3), '১। অধিদপ্তরের ওয়েবসাইট'].join('\t');
      const after = ['২। সরাসরি যোগাযোগের মাধ্যমে', ...c.slice(4)].join('\t');
      const text = withLine(sample, 34, [before, '', '', line(19), line(20), after].join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(result.services[7]?.row).to.equal(34);
      expect(result.services[8]?.row).to.equal(40);
    });

    it('when a page break splits a row column by column (continued under an empty serial), then each cell is joined in its column', () => {
      const c = cells(37);
      const first = [c[0], 'Software Development', 'বিভিন্ন সরকারী প্রতিষ্ঠানের Software Development', ...c.slice(3)].join('\t');
      const rest = ['', 'সংক্রান্ত বিষয়াবলী', 'সংক্রান্ত কার্যক্রম প্রক্রিয়াকরণ, বাস্তবায়ন', '', '', '', ''].join('\t');
      expect(`Software Development ${'সংক্রান্ত বিষয়াবলী'}`).to.equal(c[1]);
      const text = withLine(sample, 37, [first, '', line(19), line(20), rest].join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
    });

    it('when cells run over several lines (name split, officer on three lines), then each cell is joined with a space', () => {
      const c = cells(29);
      const name = c[1] ?? '';
      const split = name.indexOf(' পর্যায়ে'.normalize('NFC'));
      expect(split).to.be.greaterThan(0);
      const rowLines = [
        [c[0], name.slice(0, split)].join('\t'),
        [name.slice(split + 1), ...c.slice(2, 6), 'জনাব মোঃ আব্দুস সামাদ'].join('\t'),
        'সহকারী প্রোগ্রামার',
        'ফোনঃ ০২৪৭৭৭৩১৬২৩ <a href="mailto:samadiceiu@gmail.com">samadiceiu@gmail.com</a>',
      ];
      const text = withLine(sample, 29, rowLines.join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(result.services[3]?.row).to.equal(29);
      expect(result.services[4]?.row).to.equal(33);
    });

    it('when officer cells are blank (an empty cell, or the cell dropped at the end of the line), then the officer above in the section is copied', () => {
      let text = sample;
      for (const n of [28, 29, 30]) text = withLine(text, n, `${cells(n).slice(0, 6).join('\t')}\t`);
      for (const n of [34, 35]) text = withLine(text, n, cells(n).slice(0, 6).join('\t'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      const institutional = result.services.filter((s) => s.section === 'institutional');
      expect(institutional.map((s) => [s.serial, s.officer, s.officerInherited])).to.deep.equal([
        ['1', OFFICER, false],
        ['2', OFFICER, true],
        ['3', OFFICER, true],
        ['4', OFFICER, true],
        ['5', OFFICER, false],
        ['6', OFFICER, false],
        ['7', OFFICER, true],
        ['8', OFFICER, true],
        ['9', OFFICER, false],
        ['10', OFFICER, false],
        ['11', OFFICER, false],
        ['12', OFFICER, false],
      ]);
    });

    it('when the officer above is a different person, then the copied officer is the nearest one above', () => {
      const other = 'জনাব রহিম উদ্দিন প্রোগ্রামার ফোনঃ ০১৭০০০০০০০০';
      let text = withLine(sample, 30, `${cells(30).slice(0, 6).join('\t')}\t${other}`);
      text = withLine(text, 31, `${cells(31).slice(0, 6).join('\t')}\t`);
      const result = parseCharter(text);
      const institutional = result.services.filter((s) => s.section === 'institutional');
      expect(institutional[3]).to.deep.include({ officer: other, officerInherited: false });
      expect(institutional[4]).to.deep.include({ officer: other, officerInherited: true });
    });

    it('when the first service of a section has a blank officer, then nothing is copied across sections', () => {
      const text = withLine(sample, 27, `${cells(27).slice(0, 6).join('\t')}\t`);
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      const institutional = result.services.filter((s) => s.section === 'institutional');
      expect(institutional[0]).to.deep.include({ officer: '', officerInherited: false });
      expect(institutional[1]).to.deep.include({ officer: OFFICER, officerInherited: false });
    });

    it('when an internal-services section follows, then its rows are internal services', () => {
      const internal = ['', '#### ২.৩) অভ্যন্তরীণ সেবা', '', line(19), line(20), line(27), line(28)].join('\n');
      const text = withLine(sample, 39, `${line(39)}\n${internal}`);
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services.filter((s) => s.section === 'internal').map((s) => [s.serial, s.row])).to.deep.equal([
        ['1', 45],
        ['2', 46],
      ]);
      expect(result.services).to.have.length(15);
    });

    it('when rows come before any section heading, then they are citizen services', () => {
      const result = parseCharter([line(19), line(20), line(27), line(28)].join('\n'));
      expect(result.errors).to.deep.equal([]);
      expect(result.services.map((s) => [s.section, s.serial, s.row])).to.deep.equal([
        ['citizen', '1', 3],
        ['citizen', '2', 4],
      ]);
    });

    it('when the charter goes on with its expectations and grievance (GRS) tables, then those are skipped without errors', () => {
      const more = [
        '',
        '### ৩) আপনার কাছে আমাদের প্রত্যাশা',
        '',
        'ক্রমিক নং\tপ্রতিশ্রুত/কাঙ্ক্ষিত সেবা প্রাপ্তির লক্ষ্যে করণীয়',
        '১\tনির্ধারিত ফরমে সম্পূর্ণভাবে পূরণকৃত আবেদন জমা প্রদান',
        '২\tসাক্ষাতের জন্য নির্ধারিত সময়ের পূর্বেই উপস্থিত থাকা',
        '',
        '৪) অভিযোগ প্রতিকার ব্যবস্থাপনা (GRS)',
        '',
        'ক্রমিক নং\tকখন যোগাযোগ করবেন\tকার সঙ্গে যোগাযোগ করবেন\tযোগাযোগের ঠিকানা\tনিষ্পত্তির সময়সীমা',
        '১\tদায়িত্বপ্রাপ্ত কর্মকর্তা সমাধান দিতে না পারলে\tঅভিযোগ নিষ্পত্তি কর্মকর্তা (অনিক)\tফোনঃ ০২৪৭৭৭৩১৬২৩\t৩০ কার্যদিবস',
        '২\tঅনিক নির্দিষ্ট সময়ে সমাধান দিতে না পারলে\tআপিল কর্মকর্তা\tফোনঃ ০২৪৭৭৭৩১৬২৩\t২০ কার্যদিবস',
      ].join('\n');
      const result = parseCharter(withLine(sample, 39, `${line(39)}\n${more}`));
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when the file has a BOM and CRLF line ends, then it reads the same, with the same line numbers', () => {
      const result = parseCharter(`\uFEFF${sample.replace(/\n/g, '\r\n')}`);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
      expect(result.vision).to.equal(sampleResult.vision);
    });

    it('when cells hold HTML (links, tags, entities) and non-NFC text, then the readable text is kept', () => {
      const row = [
        '১',
        'জন্ম &amp; মৃত্যু নিবন্ধন <b>সহা\u09DFতা</b>',
        '<p>অনলাইনে</p><br/>সরাসরি',
        'আবেদন&nbsp;ফরম &lt;নমুনা&gt;',
        'বিনামূল্যে',
        '৩&ndash;৫ কার্যদিবস',
        'জনাব ক <a href="mailto:k@example.gov.bd">ই-মেইল</a> <a href=\'https://example.gov.bd/\'>ওয়েবসাইট</a> <a href="https://x.gov.bd">x.gov.bd</a> <span>ফোনঃ</span> &#2534;&#x9E7;',
      ].join('\t');
      const result = parseCharter(`${line(19)}\n${row}`);
      expect(result.errors).to.deep.equal([]);
      expect(result.services[0]).to.deep.include({
        name: 'জন্ম & মৃত্যু নিবন্ধন সহায়তা'.normalize('NFC'),
        method: 'অনলাইনে সরাসরি',
        documents: 'আবেদন ফরম <নমুনা>',
        timeLimit: '৩–৫ কার্যদিবস',
        timeLimitDays: 5,
        officer: 'জনাব ক ই-মেইল (k@example.gov.bd) ওয়েবসাইট (https://example.gov.bd/) x.gov.bd ফোনঃ ০১',
      });
    });
  });

  describe('rows that cannot be read', () => {
    it('when the file is random text, then there are no services and one error for the whole file (row 0)', () => {
      const result = parseCharter('Lorem ipsum dolor sit amet\nএটি একটি সাধারণ চিঠি।\n\n১২৩ abc\n১৫/১২/২০২৫');
      expect(result.services).to.deep.equal([]);
      expect(result.errors).to.have.length(1);
      expect(result.errors[0]?.row).to.equal(0);
      expect(result.errors[0]?.message).to.include('কোনো সেবার সারি পাওয়া যায়নি');
      expect(result.errors[0]?.messageEn).to.include('No service rows were found');
    });

    it('when the file is empty, then there are no services and the whole-file error', () => {
      const result = parseCharter('');
      expect(result.services).to.deep.equal([]);
      expect(result.errors.map((e) => e.row)).to.deep.equal([0]);
    });

    it('when rows have only 3 cells, then each row gives an error with its line and Bangla and English messages, and no services', () => {
      const text = [line(19), '১\tসেবা এক\tঅনলাইন', '২\tসেবা দুই\tসরাসরি', '', '৩\tসেবা তিন\tডাকযোগে'].join('\n');
      const result = parseCharter(text);
      expect(result.services).to.deep.equal([]);
      expect(result.errors.map((e) => e.row)).to.deep.equal([2, 3, 5]);
      for (const e of result.errors) {
        expect(e.message).to.include('৩টি ঘর');
        expect(e.messageEn).to.include('3 of the 7 columns');
      }
    });

    it('when one row has no service name, then that row gives an error and reading continues with the others', () => {
      const c = cells(31);
      const text = withLine(sample, 31, [c[0], '', ...c.slice(2)].join('\t'));
      const result = parseCharter(text);
      expect(result.errors).to.have.length(1);
      expect(result.errors[0]).to.deep.include({ row: 31 });
      expect(result.errors[0]?.messageEn).to.include('service name');
      expect(result.services).to.have.length(12);
      expect(result.services.filter((s) => s.section === 'institutional').map((s) => s.serial)).to.deep.equal([
        '1',
        '2',
        '3',
        '4',
        '6',
        '7',
        '8',
        '9',
        '10',
        '11',
        '12',
      ]);
    });

    it('when a tab-separated row has no serial and continues no row, then it gives an error and the rows around it are read', () => {
      const bad = ['ক', 'অজানা সেবা', 'সরাসরি', 'আবেদন', 'বিনামূল্যে', '৩ দিন', 'জনাব খ'].join('\t');
      const text = withLine(sample, 33, bad);
      const result = parseCharter(text);
      expect(result.errors.map((e) => e.row)).to.deep.equal([33]);
      expect(result.errors[0]?.messageEn).to.include('no serial number');
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when a row has more than 7 filled columns, then it gives an error', () => {
      const result = parseCharter([line(19), `${line(27)}\tমন্তব্য`, line(28)].join('\n'));
      expect(result.errors.map((e) => e.row)).to.deep.equal([2]);
      expect(result.errors[0]?.messageEn).to.include('8 columns');
      expect(result.services.map((s) => s.serial)).to.deep.equal(['2']);
    });

    it('when rows after the header are typed with spaces instead of tabs, then each gives an error saying so', () => {
      const text = [
        line(19),
        line(20),
        '১ আইসিটি অধিদপ্তর সংক্রান্ত তথ্য প্রদান দাপ্তরিক ওয়েবসাইট',
        '২ ই-নথি বিষয়ক পরামর্শ টেলিফোন বিনামূল্যে',
      ].join('\n');
      const result = parseCharter(text);
      expect(result.services).to.deep.equal([]);
      expect(result.errors.map((e) => e.row)).to.deep.equal([3, 4]);
      expect(result.errors[0]?.messageEn).to.include('not separated by tabs');
    });
  });
});

describe('parseTimeLimitDays', () => {
  const cases: readonly (readonly [string, number | null])[] = [
    ['তাৎক্ষণিক', 0],
    ['তাৎক্ষণিক (প্রযোজ্য ক্ষেত্রে)', 0],
    ['তাত্\u200Dক্ষণিক', 0], // ৎ typed the old way, ত + hasanta + ZWJ
    ['একই দিনে', 0],
    ['তাৎক্ষণিক/ ৩ কার্যদিবস', 3],
    ['তাৎক্ষণিক/ ৩ কার্যদিবস (প্রযোজ্য ক্ষেত্রে)', 3],
    ['তাৎক্ষণিক/ ৩', 3],
    ['৭ কর্মদিবস', 7],
    ['৭ কার্যদিবস/ প্রয়োজন অনুযায়ী', 7],
    ['৩ কার্য দিবস', 3],
    ['১৫ দিন', 15],
    ['১৫ দিনের মধ্যে', 15],
    ['০৩ (তিন) কার্যদিবস', 3],
    ['সাত (৭) কর্মদিবস', 7],
    ['সাত দিন', 7],
    ['৩-৫ কার্যদিবস', 5],
    ['৩ – ৫ কার্যদিবস', 5],
    ['৩ থেকে ৫ কার্যদিবস', 5],
    ['৩০ দিন (সর্বোচ্চ ৬০ দিন)', 60],
    ['১০ কার্যদিবস / প্রয়োজন অনুযায়ী', 10],
    ['৯০ কার্যদিবস', 90],
    ['3 working days', 3],
    ['7 days', 7],
    ['Immediately', 0],
    ['৩', 3],
    ['1 মাস', 30],
    ['১ মাস', 30],
    ['এক মাস', 30],
    ['২ সপ্তাহ', 14],
    ['২৪ ঘণ্টা', 1],
    ['৭২ ঘন্টা', 3],
    ['২ ঘণ্টা', 0],
    ['৩০ মিনিট', 0],
    ['১.৫ মাস', 45],
    ['প্রয়োজন অনুযায়ী', null],
    ['অনেক দিন', null],
    ['৩০ জুনের মধ্যে', null],
    ['১৫/১২/২০২৫', null],
    ['', null],
    ['   ', null],
  ];
  for (const [text, days] of cases) {
    it(`when the time limit is "${text}", then it is ${days === null ? 'unknown (null)' : `${days} days`}`, () => {
      expect(parseTimeLimitDays(text)).to.equal(days);
    });
  }

  it('when the text is typed with decomposed code points, then it reads the same as NFC', () => {
    expect(parseTimeLimitDays('৭ কার্যদিবস/ প্রয়োজন অনুযায়ী'.normalize('NFD'))).to.equal(7);
    expect(parseTimeLimitDays('ছয় দিন'.normalize('NFD'))).to.equal(6);
    expect(parseTimeLimitDays('ছ\u09DF দিন')).to.equal(6);
  });
});
