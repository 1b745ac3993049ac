/**
 * Parses the CSV file in which an administrator uploads upazilas (domain.md, "Geography": upazilas are data,
 * not reference code). Pure: no database, no I/O. The caller shows the result as a preview (good rows and
 * row errors side by side) and decides what to store.
 *
 * Lenient in what it accepts:
 * - columns are found by header name, in Bangla or English, ignoring case, spaces, '_', '-' and '.';
 *   unknown columns are ignored;
 * - comma, semicolon or tab delimiter, chosen from the header line;
 * - UTF-8 BOM, CRLF / LF / CR line ends, quoted fields with delimiters and newlines, blank lines (also lines
 *   of empty cells, as spreadsheets export them), surrounding whitespace; all text is NFC-normalised;
 * - district as ISO code (BD-27), BBS code (47, ৪৭) or name (Khulna, খুলনা, "Khulna District");
 * - geo code in Latin or Bangla digits, as the 2-digit upazila code (64), the 4-digit district + upazila code
 *   (4764), or the 6-digit division + district + upazila code (404764); leading zeros that a spreadsheet
 *   dropped are restored (7 → 07, 164 → 0164).
 *
 * Row numbers are the row of the file as a spreadsheet shows it: the header is row 1 when it is the first
 * line, blank lines count, and a record whose quoted field spans several lines is one row.
 */
import { parse } from 'csv-parse/sync';
import { normaliseText, searchKey, toBanglaDigits, toLatinDigits } from '../../lib/index.js';
import { DIVISIONS, findDistrict, type District } from './reference/bd-geography.js';

export interface UpazilaRow {
  /** Row in the file (header = row 1). */
  row: number;
  district: District;
  /** NFC-normalised, whitespace collapsed. */
  nameBn: string;
  nameEn: string | undefined;
  /** 4 Latin digits: the district's BBS code followed by the 2-digit upazila code, e.g. '4764'. */
  geoCode: string;
  /** True when options.existingGeoCodes holds geoCode: not an error, the caller chooses to skip or update. */
  duplicateOfExisting: boolean;
}

export interface UpazilaImportError {
  /** Row in the file (header = row 1). */
  row: number;
  /** Bangla message for the administrator. */
  message: string;
  messageEn: string;
}

export interface UpazilaImportResult {
  rows: UpazilaRow[];
  errors: UpazilaImportError[];
}

export interface ParseUpazilaCsvOptions {
  /** Geo codes already stored (4 Latin digits, as UpazilaRow.geoCode). */
  existingGeoCodes?: ReadonlySet<string>;
}

type Column = 'district' | 'nameBn' | 'nameEn' | 'geoCode';

/** Header names, as header keys (see headerKey). */
const HEADER_ALIASES: Readonly<Record<Column, readonly string[]>> = {
  district: ['district', 'zila', 'zilla', 'districtname', 'জেলা', 'জেলার নাম'],
  nameBn: ['name_bn', 'nameBn', 'upazila', 'upazila_bn', 'upazilla', 'উপজেলা', 'নাম', 'উপজেলার নাম', 'বাংলা নাম'],
  nameEn: ['name_en', 'nameEn', 'upazila_en', 'english', 'english name', 'ইংরেজি নাম'],
  geoCode: ['geocode', 'geo_code', 'bbs_code', 'code', 'upazila_code', 'জিও কোড', 'কোড', 'বিবিএস কোড'],
};

const REQUIRED: readonly Column[] = ['district', 'nameBn', 'geoCode'];

const COLUMN_LABEL: Readonly<Record<Column, { bn: string; en: string }>> = {
  district: { bn: 'জেলা (district / জেলা)', en: 'district (district / জেলা)' },
  nameBn: { bn: 'উপজেলার বাংলা নাম (name_bn / উপজেলা)', en: 'Bangla name (name_bn / উপজেলা)' },
  nameEn: { bn: 'ইংরেজি নাম (name_en)', en: 'English name (name_en)' },
  geoCode: { bn: 'জিও কোড (geocode / কোড)', en: 'geo code (geocode / কোড)' },
};

/** Case, whitespace, '_', '-', '.' and zero-width characters do not matter in header names. */
function headerKey(s: string): string {
  return searchKey(s).replace(/[\s_.\-\u200B-\u200D\uFEFF]/g, '');
}

const COLUMN_BY_KEY = new Map<string, Column>();
for (const [column, names] of Object.entries(HEADER_ALIASES) as [Column, readonly string[]][]) {
  for (const name of names) COLUMN_BY_KEY.set(headerKey(name), column);
}

const DELIMITERS = [',', ';', '\t'] as const;

/** Past this many unreadable records the file is clearly not a CSV of upazilas; stop reading it. */
const MAX_UNREADABLE = 20;

const BENGALI_SCRIPT = /[\u0980-\u09FF]/;

