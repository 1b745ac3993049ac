/**
 * Date and time strings as they appear in Bangladesh government letters and minutes.
 */
import { toBanglaDigits } from './bangla-digits.js';
import { formatBengaliDate } from './bengali-calendar.js';
import { type IsoDate, dhakaPartsOf, isoDateParts } from './dhaka-time.js';

export const GREGORIAN_MONTHS_BN = [
  'জানুয়ারি',
  'ফেব্রুয়ারি',
  'মার্চ',
  'এপ্রিল',
  'মে',
  'জুন',
  'জুলাই',
  'আগস্ট',
  'সেপ্টেম্বর',
  'অক্টোবর',
  'নভেম্বর',
  'ডিসেম্বর',
] as const;

export const GREGORIAN_MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function monthName(names: readonly string[], month: number): string {
  const name = names[month - 1];
  if (name === undefined) throw new RangeError(`No month ${month}`);
  return name;
}

export function gregorianMonthBn(month: number): string {
  return monthName(GREGORIAN_MONTHS_BN, month);
}

/** "২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ" */
export function formatGregorianBn(d: IsoDate): string {
  const { year, month, day } = isoDateParts(d);
  return `${toBanglaDigits(day)} ${gregorianMonthBn(month)} ${toBanglaDigits(year)} খ্রিষ্টাব্দ`;
}

/** Both calendars, Bengali first, as letters print them: "১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ / ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ" */
export function formatDualDate(d: IsoDate): string {
  return `${formatBengaliDate(d)} / ${formatGregorianBn(d)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "২৮/০৯/২০২৫" — day first, zero-padded. */
export function formatShortDateBn(d: IsoDate): string {
  const { year, month, day } = isoDateParts(d);
  return toBanglaDigits(`${pad2(day)}/${pad2(month)}/${String(year).padStart(4, '0')}`);
}

/** Period of day for a Dhaka hour (0–23), as used in "সকাল ১০.০০ ঘটিকা". */
export function dayPeriodBn(hour: number): string {
  if (hour >= 4 && hour < 6) return 'ভোর';
  if (hour >= 6 && hour < 12) return 'সকাল';
  if (hour >= 12 && hour < 15) return 'দুপুর';
  if (hour >= 15 && hour < 18) return 'বিকাল';
  if (hour >= 18 && hour < 20) return 'সন্ধ্যা';
  return 'রাত';
}

/**
 * Dhaka wall time in the style of official notices: "সকাল ১১.০০ ঘটিকা". The period word carries
 * am/pm, so the hour is on a 12-hour clock (0 and 12 print as ১২) and is not zero-padded.
 */
export function formatTimeBn(instant: Date): string {
  const { hour, minute } = dhakaPartsOf(instant);
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${dayPeriodBn(hour)} ${toBanglaDigits(`${hour12}.${pad2(minute)}`)} ঘটিকা`;
}

/** "29 September 2025" */
export function formatDateEn(d: IsoDate): string {
  const { year, month, day } = isoDateParts(d);
  return `${day} ${monthName(GREGORIAN_MONTHS_EN, month)} ${year}`;
}
