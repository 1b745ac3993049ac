/**
 * Memo numbers (স্মারক নম্বর) of official letters.
 *
 * The Secretariat Instructions fix the layout of the number (2014: 7 segments, 2024: 8 segments), but
 * real letters vary: the letter serial follows '-' or '.', some offices use odd segment widths, and
 * digits may be Bangla or Latin. So we generate strictly from a configured layout and parse leniently.
 */

import { toBanglaDigits, toLatinDigits } from './bangla-digits.js';

export interface MemoSegmentDef {
  /** Stable identifier, used in register specs and validation problems. */
  key: string;
  labelBn: string;
  labelEn: string;
  /** Number of digits; shorter values are zero-padded ("unused positions are zeros"). */
  width: number;
}

export type OfficialMemoLayout = '2014' | '2024';
export type MemoLayoutName = OfficialMemoLayout | 'custom';

/** The two official layouts, in the order the segments are printed. The letter serial is not a segment. */
export const MEMO_LAYOUTS: Readonly<Record<OfficialMemoLayout, readonly Readonly<MemoSegmentDef>[]>> = Object.freeze({
  // Secretariat Instructions 2014: 18 digits.
  '2014': Object.freeze([
    { key: 'ministry', labelBn: 'মন্ত্রণালয়/বিভাগ', labelEn: 'Ministry/division', width: 2 },
    { key: 'department', labelBn: 'অধিদপ্তর/সংস্থা', labelEn: 'Department/agency', width: 2 },
    { key: 'geo', labelBn: 'ভৌগোলিক কোড', labelEn: 'Geo code', width: 4 },
    { key: 'branch', labelBn: 'শাখা', labelEn: 'Branch', width: 3 },
    { key: 'subject', labelBn: 'বিষয়', labelEn: 'Subject', width: 2 },
    { key: 'file', labelBn: 'নথির ক্রমিক', labelEn: 'File serial', width: 3 },
    { key: 'year', labelBn: 'নথি খোলার বছর', labelEn: 'Year the file opened', width: 2 },
  ].map((s) => Object.freeze(s))),
  // Secretariat Instructions 2024 (12 June 2024): 22 digits.
  '2024': Object.freeze([
    { key: 'ministry', labelBn: 'মন্ত্রণালয়/বিভাগ', labelEn: 'Ministry/division', width: 2 },
    { key: 'office', labelBn: 'দপ্তর/সংস্থা', labelEn: 'Office/agency', width: 2 },
    { key: 'geo', labelBn: 'ভৌগোলিক কোড', labelEn: 'Geo code', width: 4 },
    { key: 'subordinate', labelBn: 'অধীন দপ্তর', labelEn: 'Subordinate office', width: 3 },
    { key: 'branch', labelBn: 'শাখা', labelEn: 'Branch', width: 3 },
    { key: 'subject', labelBn: 'বিষয়', labelEn: 'Subject', width: 2 },
    { key: 'file', labelBn: 'নথির ক্রমিক', labelEn: 'File serial', width: 4 },
    { key: 'year', labelBn: 'নথি খোলার বছর', labelEn: 'Year the file opened', width: 2 },
  ].map((s) => Object.freeze(s))),
});

/** Configuration of one memo register (one file's numbering). Values are stored in Latin digits. */
export interface MemoRegisterSpec {
  layout: MemoLayoutName;
  segments: { key: string; value: string; width: number }[];
  /** What comes between the segments and the letter serial. */
  separator: '-' | '.';
}

export interface MemoSpecProblem {
  /** Key of the segment concerned; absent for problems with the whole spec. */
  segment?: string;
  bn: string;
  en: string;
}

/** A custom layout needs at least two segments so that its numbers can be read back by parseMemoNumber. */
const MIN_SEGMENTS = 2;

const LAYOUT_NAME_BN: Record<OfficialMemoLayout, string> = {
  '2014': 'সচিবালয় নির্দেশমালা ২০১৪-এর বিন্যাসে',
  '2024': 'সচিবালয় নির্দেশমালা ২০২৪-এর বিন্যাসে',
};

function isOfficial(layout: unknown): layout is OfficialMemoLayout {
  return layout === '2014' || layout === '2024';
}

/**
 * Checks a register spec before it is saved or used. Returns every problem found (Bangla message
 * first, for the user; English for logs); an empty list means the spec is valid. Bangla digits in
 * values are accepted, since users type them; values shorter than the width are fine (zero-padded).
 * For an official layout the widths must also match it, otherwise its numbers would not be official.
 */
