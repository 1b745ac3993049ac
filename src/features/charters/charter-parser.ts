/**
 * Reads a citizen charter (সিটিজেন চার্টার) as offices publish it: the text copied from the charter page or
 * document, with the services as tab-separated rows of 7 columns (domain.md, "Citizen charters"): serial,
 * service name, delivery method, required papers and where to get them, fee and payment method, time limit,
 * responsible officer. Pure: no database, no I/O. The caller shows the result as a preview (services and row
 * errors side by side) and decides what to store.
 *
 * What published charters look like, and how each thing is read:
 * - Section headings for the three service lists, as markdown (`#### ২.১) নাগরিক সেবা`) or plain lines
 *   (`২.১। নাগরিক সেবা`, `অভ্যন্তরীণ সেবা`), numbering optional: the words নাগরিক / প্রাতিষ্ঠানিক /
 *   অভ্যন্তরীণ choose citizen / institutional / internal. Rows before any such heading are citizen services.
 * - Header rows (ক্রমিক নং, সেবার নাম, ...) and the column-number row `(১) (২) … (৭)` are skipped wherever they
 *   appear (offices repeat them after page breaks), and neither is required.
 * - A row starts with a line whose first cell is a serial alone (`১.`, `১`, `১০.`, `1`, `১)`, `১।`) and that has
 *   at least one tab. `(১)` is a column number, never a serial.
 * - Continuations, all joined with a space:
 *   - while a row has fewer than 7 cells, the next line (blank lines, repeated header rows and column-number
 *     rows in between are skipped: a page break) continues it: its first cell continues the row's last cell
 *     and its other cells are the row's next cells (a multi-line cell, as tab-separated text carries it);
 *   - a line whose first cell is empty but which has tabs continues the row column by column (a row that a page
 *     break split, continued on the next page under an empty serial);
 *   - a line without tabs directly after a complete row (no blank line between) continues its last cell, the
 *     officer (name, designation and phone on separate lines).
 *   A line without tabs after a blank line is prose (dates, signature, notes) and ends the row: the sample
 *   charter ends with the signing officer's name and office, which must not join the last service.
 * - HTML fragments: tags are dropped, link text kept, and the address of a mailto:, tel: or http(s) link kept
 *   after the text when the text does not already show it (`<a href="mailto:x@y">x@y</a>` → `x@y`,
 *   `<a href="mailto:x@y">ই-মেইল</a>` → `ই-মেইল (x@y)`); entities (&amp; &nbsp; &#2437; ...) are decoded.
 *   All text is NFC with whitespace collapsed.
 * - A blank officer cell means "as above" (a merged cell in the original table): the officer of the previous
 *   service in the same section is copied and `officerInherited` is set. A row with 6 cells is read as a row
 *   whose blank officer cell was dropped at the end of the line (exports drop trailing empty cells). The first
 *   service of a section with no officer keeps an empty officer.
 * - Tables that are not service lists (আপনার কাছে আমাদের প্রত্যাশা, অভিযোগ প্রতিকার ব্যবস্থাপনা / GRS), found by
 *   their heading or header row, are skipped without errors until the next service heading or header row.
 * - Vision (ভিশন / রূপকল্প) and mission (মিশন / অভিলক্ষ্য) are read from their headings (text on the heading line
 *   after a colon, or the paragraph below it).
 * - Each row that cannot be read gives an error (Bangla and English) with the line where the row starts, and
 *   reading continues. A file with no service rows and no row errors gives one error with row 0 (the file).
 *
 * Row numbers are 1-based lines of the input (CRLF, CR and LF all end a line; a leading BOM is ignored).
 */
import { normaliseText, toBanglaDigits, toLatinDigits } from '../../lib/index.js';

export type CharterSection = 'citizen' | 'institutional' | 'internal';

export interface CharterService {
  section: CharterSection;
  /** Serial as written, in Latin digits, without its punctuation: '১.' → '1', '১০' → '10', '০৭' → '07'. */
  serial: string;
  name: string;
  /** সেবা প্রদান পদ্ধতি. */
  method: string;
  /** প্রয়োজনীয় কাগজপত্র ও প্রাপ্তিস্থান. */
  documents: string;
  /** সেবার মূল্য ও পরিশোধ পদ্ধতি, as written. */
  fee: string;
  /** সেবা প্রদানের সময়সীমা, as written. */
  timeLimit: string;
  /** parseTimeLimitDays(timeLimit). */
  timeLimitDays: number | null;
  /** Name, designation, phone, e-mail, as written (HTML removed). */
  officer: string;
  /** True when the officer cell was blank and the previous service's officer was copied. */
  officerInherited: boolean;
  /** Line of the input where the row starts, 1-based. */
  row: number;
}

