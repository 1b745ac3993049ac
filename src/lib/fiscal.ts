/**
 * Bangladesh fiscal year (1 July – 30 June), its quarters, and APA reporting due dates.
 *
 * A fiscal year is identified by the string "2025-26" (API, storage); documents print it as
 * "২০২৫-২৬". All dates are Dhaka calendar dates (see dhaka-time.ts).
 */
import { toBanglaDigits, toLatinDigits } from './bangla-digits.js';
import { gregorianMonthBn } from './date-format.js';
import { type IsoDate, daysInMonth, isoDate, isoDateParts } from './dhaka-time.js';

/** e.g. "2025-26" */
export type FiscalYear = string;
export type Quarter = 1 | 2 | 3 | 4;

export const QUARTERS: readonly Quarter[] = [1, 2, 3, 4];

export interface QuarterInfo {
  fiscalYear: FiscalYear;
  quarter: Quarter;
  start: IsoDate;
  end: IsoDate;
}

function formatFiscalYear(startYear: number): FiscalYear {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

function fiscalStartYearOf(d: IsoDate): number {
  const { year, month } = isoDateParts(d);
  return month >= 7 ? year : year - 1;
}

/** "2025-26" for any date from 2025-07-01 to 2026-06-30. */
export function fiscalYearOf(d: IsoDate): FiscalYear {
  return formatFiscalYear(fiscalStartYearOf(d));
}

// Hyphen or en dash (word processors turn one into the other); second half as 2 or 4 digits.
const FY_RE = /^(\d{4})\s*[-–]\s*(\d{2}|\d{4})$/;

function parseStartYear(s: string): number | null {
  const m = FY_RE.exec(toLatinDigits(s.trim()));
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > 9998) return null; // the fiscal year must end within 4-digit years
  const consistent = m[2].length === 4 ? end === start + 1 : end === (start + 1) % 100;
  return consistent ? start : null;
}

/**
 * Accepts "2025-26", "২০২৫-২৬", "2025-2026" (and an en dash), returning the canonical
 * "2025-26"; null when malformed or when the two years are not consecutive ("2025-27").
 */
export function parseFiscalYear(s: string): FiscalYear | null {
  const start = parseStartYear(s);
  return start === null ? null : formatFiscalYear(start);
}

// Functions below take a fiscal year from callers that should already have validated it, so a
// bad one is a programming error rather than user input: throw instead of returning null.
function requireStartYear(fy: FiscalYear): number {
  const start = parseStartYear(fy);
  if (start === null) throw new RangeError(`Not a fiscal year: ${JSON.stringify(fy)}`);
  return start;
}

function requireQuarter(q: number): Quarter {
  if (q !== 1 && q !== 2 && q !== 3 && q !== 4) throw new RangeError(`Not a quarter: ${q}`);
  return q;
}

export function fiscalYearBounds(fy: FiscalYear): { start: IsoDate; end: IsoDate } {
  const y = requireStartYear(fy);
  return { start: isoDate(y, 7, 1), end: isoDate(y + 1, 6, 30) };
}

/** Gregorian year and first month of a quarter: Q1 starts in July of the fiscal year's first year. */
function quarterStart(startYear: number, q: Quarter): { year: number; month: number } {
  const month0 = 6 + (q - 1) * 3; // 0-based months counted from January of startYear
  return { year: startYear + Math.floor(month0 / 12), month: (month0 % 12) + 1 };
}

export function quarterBounds(fy: FiscalYear, q: Quarter): { start: IsoDate; end: IsoDate } {
  const { year, month } = quarterStart(requireStartYear(fy), requireQuarter(q));
  const endMonth = month + 2; // a quarter never crosses a calendar year (Jul–Sep, Oct–Dec, Jan–Mar, Apr–Jun)
  return { start: isoDate(year, month, 1), end: isoDate(year, endMonth, daysInMonth(year, endMonth)) };
}

export function quarterOf(d: IsoDate): QuarterInfo {
  const { month } = isoDateParts(d);
  const fiscalYear = fiscalYearOf(d);
  const quarter = requireQuarter(Math.floor(((month + 5) % 12) / 3) + 1);
  return { fiscalYear, quarter, ...quarterBounds(fiscalYear, quarter) };
}

/** "২০২৫-২৬" */
export function fiscalYearBn(fy: FiscalYear): string {
  return toBanglaDigits(formatFiscalYear(requireStartYear(fy)));
}

const ORDINALS_BN: Record<Quarter, string> = { 1: '১ম', 2: '২য়', 3: '৩য়', 4: '৪র্থ' };

/** "২০২৫-২৬ অর্থবছরের ১ম ত্রৈমাসিক (জুলাই–সেপ্টেম্বর)" */
export function quarterLabelBn(fy: FiscalYear, q: Quarter): string {
  const { month } = quarterStart(requireStartYear(fy), requireQuarter(q));
  const months = `${gregorianMonthBn(month)}–${gregorianMonthBn(month + 2)}`;
  return `${fiscalYearBn(fy)} অর্থবছরের ${ORDINALS_BN[q]} ত্রৈমাসিক (${months})`;
}

/**
 * APA report due date for a quarter: the 15th of the month after the quarter ends
 * (15 Oct, 15 Jan, 15 Apr, and 15 Jul after the fiscal year for Q4/annual).
 */
export function reportDueDate(fy: FiscalYear, q: Quarter): IsoDate {
  const { year, month } = quarterStart(requireStartYear(fy), requireQuarter(q));
  const dueMonth0 = month - 1 + 3; // 0-based, may roll into next year
  return isoDate(year + Math.floor(dueMonth0 / 12), (dueMonth0 % 12) + 1, 15);
}
