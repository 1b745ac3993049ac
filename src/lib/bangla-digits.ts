/**
 * Bangla (Bengali script) digits for documents, and lenient parsing of numbers that
 * users type with either digit set.
 */

const BANGLA_ZERO = 0x09e6; // ০ — the ten Bangla digits are contiguous, U+09E6..U+09EF
const LATIN_ZERO = 0x30;

/** Replaces every Latin digit with its Bangla counterpart; all other characters pass through. */
export function toBanglaDigits(x: string | number): string {
  return String(x).replace(/[0-9]/g, (c) => String.fromCharCode(BANGLA_ZERO + c.charCodeAt(0) - LATIN_ZERO));
}

/** Replaces every Bangla digit with its Latin counterpart; all other characters pass through. */
export function toLatinDigits(s: string): string {
  return s.replace(/[০-৯]/g, (c) => String.fromCharCode(LATIN_ZERO + c.charCodeAt(0) - BANGLA_ZERO));
}

export interface FormatNumberOptions {
  /** Exact number of digits after the decimal point. Default: as Intl does (0 to 3, trailing zeros dropped). */
  fractionDigits?: number;
}

// Formatter construction is costly compared with formatting, and documents format many numbers.
const formatters = new Map<number | undefined, Intl.NumberFormat>();

function formatterFor(fractionDigits: number | undefined): Intl.NumberFormat {
  let f = formatters.get(fractionDigits);
  if (!f) {
    // numberingSystem is explicit so a future CLDR change of the bn default cannot switch us to Latin digits.
    f = new Intl.NumberFormat('bn-BD', {
      numberingSystem: 'beng',
      useGrouping: true,
      ...(fractionDigits === undefined
        ? {}
        : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
    });
    formatters.set(fractionDigits, f);
  }
  return f;
}

/**
 * Formats a number the way Bangladesh documents print it: Bangla digits with Indian (lakh/crore)
 * grouping, e.g. 124080 → "১,২৪,০৮০". Node's full ICU does this for 'bn-BD' (checked by tests).
 * Throws RangeError for NaN/Infinity: printing "NaN" in an official letter is always a bug upstream.
 */
export function formatNumberBn(n: number, opts: FormatNumberOptions = {}): string {
  if (!Number.isFinite(n)) throw new RangeError(`formatNumberBn: not a finite number: ${n}`);
  const { fractionDigits } = opts;
  if (fractionDigits !== undefined && !(Number.isInteger(fractionDigits) && fractionDigits >= 0 && fractionDigits <= 20)) {
    throw new RangeError(`formatNumberBn: fractionDigits must be an integer 0..20, got ${fractionDigits}`);
  }
  // Intl prints -0 as "-০"; nobody wants a signed zero on paper.
  return formatterFor(fractionDigits).format(n === 0 ? 0 : n);
}

// Integer part: plain digits, or correctly grouped western (1,234,567) or Indian (12,34,567) style.
// Anything else with commas (e.g. "1,2,3,,4") is more likely a typo than a number, so it is rejected.
const PLAIN = String.raw`\d+`;
const WESTERN = String.raw`\d{1,3}(?:,\d{3})+`;
const INDIAN = String.raw`\d{1,2}(?:,\d{2})*,\d{3}`;
const NUMBER_RE = new RegExp(String.raw`^-?(?:(?:${PLAIN}|${WESTERN}|${INDIAN})(?:\.\d+)?|\.\d+)$`);

/**
 * Parses a number typed in a form: Bangla or Latin digits (mixing allowed), Indian or western
 * thousands separators, optional decimal point and leading minus, surrounding whitespace.
 * Returns null for anything that is not such a number (including "" and overflow to Infinity).
 */
export function parseNumberInput(s: string): number | null {
  const latin = toLatinDigits(s.trim());
  if (!NUMBER_RE.test(latin)) return null;
  const n = Number(latin.replace(/,/g, ''));
  if (!Number.isFinite(n)) return null;
  return n === 0 ? 0 : n; // "-0" → 0
}
