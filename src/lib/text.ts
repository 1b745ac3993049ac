/**
 * Text normalisation for storing, comparing and searching Bangla (and English) text.
 *
 * The same Bangla word arrives in different code-point sequences: য় typed as U+09DF or as
 * য + nukta (U+09AF U+09BC), likewise ড় and ঢ়. NFC maps both to the decomposed pair (these
 * letters are composition exclusions), so NFC alone makes them compare equal.
 */

/** NFC, trimmed, with every run of whitespace (including NBSP, tabs, newlines) collapsed to one space. */
export function normaliseText(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** Key for stored search fields and for queries against them: normalised and lower-cased. */
export function searchKey(s: string): string {
  // Lower-casing may in theory produce a non-NFC sequence (e.g. İ → i + U+0307), so normalise again.
  return normaliseText(s).toLowerCase().normalize('NFC');
}

/** Escapes a string for literal use inside a RegExp (also valid with the `u` flag). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