export interface CharterParseError {
  /** Line of the input where the unreadable row starts, 1-based; 0 for the whole file. */
  row: number;
  /** Bangla message for the user. */
  message: string;
  messageEn: string;
}

export interface CharterParseResult {
  services: CharterService[];
  errors: CharterParseError[];
  vision?: string;
  mission?: string;
}

const COLUMNS = 7;

/** Builds a RegExp from Bangla source text in NFC, the form every input is compared in. */
function re(source: string, flags = 'u'): RegExp {
  return new RegExp(source.normalize('NFC'), flags);
}

// ---------------------------------------------------------------------------------------------------------
// Cell text: HTML, entities, whitespace

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  times: '×',
  copy: '©',
  reg: '®',
  shy: '',
  zwj: '\u200D',
  zwnj: '\u200C',
};

/** Decodes HTML character references once (so `&amp;lt;` becomes the text `&lt;`); unknown names stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const LINK_RE = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF_RE = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
/** Tags that separate words (line and block breaks): replaced by a space. */
const BREAK_TAG_RE = /<\/?(?:br|p|div|li|ul|ol|tr|td|th|table|tbody|thead|h[1-6]|hr)\b[^>]*>/gi;
/** Any other tag or comment: removed. A '<' not followed by a Latin letter (e.g. '< ৫ দিন') is text. */
const TAG_RE = /<!--[\s\S]*?-->|<\/?[a-z][a-z0-9-]*(?:\s[^>]*)?\/?>/gi;

function stripTags(s: string): string {
  return s.replace(BREAK_TAG_RE, ' ').replace(TAG_RE, '');
}

function safeDecodeUri(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A link as readable text: its text, followed by the address in parentheses when the text does not show it. */
function linkText(attrs: string, inner: string): string {
  const m = HREF_RE.exec(attrs);
  const href = decodeEntities((m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim());
  const text = normaliseText(decodeEntities(stripTags(inner)));
  let address = '';
  if (/^mailto:/i.test(href)) address = safeDecodeUri(href.slice('mailto:'.length).split('?')[0] ?? '');
  else if (/^tel:/i.test(href)) address = safeDecodeUri(href.slice('tel:'.length));
  else if (/^https?:\/\//i.test(href)) address = href;
  address = address.trim();
  if (!address) return text;
  if (!text) return address;
  const shown = text.toLowerCase();
  const bare = address
    .toLowerCase()
    .replace(/^https?:\/\/(?:www\.)?/, '')
    .replace(/\/$/, '');
  if (shown.includes(address.toLowerCase()) || shown.includes(bare)) return text;
  return `${text} (${address})`;
}

/** Cell text as stored: links made readable, tags dropped, entities decoded, NFC, whitespace collapsed. */
export function cleanCellText(s: string): string {
  const withLinks = s.replace(LINK_RE, (_whole, attrs: string, inner: string) => linkText(attrs, inner));
  const text = decodeEntities(stripTags(withLinks)).replace(/[\u200B\u00AD\uFEFF]/g, '');
  return normaliseText(text);
}

// ---------------------------------------------------------------------------------------------------------
// Line kinds

/** A serial alone in the first cell: digits with an optional '.', ')', '।' or ':' after them. */
const SERIAL_RE = /^[0-9০-৯]{1,4}\s*[.)।:]?$/u;
const COLUMN_NUMBER_RE = /^\(?\s*([0-9০-৯]{1,2})\s*\)?$/u;

function isSerial(cell: string): boolean {
  return SERIAL_RE.test(cell);
}

/** `(১) (২) (৩) …` (or without parentheses): the numbers 1, 2, 3, … in order, at least three of them. */
function isColumnNumberRow(nonEmpty: readonly string[]): boolean {
  if (nonEmpty.length < 3) return false;
  return nonEmpty.every((cell, i) => {
    const m = COLUMN_NUMBER_RE.exec(cell);
    return m !== null && Number(toLatinDigits(m[1] ?? '')) === i + 1;
  });
}

const HEADER_FIRST_CELL_RE = re(String.raw`^(?:ক্রমিক|ক্রঃ|ক্র\s*\.|ক্র\s*নং|নং\s*$|sl\b|s\.\s*no|serial|no\.?\s*$)`, 'iu');
const SERVICE_NAME_HEADER_RE = re(String.raw`^সেবার\s*(?:নাম|বিবরণ)(?![\p{L}\p{M}])|^service`, 'iu');
const SERVICE_TABLE_HEADER_RE = re(String.raw`সেবার\s*(?:নাম|বিবরণ)|service`, 'iu');
/** Header words of the other tables of a charter: expectations (করণীয়) and grievance redress (GRS). */
const OTHER_TABLE_HEADER_RE = re(String.raw`করণীয়|কখন\s*যোগাযোগ|অভিযোগ|grievance`, 'iu');

function isHeaderRow(cells: readonly string[]): boolean {
  return HEADER_FIRST_CELL_RE.test(cells[0] ?? '') || cells.some((c) => c.length <= 40 && SERVICE_NAME_HEADER_RE.test(c));
}

/** A table row typed with spaces instead of tabs: a serial, space, then text. */
function looksLikeUntabbedRow(text: string): boolean {
  return text.length >= 15 && /^[0-9০-৯]{1,3}\s*[.)।]?\s+\S/u.test(text);
}

type Heading =
  | { kind: 'section'; section: CharterSection }
  | { kind: 'services' }
  | { kind: 'other' }
  | { kind: 'vision' | 'mission'; text: string }
  | { kind: 'plain' };

/** `২.১)`, `২.১।`, `(২.১)`, `2.1.`, `৩)`, `ক)` before a heading's words. */
const NUMBERING_RE = /^\(?\s*(?:[0-9০-৯]+(?:\s*\.\s*[0-9০-৯]+)*\s*(?:[.)।:]|ঃ)?|[ক-ঙ]\s*[.)।])\s*/u;

