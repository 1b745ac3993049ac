/**
 * Business time in Asia/Dhaka, independent of the server's TZ.
 *
 * Dhaka has been a fixed UTC+6 since 1 January 2010 (the only DST was in 2009), so plain offset
 * arithmetic is used instead of Intl time-zone data: it cannot be affected by process.env.TZ, by a
 * small-ICU build, or by stale tz data on the server. Instants before 2010 are therefore treated as
 * UTC+6 too, which is fine for this system's records.
 */
import { toLatinDigits } from './bangla-digits.js';

/** A calendar date `YYYY-MM-DD` (proleptic Gregorian, years 0000–9999), with no time zone attached. */
export type IsoDate = string;

export const DHAKA_TIME_ZONE = 'Asia/Dhaka';
export const DHAKA_OFFSET_MINUTES = 6 * 60;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const DHAKA_OFFSET_MS = DHAKA_OFFSET_MINUTES * MS_PER_MINUTE;

// --- Calendar arithmetic on day numbers -------------------------------------------------------
// Dates are converted to a count of days since 1970-01-01 with pure integer maths (H. Hinnant's
// civil-date algorithms). This avoids Date.UTC's two-digit-year quirk and any local-time leakage.

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = floorDiv(yy, 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12; // March = 0, so the leap day is the last day of the "year"
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(z: number): { year: number; month: number; day: number } {
  const zz = z + 719_468;
  const era = floorDiv(zz, 146_097);
  const doe = zz - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isValidYmd(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 0 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Builds an IsoDate from parts; throws RangeError if the date does not exist or is outside 0000–9999. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  if (!isValidYmd(year, month, day)) throw new RangeError(`No such date: ${year}-${month}-${day}`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a strictly formatted `YYYY-MM-DD` string naming a real date. */
export function isValidIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = ISO_RE.exec(s);
  return m !== null && isValidYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Splits an IsoDate into numbers; throws RangeError if it is not a valid IsoDate. */
export function isoDateParts(d: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_RE.exec(d);
  const parts = m && { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!parts || !isValidYmd(parts.year, parts.month, parts.day)) {
    throw new RangeError(`Not a valid YYYY-MM-DD date: ${JSON.stringify(d)}`);
  }
  return parts;
}

/** Days since 1970-01-01 (negative before). */
export function epochDayOf(d: IsoDate): number {
  const { year, month, day } = isoDateParts(d);
  return daysFromCivil(year, month, day);
}

export function isoDateFromEpochDay(n: number): IsoDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not an integer day number: ${n}`);
  const { year, month, day } = civilFromDays(n);
  return isoDate(year, month, day);
}

export function addDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`addDays: n must be an integer, got ${n}`);
  return isoDateFromEpochDay(epochDayOf(d) + n);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return epochDayOf(b) - epochDayOf(a);
}

/** 1 = Monday … 7 = Sunday (ISO 8601). */
export function isoWeekday(d: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDayOf(d) + 3) % 7) + 7) % 7) + 1;
}

// --- Instants ↔ Dhaka wall time --------------------------------------------------------------

function assertValidInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

/** The Dhaka calendar date of an instant. */
export function dhakaDateOf(instant: Date): IsoDate {
  return isoDateFromEpochDay(floorDiv(assertValidInstant(instant) + DHAKA_OFFSET_MS, MS_PER_DAY));
}

export interface DhakaParts {
  date: IsoDate;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Dhaka wall-clock reading of an instant. */
export function dhakaPartsOf(instant: Date): DhakaParts {
  const local = assertValidInstant(instant) + DHAKA_OFFSET_MS;
  const dayNumber = floorDiv(local, MS_PER_DAY);
  const msOfDay = local - dayNumber * MS_PER_DAY;
  const { year, month, day } = civilFromDays(dayNumber);
  return {
    date: isoDate(year, month, day),
    year,
    month,
    day,
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / MS_PER_MINUTE) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
  };
}

/** The instant at which the given Dhaka date begins (00:00 Dhaka = 18:00 UTC the day before). */
export function startOfDhakaDay(d: IsoDate): Date {
  return new Date(epochDayOf(d) * MS_PER_DAY - DHAKA_OFFSET_MS);
}

/** The instant of a Dhaka wall-clock time on a Dhaka date. */
export function dhakaInstant(d: IsoDate, hour = 0, minute = 0): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`dhakaInstant: bad time ${hour}:${minute}`);
  }
  return new Date(startOfDhakaDay(d).getTime() + (hour * 60 + minute) * MS_PER_MINUTE);
}

// --- Parsing user input ----------------------------------------------------------------------

const YMD_INPUT_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
// Same separator both times: "12/03-2025" is more likely a typo than a date.
const DMY_INPUT_RE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

/**
 * Parses a date typed by a user: `YYYY-MM-DD`, or day-first `DD/MM/YYYY`, `DD-MM-YYYY`,
 * `DD.MM.YYYY` (the order used in Bangladesh), in Bangla or Latin digits. Returns null for
 * malformed input and for dates that do not exist (31/02/2025).
 */
export function parseDateInput(s: string): IsoDate | null {
  const t = toLatinDigits(s.trim());
  let y: number, m: number, d: number;
  const ymd = YMD_INPUT_RE.exec(t);
  const dmy = ymd ? null : DMY_INPUT_RE.exec(t);
  if (ymd) [y, m, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  else if (dmy) [y, m, d] = [Number(dmy[4]), Number(dmy[3]), Number(dmy[1])];
  else return null;
  return isValidYmd(y, m, d) ? isoDate(y, m, d) : null;
}

// --- Clock -----------------------------------------------------------------------------------

/** Source of "now", injected so that deadlines and "today" can be tested deterministically. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// An explicit offset is required because JS reads "2025-07-01T10:00" as *process-local* time,
// which is exactly the TZ dependence this module exists to avoid.
const INSTANT_WITH_OFFSET_RE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A clock stuck at one instant. Accepts a Date, an ISO instant with `Z` or an offset, or a bare
 * `YYYY-MM-DD`, which means 00:00 in Dhaka on that date (not UTC midnight, as `new Date()` would).
 */
export function fixedClock(instant: Date | string): Clock {
  let ms: number;
  if (instant instanceof Date) ms = assertValidInstant(instant);
  else if (isValidIsoDate(instant)) ms = startOfDhakaDay(instant).getTime();
  else if (INSTANT_WITH_OFFSET_RE.test(instant)) ms = assertValidInstant(new Date(instant));
  else throw new RangeError(`fixedClock: need a Date, YYYY-MM-DD, or an instant with Z/offset: ${instant}`);
  // A fresh Date each call, so a caller mutating the result cannot move the clock.
  return { now: () => new Date(ms) };
}

/** Today's date in Dhaka. */
export function dhakaToday(clock: Clock = systemClock): IsoDate {
  return dhakaDateOf(clock.now());
}
