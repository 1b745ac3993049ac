// Line kinds of a citizen charter (charter-parser.ts): serials, column-number rows, header rows, rows typed
// without tabs, and headings (service sections, other tables, vision and mission).
import { toLatinDigits } from '../../lib/index.js';
import type { CharterSection } from './charter-parser.types.js';
import { re } from './charter-text.js';

/** A serial alone in the first cell: digits with an optional '.', ')', '।' or ':' after them. */
const SERIAL_RE = /^[0-9০-৯]{1,4}\s*[.)।:]?$/u;
const COLUMN_NUMBER_RE = /^\(?\s*([0-9০-৯]{1,2})\s*\)?$/u;

export function isSerial(cell: string): boolean {
  return SERIAL_RE.test(cell);
}

/** `(১) (২) (৩) …` (or without parentheses): the numbers 1, 2, 3, … in order, at least three of them. */
export function isColumnNumberRow(nonEmpty: readonly string[]): boolean {
  if (nonEmpty.length < 3) return false;
  return nonEmpty.every((cell, i) => {
    const m = COLUMN_NUMBER_RE.exec(cell);
    return m !== null && Number(toLatinDigits(m[1] ?? '')) === i + 1;
  });
}

const HEADER_FIRST_CELL_RE = re(String.raw`^(?:ক্রমিক|ক্রঃ|ক্র\s*\.|ক্র\s*নং|নং\s*$|sl\b|s\.\s*no|serial|no\.?\s*$)`, 'iu');
const SERVICE_NAME_HEADER_RE = re(String.raw`^সেবার\s*(?:নাম|বিবরণ)(?![\p{L}\p{M}])|^service`, 'iu');
export const SERVICE_TABLE_HEADER_RE = re(String.raw`সেবার\s*(?:নাম|বিবরণ)|service`, 'iu');
/** Header words of the other tables of a charter: expectations (করণীয়) and grievance redress (GRS). */
export const OTHER_TABLE_HEADER_RE = re(String.raw`করণীয়|কখন\s*যোগাযোগ|অভিযোগ|grievance`, 'iu');

export function isHeaderRow(cells: readonly string[]): boolean {
  return HEADER_FIRST_CELL_RE.test(cells[0] ?? '') || cells.some((c) => c.length <= 40 && SERVICE_NAME_HEADER_RE.test(c));
}

/** A table row typed with spaces instead of tabs: a serial, space, then text. */
export function looksLikeUntabbedRow(text: string): boolean {
  return text.length >= 15 && /^[0-9০-৯]{1,3}\s*[.)।]?\s+\S/u.test(text);
}

export type Heading =
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
export function classifyHeading(text: string, continuingRow: boolean): Heading | null {
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