const SECTION_WORDS: readonly (readonly [RegExp, CharterSection])[] = [
  [re(String.raw`নাগরিক(?!\s*সনদ)|citizen(?!'?s?\s*charter)`, 'iu'), 'citizen'],
  [re(String.raw`প্রাতিষ্ঠানিক|institutional`, 'iu'), 'institutional'],
  [re(String.raw`অভ্যন্তরী[ণন]|internal`, 'iu'), 'internal'],
];
/** Plain (non-markdown) section heading: the words, then সেবা, and little else. */
const PLAIN_SECTION_RE = re(
  String.raw`^(?:নাগরিক|প্রাতিষ্ঠানিক|অভ্যন্তরী[ণন])\s*সেবা(?:\s*সমূহ)?\s*(?:\([^()]*\))?\s*[:ঃ।]?$|^(?:citizen|institutional|internal)\s+services?\s*:?$`,
  'iu',
);
const VISION_RE = re(String.raw`^(?:ভিশন|রূপকল্প|vision)(?![\p{L}\p{M}])\s*(?:\([^()]*\))?\s*([:ঃ\-–]?)\s*([\s\S]*)$`, 'iu');
const MISSION_RE = re(String.raw`^(?:মিশন|অভিলক্ষ্য|mission)(?![\p{L}\p{M}])\s*(?:\([^()]*\))?\s*([:ঃ\-–]?)\s*([\s\S]*)$`, 'iu');
const BOTH_RE = re(String.raw`(?:ভিশন|রূপকল্প|vision)[\s\S]*(?:মিশন|অভিলক্ষ্য|mission)`, 'iu');
const OTHER_HEADING_RE = re(String.raw`প্রত্যাশা|অভিযোগ|\bGRS\b|grievance|আপনার\s*কাছে`, 'iu');
const PLAIN_OTHER_HEADING_RE = re(String.raw`^(?:আপনার\s*কাছে|অভিযোগ\s*(?:প্রতিকার|ব্যবস্থাপনা))|\bGRS\b`, 'iu');
/** A numbered section title: the section word, then সেবা (`২.১) নাগরিক সেবা প্রদান`). */
const NUMBERED_SECTION_RE = re(String.raw`^\S+\s*সেবা`, 'u');
const SERVICES_HEADING_RE = re(String.raw`প্রতিশ্রুত\s*সেবা|সেবা\s*সমূহ|^সেবাসমূহ`, 'u');

