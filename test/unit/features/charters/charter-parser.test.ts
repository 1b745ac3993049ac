import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../../src/config.js';
import {
  parseCharter,
  parseTimeLimitDays,
  type CharterParseResult,
  type CharterService,
} from '../../../../src/features/charters/charter-parser.js';

// The project's own charter fixture (test/fixtures/README.md): the published tab-separated layout with the hard
// cases of real files (rows split by page breaks, blank "as above" officer cells, HTML fragments, several
// sections, Bangla digits). Read, never skipped: if it moves, these tests must fail.
const SAMPLE_PATH = path.join(PROJECT_ROOT, 'test', 'fixtures', 'citizen-charter.txt');

const nfc = (s: string): string => s.normalize('NFC');
// Officers as they read after import: <br> and &nbsp; become spaces, a mailto link its address.
const TAHMINA = nfc('জনাব তাহমিনা পারভীন উপজেলা সমাজসেবা অফিসার ফোনঃ ০৮৫২৫-৫৬০৪১ uso.nabinagar@example.gov.bd');
const TAHMINA_LINKED = nfc('জনাব তাহমিনা পারভীন উপজেলা সমাজসেবা অফিসার ফোনঃ ০৮৫২৫-৫৬০৪১ ই-মেইল (uso.nabinagar@example.gov.bd)');
const TAHMINA_PLAIN = nfc('জনাব তাহমিনা পারভীন উপজেলা সমাজসেবা অফিসার');
const SAIFUL = nfc('জনাব মোঃ সাইফুল ইসলাম সমাজসেবা অফিসার (রেজিঃ) ফোনঃ ০১৭১১-০০০২০৩ ই-মেইল (saiful.dss@example.gov.bd)');
const SAIFUL_TEL = nfc('জনাব মোঃ সাইফুল ইসলাম সমাজসেবা অফিসার (রেজিঃ) ০১৭১১-০০০২০৩ (+8801711000203)');
const NUSRAT = nfc('জনাব নুসরাত জাহান ইউনিয়ন সমাজকর্মী ফোনঃ ০১৮১৯-০০০৫০৫');
const ARIFUL = nfc('জনাব মোঃ আরিফুল হক হাসপাতাল সমাজসেবা অফিসার ফোনঃ ০১৭১১-০০০৬০৬');

let sample = '';
let sampleLines: string[] = [];
let sampleResult: CharterParseResult;

/** The sample's line `n` (1-based), failing loudly when it is not there. */
function line(n: number): string {
  const l = sampleLines[n - 1];
  if (l === undefined) throw new Error(`the sample has no line ${n}`);
  return l;
}

/** The text with line `n` replaced by `replacement` (which may hold several lines), or removed (null). */
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

const inSection = (result: CharterParseResult, section: CharterService['section']) => result.services.filter((s) => s.section === section);