export function validateMemoSpec(spec: MemoRegisterSpec): MemoSpecProblem[] {
  const problems: MemoSpecProblem[] = [];
  const { layout, separator } = spec;
  const segments = Array.isArray(spec.segments) ? spec.segments : [];
  const n = segments.length;

  if (layout !== 'custom' && !isOfficial(layout)) {
    problems.push({
      bn: `অজানা বিন্যাস “${String(layout)}”; ২০১৪, ২০২৪ অথবা নিজস্ব (custom) বিন্যাস বেছে নিন।`,
      en: `Unknown layout "${String(layout)}"; use '2014', '2024' or 'custom'.`,
    });
  }
  if (separator !== '-' && separator !== '.') {
    problems.push({
      bn: `ক্রমিকের আগের বিভাজক “-” অথবা “.” হতে হবে; দেওয়া হয়েছে “${String(separator)}”।`,
      en: `The separator before the serial must be '-' or '.'; got "${String(separator)}".`,
    });
  }

  const official = isOfficial(layout) ? MEMO_LAYOUTS[layout] : undefined;
  if (official && isOfficial(layout) && n !== official.length) {
    problems.push({
      bn: `${LAYOUT_NAME_BN[layout]} ${toBanglaDigits(official.length)}টি অংশ থাকতে হবে; দেওয়া হয়েছে ${toBanglaDigits(n)}টি।`,
      en: `The ${layout} layout has ${official.length} segments; got ${n}.`,
    });
  }
  if (layout === 'custom' && n < MIN_SEGMENTS) {
    problems.push({
      bn: `নিজস্ব বিন্যাসে অন্তত ${toBanglaDigits(MIN_SEGMENTS)}টি অংশ থাকতে হবে; দেওয়া হয়েছে ${toBanglaDigits(n)}টি।`,
      en: `A custom layout needs at least ${MIN_SEGMENTS} segments; got ${n}.`,
    });
  }

  segments.forEach((seg, i) => {
    const key = seg.key || `#${i + 1}`;
    const def = official && official.length === n ? official[i] : undefined;
    const nameBn = `“${def ? def.labelBn : key}”`;
    const nameEn = `"${key}"`;
    const { width } = seg;
    const value = typeof seg.value === 'string' ? seg.value : String(seg.value);
    const latin = toLatinDigits(value);
    const widthOk = Number.isInteger(width) && width >= 1;

    if (!widthOk) {
      problems.push({
        segment: key,
        bn: `${nameBn} অংশের প্রস্থ অন্তত ১ অঙ্কের পূর্ণসংখ্যা হতে হবে; দেওয়া হয়েছে ${toBanglaDigits(String(width))}।`,
        en: `Segment ${nameEn}: width must be a whole number of at least 1; got ${String(width)}.`,
      });
    } else if (def && isOfficial(layout) && width !== def.width) {
      problems.push({
        segment: key,
        bn: `${LAYOUT_NAME_BN[layout]} ${nameBn} অংশ ${toBanglaDigits(def.width)} অঙ্কের; দেওয়া হয়েছে ${toBanglaDigits(width)}।`,
        en: `Segment ${nameEn}: the ${layout} layout makes it ${def.width} digits wide; got ${width}.`,
      });
    }

    if (latin === '') {
      problems.push({
        segment: key,
        bn: `${nameBn} অংশ ফাঁকা; ব্যবহার না হলে ০ লিখুন।`,
        en: `Segment ${nameEn} is empty; write 0 for an unused segment.`,
      });
    } else if (!/^[0-9]+$/.test(latin)) {
      problems.push({
        segment: key,
        bn: `${nameBn} অংশে কেবল অঙ্ক থাকতে পারে; দেওয়া হয়েছে “${value}”।`,
        en: `Segment ${nameEn} may hold digits only; got "${value}".`,
      });
    } else if (widthOk && latin.length > width) {
      problems.push({
        segment: key,
        bn: `${nameBn} অংশে সর্বোচ্চ ${toBanglaDigits(width)} অঙ্ক থাকতে পারে; দেওয়া হয়েছে ${toBanglaDigits(latin.length)} অঙ্ক (“${value}”)।`,
        en: `Segment ${nameEn} allows at most ${width} digits; got ${latin.length} ("${value}").`,
      });
    }
  });

  return problems;
}

function assertValid(spec: MemoRegisterSpec, fn: string): void {
  const problems = validateMemoSpec(spec);
  if (problems.length > 0) {
    throw new Error(
      `${fn}: invalid memo register spec: ${problems.map((p) => p.en).join(' ')} | ${problems.map((p) => p.bn).join(' ')}`,
    );
  }
}

/**
 * The spec as it should be stored: values in Latin digits, zero-padded to their widths.
 * Throws for an invalid spec (see validateMemoSpec).
 */