/**
 * What a one-cell line is, if it is a heading. Markdown headings ('#') are always headings. A plain line is one
 * only when it reads as one: exactly a section title (`২.১। নাগরিক সেবা`, `অভ্যন্তরীণ সেবা`) always; a numbered
 * title or a vision/mission label only when no row is being continued, so that a line of a multi-line cell
 * (`২। অভিযোগ দাখিলের মাধ্যমে`) is not taken for a heading.
 */
function classifyHeading(text: string, continuingRow: boolean): Heading | null {
  const markdown = /^#{1,6}(?:\s|$)/.test(text);
  const t = text
    .replace(/^#{1,6}\s*/, '')
    .replace(/^[*_\s]+|[*_\s]+$/g, '')
    .trim();
  const numbering = NUMBERING_RE.exec(t)?.[0] ?? '';
  const numbered = numbering.trim() !== '';
  const rest = t.slice(numbering.length).trim();
  const sectionOf = (): CharterSection | undefined => SECTION_WORDS.find(([pattern]) => pattern.test(rest))?.[1];

  if (!markdown && PLAIN_SECTION_RE.test(rest)) {
    const section = sectionOf();
    if (section) return { kind: 'section', section };
  }
  if (!markdown && continuingRow) return null;

  if (!BOTH_RE.test(rest)) {
    for (const [pattern, kind] of [
      [VISION_RE, 'vision'],
      [MISSION_RE, 'mission'],
    ] as const) {
      const m = pattern.exec(rest);
      // A plain line is a label only with a colon after the word, or with nothing after it.
      if (m && (markdown || m[1] !== '' || (m[2] ?? '') === '')) return { kind, text: (m[2] ?? '').trim() };
    }
  }
  const section = sectionOf();
  if (section && (markdown || (numbered && rest.length <= 60 && NUMBERED_SECTION_RE.test(rest)))) return { kind: 'section', section };
  if (markdown ? OTHER_HEADING_RE.test(rest) : numbered && rest.length <= 80 && PLAIN_OTHER_HEADING_RE.test(rest)) return { kind: 'other' };
  if ((markdown || numbered) && rest.length <= 80 && SERVICES_HEADING_RE.test(rest)) return { kind: 'services' };
  return markdown ? { kind: 'plain' } : null;
}

// ---------------------------------------------------------------------------------------------------------
// Messages

const MESSAGES = {
  tooFew: (n: number) => ({
    message: `এই সারিতে ${toBanglaDigits(n)}টি ঘর আছে; সেবার সারিতে ৭টি ঘর (ক্রমিক নং থেকে দায়িত্বপ্রাপ্ত কর্মকর্তা) থাকার কথা। সারিটি পড়া যায়নি।`,
    messageEn: `This row has ${n} of the 7 columns (serial to responsible officer); it could not be read as a service.`,
  }),
  tooMany: (n: number) => ({
    message: `এই সারিতে ${toBanglaDigits(n)}টি ঘর আছে, ৭টির বেশি; কোন লেখা কোন কলামের তা বোঝা যায়নি। সারিটি পড়া যায়নি।`,
    messageEn: `This row has ${n} columns, more than the 7 of a citizen charter; the columns could not be matched, so the row was not read.`,
  }),
  noName: () => ({
    message: 'সেবার নাম (২য় কলাম) খালি। সারিটি পড়া যায়নি।',
    messageEn: 'The service name (column 2) is empty; the row could not be read.',
  }),
  noSerial: () => ({
    message: 'এই সারির প্রথম ঘরে ক্রমিক নম্বর নেই, আর এটি আগের কোনো সারির ধারাবাহিক অংশও নয়। সারিটি পড়া যায়নি।',
    messageEn: 'The first column of this row holds no serial number and the row does not continue a row above; it could not be read.',
  }),
  untabbed: () => ({
    message: 'এই সারির ঘরগুলো ট্যাব দিয়ে আলাদা করা নেই। সারিটি পড়া যায়নি।',
    messageEn: 'The columns of this row are not separated by tabs; it could not be read.',
  }),
  noServices: () => ({
    message: 'ফাইলে কোনো সেবার সারি পাওয়া যায়নি। সিটিজেন চার্টারের সেবাগুলো ট্যাব দিয়ে আলাদা ৭টি কলামে থাকার কথা, প্রথম ঘরে ক্রমিক নম্বর।',
    messageEn:
      'No service rows were found. A citizen charter lists its services in 7 tab-separated columns, starting with a serial number.',
  }),
} as const;

// ---------------------------------------------------------------------------------------------------------
// Parser

interface PendingRow {
  row: number;
  section: CharterSection;
  /** Raw cell texts; continuation lines are joined with '\n' and collapsed when the row is finished. */
  cells: string[];
}

/** The next line continues the last cell; its further cells are the next cells. */
function mergeStream(target: string[], segments: readonly string[]): void {
  if (target.length === 0) {
    target.push(...segments);
    return;
  }
  const last = target.length - 1;
  target[last] = `${target[last] ?? ''}\n${segments[0] ?? ''}`;
  target.push(...segments.slice(1));
}

/** The next line continues each cell in its own column. */
function mergeAligned(target: string[], segments: readonly string[]): void {
  segments.forEach((segment, i) => {
    if (segment.trim() === '') return;
    while (target.length < i) target.push('');
    const before = target[i];
    target[i] = before !== undefined && before.trim() !== '' ? `${before}\n${segment}` : segment;
  });
}

type LastLine = 'none' | 'blank' | 'heading' | 'header' | 'columns' | 'data' | 'prose' | 'bad' | 'other';

/** Parses a citizen charter's text; see the module comment for what is accepted. Never throws on bad input. */
export function parseCharter(text: string): CharterParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const services: CharterService[] = [];
  const errors: CharterParseError[] = [];
  const lastOfficer = new Map<CharterSection, string>();
  const paragraphs: Record<'vision' | 'mission', string[]> = { vision: [], mission: [] };

  let section: CharterSection = 'citizen';
  let inServiceTables = true;
  let current: PendingRow | null = null;
  let header: string[] | null = null;
  let last: LastLine = 'none';
  let collecting: 'vision' | 'mission' | null = null;

  const fail = (row: number, m: { message: string; messageEn: string }): void => {
    errors.push({ row, ...m });
  };

  const finishRow = (): void => {
    if (!current) return;
    const { row, section: rowSection } = current;
    const cells = current.cells.map(cleanCellText);
    current = null;
    while (cells.length > COLUMNS && cells[cells.length - 1] === '') cells.pop();
    if (cells.length > COLUMNS) return fail(row, MESSAGES.tooMany(cells.length));
    if (cells.length < COLUMNS - 1) return fail(row, MESSAGES.tooFew(cells.length));
    const [serialCell = '', name = '', method = '', documents = '', fee = '', timeLimit = '', officerCell = ''] = cells;
    if (name === '') return fail(row, MESSAGES.noName());
    const inherited = officerCell === '' ? lastOfficer.get(rowSection) : undefined;
    const officer = inherited ?? officerCell;
    if (officer !== '') lastOfficer.set(rowSection, officer);
    services.push({
      section: rowSection,
      serial: toLatinDigits(serialCell).replace(/[^0-9]/g, ''),
      name,
      method,
      documents,
      fee,
      timeLimit,
      timeLimitDays: parseTimeLimitDays(timeLimit),
      officer,
      officerInherited: inherited !== undefined,
      row,
    });
  };

  lines.forEach((line, index) => {
    const row = index + 1;
    const raw = line.split('\t');
    const cells = raw.map(cleanCellText);
    const nonEmpty = cells.filter((c) => c !== '');
    const hasTabs = raw.length > 1;
    const first = cells[0] ?? '';

    if (nonEmpty.length === 0) {
      if (collecting && paragraphs[collecting].length > 0) collecting = null;
      last = 'blank';
      return;
    }

    // Headings: lines with one cell of text, the first.
    if (nonEmpty.length === 1 && first !== '') {
      const continuingRow = current !== null && (current.cells.length < COLUMNS || last === 'data');
      const heading = classifyHeading(first, continuingRow);
      if (heading) {
        finishRow();
        header = null;
        collecting = null;
        last = 'heading';
        if (heading.kind === 'section') {
          section = heading.section;
          inServiceTables = true;
        } else if (heading.kind === 'services') {
          inServiceTables = true;
        } else if (heading.kind === 'other') {
          inServiceTables = false;
        } else if (heading.kind === 'vision' || heading.kind === 'mission') {
          collecting = heading.kind;
          if (heading.text) paragraphs[heading.kind].push(heading.text);
        }
        return;
      }
    }

    if (collecting && !hasTabs) {
      paragraphs[collecting].push(first);
      last = 'prose';
      return;
    }
    collecting = null;

    if (isColumnNumberRow(nonEmpty)) {
      header = null;
      last = 'columns';
      return;
    }

    if (hasTabs && isSerial(first)) {
      finishRow();
      header = null;
      if (!inServiceTables) {
        last = 'other';
        return;
      }
      current = { row, section, cells: raw.slice() };
      last = 'data';
      return;
    }

    if (hasTabs && isHeaderRow(cells)) {
      const joined = nonEmpty.join(' ');
      if (SERVICE_TABLE_HEADER_RE.test(joined)) inServiceTables = true;
      else if (OTHER_TABLE_HEADER_RE.test(joined) || nonEmpty.length < 5) inServiceTables = false;
      if (!inServiceTables) finishRow();
      header = raw.slice();
      last = 'header';
      return;
    }

    // A header row's cells written over several lines.
    if (last === 'header' && header && (header.length < COLUMNS ? true : !hasTabs && !looksLikeUntabbedRow(first))) {
      mergeStream(header, raw);
      return;
    }

    if (!inServiceTables) {
      last = 'other';
      return;
    }

    if (current) {
      if (current.cells.length < COLUMNS) {
        mergeStream(current.cells, raw);
        last = 'data';
        return;
      }
      if (hasTabs && first === '') {
        mergeAligned(current.cells, raw);
        last = 'data';
        return;
      }
      // A multi-line officer cell; after a column-number row, the officer cell continued after a page break.
      if (!hasTabs && (last === 'data' || (last === 'columns' && !looksLikeUntabbedRow(first)))) {
        mergeStream(current.cells, raw);
        last = 'data';
        return;
      }
    }

    finishRow();
    if (!hasTabs) {
      if ((last === 'header' || last === 'columns' || last === 'bad') && looksLikeUntabbedRow(first)) {
        fail(row, MESSAGES.untabbed());
        last = 'bad';
      } else {
        last = 'prose';
      }
      return;
    }
    fail(row, MESSAGES.noSerial());
    last = 'bad';
  });
  finishRow();

  if (services.length === 0 && errors.length === 0) fail(0, MESSAGES.noServices());

  const result: CharterParseResult = { services, errors };
  const vision = normaliseText(paragraphs.vision.join(' '));
  const mission = normaliseText(paragraphs.mission.join(' '));
  if (vision) result.vision = vision;
  if (mission) result.mission = mission;
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Time limits

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(
  (
    [
      ['এক', 1],
      ['দুই', 2],
      ['তিন', 3],
      ['চার', 4],
      ['পাঁচ', 5],
      ['ছয়', 6],
      ['সাত', 7],
      ['আট', 8],
      ['নয়', 9],
      ['দশ', 10],
      ['এগারো', 11],
      ['এগার', 11],
      ['বারো', 12],
      ['বার', 12],
      ['তেরো', 13],
      ['তের', 13],
      ['চৌদ্দ', 14],
      ['পনেরো', 15],
      ['পনের', 15],
      ['ষোলো', 16],
      ['ষোল', 16],
      ['সতেরো', 17],
      ['সতের', 17],
      ['আঠারো', 18],
      ['আঠার', 18],
      ['উনিশ', 19],
      ['বিশ', 20],
      ['কুড়ি', 20],
      ['একুশ', 21],
      ['বাইশ', 22],
      ['তেইশ', 23],
      ['চব্বিশ', 24],
      ['পঁচিশ', 25],
      ['ত্রিশ', 30],
      ['পঁয়তাল্লিশ', 45],
      ['ষাট', 60],
      ['নব্বই', 90],
      ['one', 1],
      ['two', 2],
      ['three', 3],
      ['four', 4],
      ['five', 5],
      ['six', 6],
      ['seven', 7],
      ['eight', 8],
      ['nine', 9],
      ['ten', 10],
      ['fifteen', 15],
      ['twenty', 20],
      ['thirty', 30],
    ] as const
  ).map(([word, n]) => [word.normalize('NFC'), n] as const),
);

const WORD_ALTERNATION = [...NUMBER_WORDS.keys()].sort((a, b) => b.length - a.length).join('|');
const AMOUNT = String.raw`(\d+(?:\.\d+)?|${WORD_ALTERNATION})`;

type Unit = 'day' | 'week' | 'month' | 'year' | 'hour' | 'minute';
const UNITS: readonly (readonly [Unit, string])[] = [
  ['day', String.raw`কার্য\s*দিবস|কর্ম\s*দিবস|কার্য\s*দিন|কর্ম\s*দিন|দিবস|দিন|(?:working|business|calendar)\s+days?|days?`],
  ['week', String.raw`সপ্তাহ|weeks?`],
  ['month', String.raw`মাস|months?`],
  ['year', String.raw`বছর|বৎসর|years?`],
  ['hour', String.raw`ঘণ্টা|ঘন্টা|hours?|hrs?`],
  ['minute', String.raw`মিনিট|minutes?|mins?`],
];

/** An amount or range, an optional parenthesis (`০৩ (তিন) কার্যদিবস`), then a unit. */
const FIGURE_RE = re(
  String.raw`(?<![\p{L}\p{M}\p{N}.])${AMOUNT}(?:\s*(?:-|–|—|থেকে|হতে|to)\s*${AMOUNT})?\s*(?:\([^()]*\)\s*)?(?:${UNITS.map(([, u]) => `(${u})`).join('|')})`,
  'giu',
);
const IMMEDIATE_RE = re(
  String.raw`তা(?:ৎ|ত্\u200D?)ক্ষ[ণন]িক|সঙ্গে\s*সঙ্গে|সাথে\s*সাথে|একই\s*দিন|immediate|instant|same\s*day|on\s*the\s*spot`,
  'giu',
);

function amountValue(s: string): number {
  return /^\d/.test(s) ? Number(s) : (NUMBER_WORDS.get(s.toLowerCase()) ?? NaN);
}

function toDays(amount: number, unit: Unit): number {
  switch (unit) {
    case 'day':
      return amount;
    case 'week':
      return amount * 7;
    case 'month':
      return amount * 30;
    case 'year':
      return amount * 365;
    case 'hour':
      return amount < 24 ? 0 : amount / 24;
    case 'minute':
      return amount < 24 * 60 ? 0 : amount / (24 * 60);
  }
}

/**
 * The number of days in a charter's time limit, for comparing and sorting (TCV "time"):
 * - the largest figure given: `তাৎক্ষণিক/ ৩ কার্যদিবস` → 3, `৩-৫ কার্যদিবস` → 5, `০৩ (তিন) কার্যদিবস` → 3;
 * - কার্যদিবস, কর্মদিবস, দিবস and দিন all count as given: the figure is not converted between working and
 *   calendar days (`১৫ দিন` → 15, `৭ কর্মদিবস` → 7);
 * - longer units in calendar days: সপ্তাহ 7, মাস 30 (`১ মাস` / `এক মাস` → 30), বছর 365; hours and minutes under
 *   a day count as 0 (same day, like তাৎক্ষণিক), longer ones are rounded up to whole days (`৭২ ঘণ্টা` → 3);
 * - a figure without a unit counts only when it is all the text says apart from তাৎক্ষণিক (`৩`, `তাৎক্ষণিক/ ৩`);
 *   dates and other numbers in sentences are not time limits;
 * - 0 for তাৎক্ষণিক (or সঙ্গে সঙ্গে, একই দিনে) with no figure; null when nothing can be read
 *   (`প্রয়োজন অনুযায়ী`, empty).
 * Bangla and Latin digits and Bangla number words (এক … ত্রিশ) are read. Fractions round up to a whole day.
 */
export function parseTimeLimitDays(text: string): number | null {
  const t = toLatinDigits(normaliseText(text));
  if (t === '') return null;
  let max: number | null = null;
  for (const m of t.matchAll(FIGURE_RE)) {
    const unitIndex = UNITS.findIndex((_, i) => m[3 + i] !== undefined);
    const unit = UNITS[unitIndex]?.[0];
    if (!unit) continue;
    for (const a of [m[1], m[2]]) {
      if (a === undefined) continue;
      const days = toDays(amountValue(a), unit);
      if (Number.isFinite(days)) max = max === null ? days : Math.max(max, days);
    }
  }
  if (max !== null) return Math.ceil(max);

  const bare = t
    .replace(IMMEDIATE_RE, ' ')
    .replace(/\([^()]*\)/g, ' ')
    .replace(/^[\s/,;|।.]+|[\s/,;|।.]+$/g, '');
  const range = /^(\d+(?:\.\d+)?)(?:\s*[-–—]\s*(\d+(?:\.\d+)?))?$/.exec(bare);
  if (range) return Math.ceil(Math.max(Number(range[1]), Number(range[2] ?? 0)));
  IMMEDIATE_RE.lastIndex = 0;
  return IMMEDIATE_RE.test(t) ? 0 : null;
}