interface RawRecord {
  row: number;
  fields: string[];
}

interface Unreadable {
  row: number;
  code: string;
}

function isBlank(fields: readonly string[]): boolean {
  return fields.every((f) => normaliseText(f) === '');
}

function csvErrorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) return code;
  }
  return undefined;
}

/**
 * Reads all records. A record csv-parse cannot read (e.g. a quote that is never closed) is reported as
 * unreadable and reading resumes on the line after its first line, so one bad record does not hide the rest.
 */
function readRecords(lines: readonly string[], delimiter: string): { records: RawRecord[]; unreadable: Unreadable[] } {
  const records: RawRecord[] = [];
  const unreadable: Unreadable[] = [];
  let startLine = 0; // index into lines of the chunk being parsed
  let rowOffset = 0; // rows before the chunk
  while (startLine < lines.length) {
    let lastRecords = 0;
    let lastLines = 0;
    const offset = rowOffset;
    try {
      parse(lines.slice(startLine).join('\n'), {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false, // blank lines are kept (and ignored below) so that row numbers count them
        trim: true,
        on_record: (record: string[], context) => {
          records.push({ row: offset + context.records, fields: record });
          lastRecords = context.records;
          lastLines = context.lines;
          return null;
        },
      });
      break;
    } catch (e) {
      const code = csvErrorCode(e);
      if (code === undefined) throw e;
      const row = offset + lastRecords + 1;
      unreadable.push({ row, code });
      if (unreadable.length >= MAX_UNREADABLE) break;
      startLine += lastLines + 1;
      rowOffset = row;
    }
  }
  return { records, unreadable };
}

/** The header's cells with a given delimiter, or undefined when the line cannot be read with it. */
function headerCells(line: string, delimiter: string): string[] | undefined {
  try {
    const [cells] = parse(line, { delimiter, relax_column_count: true, relax_quotes: true, trim: true });
    return cells;
  } catch {
    return undefined;
  }
}

/** The delimiter that makes the most header cells known column names; ties go to more cells, then comma. */
function detectDelimiter(headerLine: string): string {
  let best: { delimiter: string; known: number; cells: number } = { delimiter: ',', known: -1, cells: -1 };
  for (const delimiter of DELIMITERS) {
    const cells = headerCells(headerLine, delimiter);
    if (!cells) continue;
    const known = cells.filter((c) => COLUMN_BY_KEY.has(headerKey(c))).length;
    if (known > best.known || (known === best.known && cells.length > best.cells)) {
      best = { delimiter, known, cells: cells.length };
    }
  }
  return best.delimiter;
}

function unreadableError(u: Unreadable): UpazilaImportError {
  if (u.code === 'CSV_QUOTE_NOT_CLOSED') {
    return {
      row: u.row,
      message: 'এই সারির একটি উদ্ধৃতিচিহ্ন (") বন্ধ করা হয়নি, তাই সারিটি পড়া যায়নি।',
      messageEn: 'A quotation mark (") in this row is never closed, so the row could not be read.',
    };
  }
  if (u.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || u.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return {
      row: u.row,
      message: 'এই সারিতে উদ্ধৃতিচিহ্ন (") বন্ধ হওয়ার পরে কলাম বিভাজকের আগেই লেখা আছে, তাই সারিটি পড়া যায়নি।',
      messageEn: 'In this row, text follows a closing quotation mark (") before the delimiter, so the row could not be read.',
    };
  }
  return {
    row: u.row,
    message: 'সারিটি পড়া যায়নি: উদ্ধৃতিচিহ্ন (") বা কলাম বিভাজক ঠিক জায়গায় নেই।',
    messageEn: `The row could not be read: a quotation mark (") or delimiter is out of place (${u.code}).`,
  };
}

const bn = (n: number | string): string => toBanglaDigits(n);

function resolveDistrict(value: string): District | undefined {
  const direct = findDistrict(/^[0-9০-৯]$/.test(value) ? `0${value}` : value);
  if (direct) return direct;
  // "Khulna District", "খুলনা জেলা", "Khulna Zila"
  const stripped = value.replace(/\s*(district|zila|zilla|জেলা)$/iu, '');
  return stripped !== value && stripped !== '' ? findDistrict(stripped) : undefined;
}

type GeoCodeResult = { geoCode: string } | { error: { message: string; messageEn: string } };

function badGeoCode(value: string): GeoCodeResult {
  return {
    error: {
      message: `জিও কোড '${value}' সঠিক নয়: উপজেলার ২ অঙ্কের কোড (যেমন ৬৪) বা জেলার কোডসহ ৪ অঙ্কের কোড (যেমন ৪৭৬৪) দিন।`,
      messageEn: `Geo code '${value}' is not valid: give the 2-digit upazila code (e.g. 64) or the 4-digit code starting with the district's code (e.g. 4764).`,
    },
  };
}

