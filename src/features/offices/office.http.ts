// Helpers shared by the offices feature's pages and API: the response's language and translator, bilingual
// flash text, digits and dates in the page's language, field errors in one language.
import type { Response } from 'express';
import { dhakaDateOf, formatShortDateBn, toBanglaDigits } from '../../lib/index.js';
import type { FieldErrors } from '../../kernel/errors.js';
import { translator, type Language } from '../../platform/i18n/index.js';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export function langOf(res: Response): Language {
  return res.locals.lang === 'en' ? 'en' : 'bn';
}
export function tOf(res: Response): Translate {
  return res.locals.t as Translate;
}
/** The same text in both languages, for flash messages (shown in whichever language the next page uses). */
export function both(key: string, options: { bn?: Record<string, unknown>; en?: Record<string, unknown> } = {}) {
  return { bn: translator('bn')(key, options.bn ?? {}), en: translator('en')(key, options.en ?? {}) };
}
export function digitsFor(lang: Language, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return lang === 'bn' ? toBanglaDigits(value) : String(value);
}
export function dateFor(lang: Language, at: Date): string {
  const day = dhakaDateOf(at);
  return lang === 'bn' ? formatShortDateBn(day) : day.split('-').reverse().join('/');
}
export function localFields(fields: FieldErrors, lang: Language): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]));
}
