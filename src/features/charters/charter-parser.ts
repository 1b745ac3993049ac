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
 *
 * This file holds the row reading (parseCharter); beside it: cell text in charter-text.ts, line kinds and headings
 * in charter-lines.ts, time limits in charter-time-limit.ts, the result types in charter-parser.types.ts.
 */
import { normaliseText, toBanglaDigits, toLatinDigits } from '../../lib/index.js';
import {
  classifyHeading,
  isColumnNumberRow,
  isHeaderRow,
  isSerial,
  looksLikeUntabbedRow,
  OTHER_TABLE_HEADER_RE,
  SERVICE_TABLE_HEADER_RE,
} from './charter-lines.js';
import type { CharterParseError, CharterParseResult, CharterSection, CharterService } from './charter-parser.types.js';
import { cleanCellText } from './charter-text.js';
import { parseTimeLimitDays } from './charter-time-limit.js';

export type { CharterParseError, CharterParseResult, CharterSection, CharterService } from './charter-parser.types.js';
export { cleanCellText, decodeEntities } from './charter-text.js';
export { parseTimeLimitDays } from './charter-time-limit.js';

const COLUMNS = 7;

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