/**
 * Checks the geo code's form (district undefined: only the form is checked) and makes the 4-digit code.
 * Returns undefined when the form is right but the code cannot be made without the district.
 */
function resolveGeoCode(value: string, district: District | undefined): GeoCodeResult | undefined {
  const digits = toLatinDigits(value);
  if (!/^\d{1,6}$/.test(digits) || digits.length === 5) return badGeoCode(value);
  // A spreadsheet drops leading zeros: 7 was 07, 164 was 0164 (Bagerhat is 01).
  let code = digits.length === 1 || digits.length === 3 ? `0${digits}` : digits;
  if (code.length === 6) {
    const divisionCode = code.slice(0, 2);
    const division = DIVISIONS.find((d) => d.bbsCode === divisionCode);
    if (!division) return badGeoCode(value);
    if (district && district.division !== division.iso) {
      const actual = DIVISIONS.find((d) => d.iso === district.division);
      return {
        error: {
          message: `জিও কোড '${value}' বিভাগ কোড ${bn(divisionCode)} দিয়ে শুরু, কিন্তু ${district.nameBn} জেলা ${actual?.nameBn ?? ''} বিভাগের (${bn(actual?.bbsCode ?? '')})।`,
          messageEn: `Geo code '${value}' starts with division code ${divisionCode}, but ${district.nameEn} district is in ${actual?.nameEn ?? ''} division (${actual?.bbsCode ?? ''}).`,
        },
      };
    }
    code = code.slice(2);
  }
  if (code.slice(-2) === '00') return badGeoCode(value);
  if (code.length === 2) return district ? { geoCode: district.bbsCode + code } : undefined;
  // 4 digits: district + upazila.
  const prefix = code.slice(0, 2);
  if (district && prefix !== district.bbsCode) {
    const other = findDistrict(prefix);
    return {
      error: {
        message:
          `জিও কোড '${value}' ${district.nameBn} জেলার কোড (${bn(district.bbsCode)}) দিয়ে শুরু হয়নি` +
          (other ? `; ${bn(prefix)} হলো ${other.nameBn} জেলার কোড।` : '।'),
        messageEn:
          `Geo code '${value}' does not start with the code of ${district.nameEn} district (${district.bbsCode})` +
          (other ? `; ${prefix} is the code of ${other.nameEn}.` : '.'),
      },
    };
  }
  return district ? { geoCode: code } : undefined;
}

