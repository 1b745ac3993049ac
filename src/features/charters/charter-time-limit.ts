// Time limits of a citizen charter's services (সেবা প্রদানের সময়সীমা) as a number of days: parseTimeLimitDays.
import { normaliseText, toLatinDigits } from '../../lib/index.js';
import { re } from './charter-text.js';

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
