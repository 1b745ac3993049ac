/**
 * The revised Bengali calendar (বঙ্গাব্দ) used officially in Bangladesh since 1426 (2019).
 *
 * Implemented from the rule itself rather than an npm package: the popular package follows the
 * older 1987 rule and is a day off from mid-September to mid-March. Under the revised rule every
 * month begins on a fixed Gregorian date, and only ফাল্গুন varies (29 days, 30 when that
 * February has 29), which keeps চৈত্র 1 on 15 March and the new year on 14 April every year.
 *
 * Dates before 1426-01-01 (2019-04-14) are converted with the same rule (proleptically); they
 * may differ by a day from what was printed under the old rule at the time.
 */
import { toBanglaDigits } from './bangla-digits.js';
import { type IsoDate, epochDayOf, isLeapYear, isoDate, isoDateFromEpochDay, isoDateParts } from './dhaka-time.js';

export const BENGALI_MONTHS = [
  'বৈশাখ',
  'জ্যৈষ্ঠ',
  'আষাঢ়',
  'শ্রাবণ',
  'ভাদ্র',
  'আশ্বিন',
  'কার্তিক',
  'অগ্রহায়ণ',
  'পৌষ',
  'মাঘ',
  'ফাল্গুন',
  'চৈত্র',
] as const;

export type BengaliMonthName = (typeof BENGALI_MONTHS)[number];

export interface BengaliDate {
  year: number;
  /** 1 = বৈশাখ … 12 = চৈত্র */
  month: number;
  day: number;
  monthName: BengaliMonthName;
}

/** First day of the revised calendar; earlier dates are converted proleptically. */
export const REVISED_CALENDAR_START: IsoDate = '2019-04-14';

const FALGUN = 11;
// বৈশাখ…আশ্বিন 31, কার্তিক…মাঘ 30, ফাল্গুন 29 (leap: 30), চৈত্র 30.
const BASE_MONTH_LENGTHS = [31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 29, 30] as const;
const YEAR_OFFSET = 593; // বৈশাখ 1 of Bengali year Y falls on 14 April of Gregorian Y + 593

/** The ফাল্গুন of Bengali year Y lies in February of Gregorian Y + 594. */
function isBengaliLeapYear(year: number): boolean {
  return isLeapYear(year + YEAR_OFFSET + 1);
}

export function bengaliMonthLength(year: number, month: number): number {
  const base = BASE_MONTH_LENGTHS[month - 1];
  if (base === undefined || !Number.isInteger(month)) throw new RangeError(`No Bengali month ${month}`);
  return month === FALGUN && isBengaliLeapYear(year) ? base + 1 : base;
}

function newYearEpochDay(year: number): number {
  return epochDayOf(isoDate(year + YEAR_OFFSET, 4, 14));
}

export function toBengaliDate(d: IsoDate): BengaliDate {
  const { year: gy, month: gm, day: gd } = isoDateParts(d);
  const beforeNewYear = gm < 4 || (gm === 4 && gd < 14);
  const year = gy - YEAR_OFFSET - (beforeNewYear ? 1 : 0);
  let remaining = epochDayOf(d) - newYearEpochDay(year);
  let month = 1;
  // At most 11 steps; simpler to verify than a table of cumulative offsets.
  while (remaining >= bengaliMonthLength(year, month)) {
    remaining -= bengaliMonthLength(year, month);
    month += 1;
  }
  return { year, month, day: remaining + 1, monthName: bengaliMonthName(month) };
}

function bengaliMonthName(month: number): BengaliMonthName {
  const name = BENGALI_MONTHS[month - 1];
  if (name === undefined) throw new RangeError(`No Bengali month ${month}`);
  return name;
}

/** Gregorian date of a Bengali date; throws RangeError if the Bengali date does not exist. */
export function fromBengaliDate(year: number, month: number, day: number): IsoDate {
  if (!Number.isInteger(year)) throw new RangeError(`Bengali year must be an integer, got ${year}`);
  const length = bengaliMonthLength(year, month);
  if (!Number.isInteger(day) || day < 1 || day > length) {
    throw new RangeError(`${bengaliMonthName(month)} ${year} has ${length} days, got day ${day}`);
  }
  let offset = day - 1;
  for (let m = 1; m < month; m++) offset += bengaliMonthLength(year, m);
  return isoDateFromEpochDay(newYearEpochDay(year) + offset);
}

/** "১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ" */
export function formatBengaliDate(d: IsoDate): string {
  const { day, monthName, year } = toBengaliDate(d);
  return `${toBanglaDigits(day)} ${monthName} ${toBanglaDigits(year)} বঙ্গাব্দ`;
}