/** Parses an uploaded upazila CSV. Never throws for bad input; problems are returned as errors. */
export function parseUpazilaCsv(text: string, options: ParseUpazilaCsvOptions = {}): UpazilaImportResult {
  const existing = options.existingGeoCodes;
  const rows: UpazilaRow[] = [];
  const errors: UpazilaImportError[] = [];

  // One line-end convention for csv-parse and for the line arithmetic of readRecords.
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const headerLine = lines.find((l) => normaliseText(l.replace(/[,;\t"]/g, '')) !== '');
  if (headerLine === undefined) {
    return { rows, errors: [{ row: 1, message: 'ফাইলটি খালি।', messageEn: 'The file is empty.' }] };
  }

  const { records, unreadable } = readRecords(lines, detectDelimiter(headerLine));
  const header = records.find((r) => !isBlank(r.fields));
  const firstUnreadable = unreadable[0];
  if (firstUnreadable && (!header || firstUnreadable.row < header.row)) {
    const e = unreadableError(firstUnreadable);
    return {
      rows,
      errors: [
        { row: e.row, message: `শিরোনাম সারি পড়া যায়নি। ${e.message}`, messageEn: `The header row could not be read. ${e.messageEn}` },
      ],
    };
  }
  if (!header) {
    return { rows, errors: [{ row: 1, message: 'ফাইলটি খালি।', messageEn: 'The file is empty.' }] };
  }

  // Columns.
  const columnIndex = new Map<Column, number>();
  const headerErrors: UpazilaImportError[] = [];
  header.fields.forEach((cell, i) => {
    const column = COLUMN_BY_KEY.get(headerKey(cell));
    if (!column) return;
    const previous = columnIndex.get(column);
    if (previous !== undefined) {
      const a = normaliseText(header.fields[previous] ?? '');
      const b = normaliseText(cell);
      headerErrors.push({
        row: header.row,
        message: `'${a}' ও '${b}' দুটি কলামই ${COLUMN_LABEL[column].bn}; একটি রাখুন।`,
        messageEn: `Columns '${a}' and '${b}' are both the ${COLUMN_LABEL[column].en}; keep one.`,
      });
      return;
    }
    columnIndex.set(column, i);
  });
  const missing = REQUIRED.filter((c) => !columnIndex.has(c));
  if (missing.length > 0) {
    headerErrors.unshift({
      row: header.row,
      message: `শিরোনাম সারিতে প্রয়োজনীয় কলাম নেই: ${missing.map((c) => COLUMN_LABEL[c].bn).join(', ')}।`,
      messageEn: `The header row lacks the required column(s): ${missing.map((c) => COLUMN_LABEL[c].en).join(', ')}.`,
    });
  }
  if (headerErrors.length > 0) {
    // One error for the header: the first problem, which is what the administrator must fix.
    return { rows, errors: headerErrors.slice(0, 1) };
  }

  let width = header.fields.length;
  while (width > 0 && normaliseText(header.fields[width - 1] ?? '') === '') width--;

  const cell = (fields: readonly string[], column: Column): string => {
    const i = columnIndex.get(column);
    return i === undefined ? '' : normaliseText(fields[i] ?? '');
  };

  const firstRowOf = new Map<string, number>(); // geo code → first row that has it
  const rowErrors: UpazilaImportError[] = unreadable.map(unreadableError);
  let dataRows = unreadable.length; // unreadable records are data rows too

  for (const record of records) {
    if (record.row <= header.row || isBlank(record.fields)) continue;
    dataRows++;
    const { row, fields } = record;
    const problems: { message: string; messageEn: string }[] = [];

    // Empty cells after the last header column are allowed (spreadsheets export them); missing cells are not.
    let used = fields.length;
    while (used > width && normaliseText(fields[used - 1] ?? '') === '') used--;
    if (used !== width) {
      rowErrors.push({
        row,
        message: `এই সারিতে ${bn(used)}টি কলাম আছে, শিরোনাম সারিতে ${bn(width)}টি।`,
        messageEn: `This row has ${used} columns; the header row has ${width}.`,
      });
      continue; // the cells are probably shifted: checking them would only add confusing errors
    }

    const districtValue = cell(fields, 'district');
    const district = districtValue === '' ? undefined : resolveDistrict(districtValue);
    if (districtValue === '') {
      problems.push({ message: 'জেলা দেওয়া হয়নি।', messageEn: 'The district is missing.' });
    } else if (!district) {
      problems.push({ message: `জেলা '${districtValue}' চেনা যায়নি।`, messageEn: `District '${districtValue}' is not known.` });
    }

    const nameBn = cell(fields, 'nameBn');
    if (nameBn === '') {
      problems.push({ message: 'উপজেলার বাংলা নাম নেই।', messageEn: 'The Bangla name of the upazila is missing.' });
    } else if (!BENGALI_SCRIPT.test(nameBn)) {
      problems.push({
        message: `বাংলা নাম '${nameBn}' বাংলা অক্ষরে লেখা নয়।`,
        messageEn: `The Bangla name '${nameBn}' is not written in Bangla script.`,
      });
    }
    const nameEnValue = cell(fields, 'nameEn');
    const nameEn = nameEnValue === '' ? undefined : nameEnValue;

    const geoValue = cell(fields, 'geoCode');
    let geoCode: string | undefined;
    if (geoValue === '') {
      problems.push({ message: 'জিও কোড নেই।', messageEn: 'The geo code is missing.' });
    } else {
      const result = resolveGeoCode(geoValue, district);
      if (result && 'error' in result) problems.push(result.error);
      else if (result) geoCode = result.geoCode;
    }

    if (geoCode !== undefined) {
      const first = firstRowOf.get(geoCode);
      if (first !== undefined) {
        problems.push({
          message: `জিও কোড ${bn(geoCode)} সারি ${bn(first)}-এ আগেই আছে।`,
          messageEn: `Geo code ${geoCode} already appears in row ${first}.`,
        });
      } else {
        firstRowOf.set(geoCode, row);
      }
    }

    if (problems.length > 0 || !district || geoCode === undefined) {
      rowErrors.push(...problems.map((p) => ({ row, ...p })));
      continue;
    }
    rows.push({ row, district, nameBn, nameEn, geoCode, duplicateOfExisting: existing?.has(geoCode) ?? false });
  }

  if (unreadable.length >= MAX_UNREADABLE) {
    const last = unreadable[unreadable.length - 1];
    rowErrors.push({
      row: last?.row ?? header.row,
      message: 'অনেকগুলো সারি পড়া যায়নি, তাই ফাইলের বাকি অংশ পড়া হয়নি। ফাইলটি CSV কি না দেখুন।',
      messageEn: 'Too many rows could not be read, so the rest of the file was not read. Check that it is a CSV file.',
    });
  }
  if (dataRows === 0) {
    rowErrors.push({
      row: header.row,
      message: 'শিরোনাম সারির পরে কোনো উপজেলা নেই।',
      messageEn: 'There are no upazila rows after the header row.',
    });
  }
  rowErrors.sort((a, b) => a.row - b.row); // stable: a row's errors keep their order
  errors.push(...rowErrors);
  return { rows, errors };
}