export function normalizeMemoSpec(spec: MemoRegisterSpec): MemoRegisterSpec {
  assertValid(spec, 'normalizeMemoSpec');
  return {
    layout: spec.layout,
    separator: spec.separator,
    segments: spec.segments.map((s) => ({ key: s.key, width: s.width, value: toLatinDigits(s.value).padStart(s.width, '0') })),
  };
}

/**
 * Prints the memo number of letter `serial` in a register, strictly from its layout:
 * zero-padded segments joined by '.', then the separator, then the serial (unpadded), in Bangla digits,
 * e.g. ৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮. Throws for an invalid spec or a serial that is not an integer ≥ 1
 * (serials start at 1 and are never skipped, so anything else is a bug upstream).
 */
export function formatMemoNumber(spec: MemoRegisterSpec, serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 1) {
    throw new Error(`formatMemoNumber: the letter serial must be a whole number of at least 1; got ${String(serial)}.`);
  }
  const { segments, separator } = normalizeMemoSpec(spec);
  return toBanglaDigits(`${segments.map((s) => s.value).join('.')}${separator}${serial}`);
}

export interface ParsedMemoNumber {
  /** By the digit widths of the segments; 'other' for any other widths (which do occur). */
  layout: OfficialMemoLayout | 'other';
  /** The segments before the serial, as written (Bangla digits stay Bangla). */
  segments: string[];
  segmentsLatin: string[];
  serial: number;
  /** The serial as written. */
  serialText: string;
  /** '-' also when the letter used an en dash or '/'. */
  separator: '-' | '.';
  /** Re-printed as formatMemoNumber would: Bangla digits, '.' joins, same separator, unpadded serial. */
  normalized: string;
}

// Prefixes seen in letters: "স্মারক নং-", "স্মারক নম্বর:", "সূত্র: স্মারক নং", "Memo No.", "Ref:", ...
// The lookahead stops a word like "memorandum" from being half-eaten as "memo".
const PREFIX_RE =
  /^(?:সূত্র\s*[ঃ:]?\s*)?(?:স্মারক(?:\s*(?:নং|নম্বর|নাম্বার))?|নং|নম্বর|(?:memo|ref(?:erence)?)\.?(?:\s*(?:no|number)\.?)?)(?=[ঃ\s.:#\-–—]|[0-9০-৯])[ঃ\s.:#\-–—]*/iu;

const DIGITS = '[0-9০-৯]+';
// Dot-joined segments, then optionally a dash-like separator and the serial, then optional full stop (। or .).
const BODY_RE = new RegExp(
  `^(${DIGITS}(?:\\s*\\.\\s*${DIGITS})+)(?:\\s*[-‐‑–—−/]\\s*(${DIGITS}))?\\s*[।.]?$`,
  'u',
);

function detectLayout(segmentsLatin: string[]): ParsedMemoNumber['layout'] {
  for (const name of ['2014', '2024'] as const) {
    const defs = MEMO_LAYOUTS[name];
    if (defs.length === segmentsLatin.length && defs.every((d, i) => segmentsLatin[i]?.length === d.width)) return name;
  }
  return 'other';
}

/**
 * Reads a memo number as found in real letters, leniently: optional prefix ("স্মারক নং-", "Memo No.",
 * "Ref:"), Bangla, Latin or mixed digits, spaces around dots, a trailing "।" or ".", the serial after
 * '-' (or an en dash or '/') or after the last '.'. Needs at least two segments plus the serial.
 * Returns null when the text is not such a number (or the serial is 0).
 */
export function parseMemoNumber(text: string): ParsedMemoNumber | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.normalize('NFC').trim();
  const rest = trimmed.replace(PREFIX_RE, '');
  const m = BODY_RE.exec(rest);
  if (!m || m[1] === undefined) return null;

  const parts = m[1].split(/\s*\.\s*/u);
  let serialText: string;
  let separator: '-' | '.';
  if (m[2] !== undefined) {
    serialText = m[2];
    separator = '-';
  } else {
    serialText = parts.pop() ?? '';
    separator = '.';
  }
  if (parts.length < MIN_SEGMENTS) return null;

  const serial = Number(toLatinDigits(serialText));
  if (!Number.isSafeInteger(serial) || serial < 1) return null;

  const segmentsLatin = parts.map(toLatinDigits);
  return {
    layout: detectLayout(segmentsLatin),
    segments: parts,
    segmentsLatin,
    serial,
    serialText,
    separator,
    normalized: toBanglaDigits(`${segmentsLatin.join('.')}${separator}${serial}`),
  };
}