describe('parseCharter', () => {
  before(() => {
    sample = fs.readFileSync(SAMPLE_PATH, 'utf8');
    sampleLines = sample.split('\n');
    sampleResult = parseCharter(sample);
  });

  describe('the fixture charter (upazila social services office)', () => {
    it('when the test looks for the fixture, then it is inside the repository and has the lines the variants are built from', () => {
      expect(path.relative(PROJECT_ROOT, SAMPLE_PATH).startsWith('..')).to.equal(false);
      expect(fs.existsSync(SAMPLE_PATH), SAMPLE_PATH).to.equal(true);
      expect(line(19)).to.match(/^ক্রমিক নং\tসেবার নাম\t/);
      expect(line(20)).to.equal('(১)\t(২)\t(৩)\t(৪)\t(৫)\t(৬)\t(৭)');
      // Row ৪ is cut by a page break after its 4th cell (blank lines, header and column numbers repeated) ...
      expect(cells(24)).to.have.length(4);
      expect([line(25), line(26), line(27), line(28)]).to.deep.equal(['', '', line(19), line(20)]);
      // ... and row ৫ by one that carries the rest of its name and method on under an empty serial.
      expect(cells(34)[0]).to.equal('');
      expect(line(46)).to.equal('');
    });

    it('when the fixture is imported, then every service is read without errors: 6 citizen, 3 institutional, 3 internal', () => {
      const { services, errors } = sampleResult;
      expect(errors).to.deep.equal([]);
      expect(inSection(sampleResult, 'citizen')).to.have.length(6);
      expect(inSection(sampleResult, 'institutional')).to.have.length(3);
      expect(inSection(sampleResult, 'internal')).to.have.length(3);
      expect(services).to.have.length(12);
    });

    it('when the fixture is imported, then each service has its serial in Latin digits, its line, its time limit as text and in days', () => {
      const rows = sampleResult.services.map((s) => [s.section, s.serial, s.row, s.timeLimit, s.timeLimitDays]);
      expect(rows).to.deep.equal([
        ['citizen', '1', 21, '৩০ কার্যদিবস', 30],
        ['citizen', '2', 22, '৩০ কার্যদিবস', 30],
        ['citizen', '3', 23, '৪৫ দিন', 45],
        // Split by a page break: the row starts on line 24 and ends on line 29.
        ['citizen', '4', 24, '১ মাস', 30],
        // Its name and method continue on line 34, after the next page break.
        ['citizen', '5', 30, '১ মাস', 30],
        ['citizen', '6', 35, nfc('তাৎক্ষণিক'), 0],
        ['institutional', '1', 43, '৬০ কার্যদিবস', 60],
        ['institutional', '2', 44, '১৫ কার্যদিবস', 15],
        ['institutional', '3', 45, '৭–১০ কার্যদিবস', 10],
        ['internal', '1', 50, '৩ কার্যদিবস', 3],
        ['internal', '2', 51, '৭ কার্যদিবস', 7],
        ['internal', '3', 52, nfc('প্রয়োজন অনুযায়ী'), null],
      ]);
    });

    it('when the fixture is imported, then the first citizen service reads column by column, its <br> fragments as spaces', () => {
      expect(sampleResult.services[0]).to.deep.equal({
        section: 'citizen',
        serial: '1',
        name: nfc('বয়স্ক ভাতা প্রদান'),
        method: nfc('অনলাইনে আবেদন ইউনিয়ন কমিটির যাচাই ও উপজেলা কমিটির অনুমোদন'),
        documents: nfc('১) জাতীয় পরিচয়পত্রের কপি ২) দুই কপি ছবি প্রাপ্তিস্থান: উপজেলা সমাজসেবা কার্যালয়'),
        fee: 'বিনামূল্যে',
        timeLimit: '৩০ কার্যদিবস',
        timeLimitDays: 30,
        officer: TAHMINA,
        officerInherited: false,
        row: 21,
      });
    });

    it('when a row is cut inside a cell by a page break (header repeated), then it is one service with the cell joined and the rest in their columns', () => {
      expect(sampleResult.services[3]).to.deep.include({
        serial: '4',
        name: nfc('পল্লী মাতৃকেন্দ্রের মাধ্যমে সুদমুক্ত ক্ষুদ্রঋণ'),
        method: nfc('মাতৃকেন্দ্রের সদস্যদের দলীয় আবেদন'),
        documents: nfc('১) সদস্য পদের প্রমাণ ২) প্রশিক্ষণ সনদ (মাতৃকেন্দ্র থেকে)'),
        fee: nfc('৫% সার্ভিস চার্জ, কিস্তিতে পরিশোধ'),
        timeLimit: '১ মাস',
      });
    });

    it('when a page break splits a row column by column (continued under an empty serial), then each cell is joined in its column', () => {
      expect(sampleResult.services[4]).to.deep.include({
        serial: '5',
        name: nfc('পল্লী সমাজসেবা (আরএসএস) ক্ষুদ্রঋণ'),
        method: nfc('ইউনিয়ন সমাজকর্মীর মাধ্যমে ও দলীয় সঞ্চয়'),
        documents: nfc('১) জাতীয় পরিচয়পত্র ২) ইউনিয়ন পরিষদের প্রত্যয়নপত্র'),
        fee: nfc('৫% সার্ভিস চার্জ'),
        officer: NUSRAT,
        officerInherited: false,
      });
    });

    it('when the officer cell runs over three lines, then it is joined with spaces', () => {
      expect(sampleResult.services[5]).to.deep.include({ serial: '6', officer: ARIFUL, officerInherited: false, row: 35 });
    });

    it('when officer cells are blank (empty, or dropped at the end of the line), then the officer above in the same section is copied, and marked so', () => {
      const officers = sampleResult.services.map((s) => [s.section, s.serial, s.officer, s.officerInherited]);
      expect(officers).to.deep.equal([
        ['citizen', '1', TAHMINA, false],
        ['citizen', '2', TAHMINA, true],
        ['citizen', '3', SAIFUL, false],
        ['citizen', '4', SAIFUL, true],
        ['citizen', '5', NUSRAT, false],
        ['citizen', '6', ARIFUL, false],
        ['institutional', '1', TAHMINA_LINKED, false],
        ['institutional', '2', TAHMINA_LINKED, true], // the 7th cell dropped: 6 cells on the line
        ['institutional', '3', SAIFUL_TEL, false],
        ['internal', '1', TAHMINA_PLAIN, false],
        ['internal', '2', TAHMINA_PLAIN, true],
        ['internal', '3', TAHMINA_PLAIN, true],
      ]);
    });

    it('when a cell holds "ঐ" (ditto), then it is kept as written: only a blank officer cell is read as "as above"', () => {
      expect(inSection(sampleResult, 'internal').map((s) => s.fee)).to.deep.equal(['বিনামূল্যে', 'ঐ', 'ঐ']);
    });

    it('when cells hold entities (&nbsp; &amp; &ndash;) and links (mailto with other text, tel), then the readable text is kept', () => {
      const [, second, third] = sampleResult.services;
      expect(second?.documents).to.equal(nfc('১) প্রতিবন্ধিতা শনাক্তকরণ কার্ড ২) জাতীয় পরিচয়পত্র বা জন্মনিবন্ধন সনদ'));
      expect(third?.documents).to.equal(nfc('প্রতিষ্ঠান প্রধানের প্রত্যয়নপত্র ও ভর্তির রসিদ (প্রতিষ্ঠান থেকে)'));
      const institutional = inSection(sampleResult, 'institutional');
      expect(institutional[2]?.documents).to.equal(nfc('নিরীক্ষা প্রতিবেদন & বার্ষিক প্রতিবেদন'));
      expect(institutional[2]?.officer).to.equal(SAIFUL_TEL);
    });

    it('when the fixture is imported, then no field keeps HTML or entities and all text is NFC', () => {
      for (const s of sampleResult.services) {
        for (const value of [s.name, s.method, s.documents, s.fee, s.timeLimit, s.officer]) {
          expect(value).not.to.match(/[<>]|&[a-z#0-9]+;/i);
          expect(value).to.equal(value.normalize('NFC'));
          expect(value).to.equal(value.trim());
          expect(value).not.to.match(/\s{2}/);
        }
      }
    });

    it('when the fixture is imported, then the expectations and GRS tables, the date and the signature join no service', () => {
      const all = JSON.stringify(sampleResult.services);
      expect(all).not.to.include(nfc('সঠিক তথ্যসহ'));
      expect(all).not.to.include(nfc('অনিক'));
      expect(all).not.to.include('০৩/০৮/২০২৫');
      expect(all).not.to.include(nfc('নবীনগর'));
      expect(sampleResult.services.at(-1)?.officer).to.equal(TAHMINA_PLAIN);
    });

    it('when the fixture is imported, then its vision (on the label line) and mission (the paragraph below its heading) are read', () => {
      expect(sampleResult.vision).to.equal(nfc('সামাজিক সুরক্ষা ও সমন্বিত সমাজকল্যাণের মাধ্যমে সকলের জন্য মর্যাদাপূর্ণ জীবন।'));
      expect(sampleResult.mission).to.equal(nfc('সামাজিক নিরাপত্তা কর্মসূচি, প্রাতিষ্ঠানিক সেবা ও দক্ষতা উন্নয়নের মাধ্যমে অসহায় ও পিছিয়ে পড়া মানুষের জীবনমান উন্নয়ন।'));
    });
  });

  describe('published variations, built from the fixture', () => {
    it('when section headings are plain lines like "২.১। নাগরিক সেবা", then the sections are the same', () => {
      let text = replaceAll(sample, '#### ২.১) নাগরিক সেবা', '২.১। নাগরিক সেবা');
      text = replaceAll(text, '#### ২.২) প্রাতিষ্ঠানিক সেবা', '২.২। প্রাতিষ্ঠানিক সেবা');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when section headings have no numbering ("প্রাতিষ্ঠানিক সেবা", "**২.১) নাগরিক সেবা**", "#### অভ্যন্তরীণ সেবা"), then the sections are the same', () => {
      let text = replaceAll(sample, '#### ২.১) নাগরিক সেবা', '**২.১) নাগরিক সেবা**');
      text = replaceAll(text, '#### ২.২) প্রাতিষ্ঠানিক সেবা', 'প্রাতিষ্ঠানিক সেবা');
      text = replaceAll(text, line(47), '#### অভ্যন্তরীণ সেবা');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when a heading is typed with a different code-point sequence, then it is matched after NFC', () => {
      // The heading fully decomposed (NFD), as some keyboards and converters leave it.
      const text = [line(19), `২.১) অভ্যন্তরীণ সেবা`.normalize('NFD'), line(19), line(43)].join('\n');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services.map((s) => s.section)).to.deep.equal(['internal']);
    });

    it('when the header and column-number rows are repeated after a page break between two rows, then they are skipped', () => {
      const text = withLine(sample, 43, [line(43), '', '', line(19), line(20)].join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(inSection(result, 'institutional')[1]?.row).to.equal(48);
    });

    it('when only the header row is repeated between two rows (no column-number row), then it is skipped', () => {
      const text = withLine(sample, 44, [line(44), line(19)].join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
    });

    it('when there are no column-number rows, then every service is read the same', () => {
      const text = replaceAll(sample, `${line(20)}\n`, '');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(result.services[1]?.row).to.equal(21);
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

    it('when serials are Latin digits or Bangla digits with a dot, dari or bracket, then they are stored in Latin digits, the same', () => {
      let text = withLine(sample, 21, line(21).replace(/^১\.\t/, '1.\t'));
      text = withLine(text, 22, line(22).replace(/^২\.\t/, '2\t'));
      text = withLine(text, 23, line(23).replace(/^৩\.\t/, '৩।\t'));
      text = withLine(text, 43, line(43).replace(/^১\t/, '১)\t'));
      text = withLine(text, 45, line(45).replace(/^৩\t/, '3)\t'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when another row is split inside a cell across a page break (blank lines, header repeated), then it is one service with the cell joined', () => {
      const c = cells(23);
      expect(c[3]).to.equal('প্রতিষ্ঠান প্রধানের প্রত্যয়নপত্র ও ভর্তির রসিদ&nbsp;&nbsp;(প্রতিষ্ঠান থেকে)');
      const before = [...c.slice(0, 3), 'প্রতিষ্ঠান প্রধানের প্রত্যয়নপত্র'].join('\t');
      const after = ['ও ভর্তির রসিদ (প্রতিষ্ঠান থেকে)', ...c.slice(4)].join('\t');
      const text = withLine(sample, 23, [before, '', '', line(19), line(20), after].join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(result.services[2]?.row).to.equal(23);
      expect(result.services[3]?.row).to.equal(29);
    });

    it('when another row is split column by column by a page break (continued under an empty serial), then each cell is joined in its column', () => {
      const c = cells(43);
      const first = [c[0], 'স্বেচ্ছাসেবী সমাজকল্যাণ', 'নির্ধারিত ফরমে আবেদন', ...c.slice(3)].join('\t');
      const rest = ['', 'সংস্থার নিবন্ধন', 'ও সরেজমিন তদন্ত', '', '', '', ''].join('\t');
      expect(`স্বেচ্ছাসেবী সমাজকল্যাণ ${'সংস্থার নিবন্ধন'}`).to.equal(c[1]);
      const text = withLine(sample, 43, [first, '', line(19), line(20), rest].join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
    });

    it('when cells run over several lines (name split, officer on three lines), then each cell is joined with a space', () => {
      const c = cells(23);
      const name = c[1] ?? '';
      const split = name.indexOf(' শিক্ষা উপবৃত্তি');
      expect(split).to.be.greaterThan(0);
      const rowLines = [
        [c[0], name.slice(0, split)].join('\t'),
        [name.slice(split + 1), ...c.slice(2, 6), 'জনাব মোঃ সাইফুল ইসলাম'].join('\t'),
        'সমাজসেবা অফিসার (রেজিঃ)',
        "ফোনঃ ০১৭১১-০০০২০৩ <a href='mailto:saiful.dss@example.gov.bd'>ই-মেইল</a>",
      ];
      const text = withLine(sample, 23, rowLines.join('\n'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
      expect(result.services[2]?.row).to.equal(23);
      expect(result.services[3]?.row).to.equal(27);
    });

    it('when more officer cells are blank, then each copies the nearest officer above in its section', () => {
      let text = withLine(sample, 23, `${cells(23).slice(0, 6).join('\t')}\t`);
      text = withLine(text, 45, cells(45).slice(0, 6).join('\t'));
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(result.services.map((s) => [s.section, s.serial, s.officer, s.officerInherited]).slice(0, 9)).to.deep.equal([
        ['citizen', '1', TAHMINA, false],
        ['citizen', '2', TAHMINA, true],
        ['citizen', '3', TAHMINA, true],
        ['citizen', '4', TAHMINA, true],
        ['citizen', '5', NUSRAT, false],
        ['citizen', '6', ARIFUL, false],
        ['institutional', '1', TAHMINA_LINKED, false],
        ['institutional', '2', TAHMINA_LINKED, true],
        ['institutional', '3', TAHMINA_LINKED, true],
      ]);
    });

    it('when the officer above is a different person, then the copied officer is the nearest one above', () => {
      const other = 'জনাব রহিম উদ্দিন প্রোগ্রামার ফোনঃ ০১৭০০০০০০০০';
      const text = withLine(sample, 43, `${cells(43).slice(0, 6).join('\t')}\t${other}`);
      const result = parseCharter(text);
      const institutional = inSection(result, 'institutional');
      expect(institutional[0]).to.deep.include({ officer: other, officerInherited: false });
      expect(institutional[1]).to.deep.include({ officer: other, officerInherited: true });
      expect(institutional[2]).to.deep.include({ officer: SAIFUL_TEL, officerInherited: false });
    });

    it('when the first service of a section has a blank officer, then nothing is copied across sections', () => {
      const text = withLine(sample, 43, `${cells(43).slice(0, 6).join('\t')}\t`);
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      const institutional = inSection(result, 'institutional');
      expect(institutional[0]).to.deep.include({ officer: '', officerInherited: false });
      expect(institutional[1]).to.deep.include({ officer: '', officerInherited: false });
      expect(institutional[2]).to.deep.include({ officer: SAIFUL_TEL, officerInherited: false });
    });

    it('when rows come before any section heading, then they are citizen services', () => {
      const result = parseCharter([line(19), line(20), line(43), line(44)].join('\n'));
      expect(result.errors).to.deep.equal([]);
      expect(result.services.map((s) => [s.section, s.serial, s.row, s.officerInherited])).to.deep.equal([
        ['citizen', '1', 3, false],
        ['citizen', '2', 4, true],
      ]);
    });

    it('when the expectations and grievance (GRS) tables are left out, then the services are the same: they contributed nothing', () => {
      const lines = sample.split('\n');
      const text = [...lines.slice(0, 53), ...lines.slice(64)].join('\n');
      expect(text).not.to.include('GRS');
      const result = parseCharter(text);
      expect(result.errors).to.deep.equal([]);
      expect(withoutRows(result.services)).to.deep.equal(withoutRows(sampleResult.services));
    });

    it('when the file has a BOM and CRLF line ends, then it reads the same, with the same line numbers', () => {
      const result = parseCharter(`\uFEFF${sample.replace(/\n/g, '\r\n')}`);
      expect(result.errors).to.deep.equal([]);
      expect(result.services).to.deep.equal(sampleResult.services);
      expect(result.vision).to.equal(sampleResult.vision);
      expect(result.mission).to.equal(sampleResult.mission);
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
      const c = cells(22);
      const text = withLine(sample, 22, [c[0], '', ...c.slice(2)].join('\t'));
      const result = parseCharter(text);
      expect(result.errors).to.have.length(1);
      expect(result.errors[0]).to.deep.include({ row: 22 });
      expect(result.errors[0]?.messageEn).to.include('service name');
      expect(result.services).to.have.length(11);
      expect(inSection(result, 'citizen').map((s) => s.serial)).to.deep.equal(['1', '3', '4', '5', '6']);
    });

    it('when a tab-separated row has no serial and continues no row, then it gives an error and the rows around it are read', () => {
      const bad = ['ক', 'অজানা সেবা', 'সরাসরি', 'আবেদন', 'বিনামূল্যে', '৩ দিন', 'জনাব খ'].join('\t');
      const text = withLine(sample, 46, bad);
      const result = parseCharter(text);
      expect(result.errors.map((e) => e.row)).to.deep.equal([46]);
      expect(result.errors[0]?.messageEn).to.include('no serial number');
      expect(result.services).to.deep.equal(sampleResult.services);
    });

    it('when a row has more than 7 filled columns, then it gives an error', () => {
      const result = parseCharter([line(19), `${line(43)}\tমন্তব্য`, line(44)].join('\n'));
      expect(result.errors.map((e) => e.row)).to.deep.equal([2]);
      expect(result.errors[0]?.messageEn).to.include('8 columns');
      expect(result.services.map((s) => s.serial)).to.deep.equal(['2']);
    });

    it('when rows after the header are typed with spaces instead of tabs, then each gives an error saying so', () => {
      const text = [
        line(19),
        line(20),
        '১ বয়স্ক ভাতা প্রদান অনলাইনে আবেদন ও যাচাই',
        '২ অসচ্ছল প্রতিবন্ধী ভাতা প্রদান বিনামূল্যে',
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
