// Bangla first, English on request. The message catalogues live beside this file.
import i18next, { type TFunction } from 'i18next';
import { bn } from './bn.js';
import { en } from './en.js';
import { officesText } from '../../features/offices/offices.i18n.js';
import { usersText } from '../../features/users/users.i18n.js';
import { auditText } from '../../features/audit/audit.i18n.js';
import { chartersText } from '../../features/charters/charters.i18n.js';
import { initiativesText } from '../../features/initiatives/initiatives.i18n.js';
import { attachmentsText } from '../../features/initiatives/attachments.i18n.js';
import { meetingsText, memoText } from '../../features/meetings/meetings.i18n.js';
import { letterheadText } from '../../features/letterhead/letterhead.i18n.js';

export const LANGUAGES = ['bn', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Translate = TFunction;

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: 'bn',
  fallbackLng: 'bn',
  supportedLngs: [...LANGUAGES],
  // Each feature keeps its own interface text in <feature>.i18n.ts ({ bn, en }), merged under its name.
  resources: {
    bn: { translation: { ...bn, offices: officesText.bn, users: { ...bn.users, ...usersText.bn }, audit: auditText.bn, charters: chartersText.bn, initiatives: initiativesText.bn, attachments: attachmentsText.bn, meetings: meetingsText.bn, memo: memoText.bn, letterhead: letterheadText.bn } },
    en: { translation: { ...en, offices: officesText.en, users: { ...en.users, ...usersText.en }, audit: auditText.en, charters: chartersText.en, initiatives: initiativesText.en, attachments: attachmentsText.en, meetings: meetingsText.en, memo: memoText.en, letterhead: letterheadText.en } },
  },
  interpolation: { escapeValue: false }, // Handlebars escapes
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

export function isLanguage(value: unknown): value is Language {
  return value === 'bn' || value === 'en';
}

/**
 * Translators fixed to one language, one per language for the process. The catalogues never change while the
 * app runs, so a key asked for without options (most of a page's labels) is looked up once and remembered:
 * i18next's own lookup was ~7 % of a page's CPU under load.
 */
const translators = new Map<Language, Translate>();

function memoised(lang: Language): Translate {
  const fixed = i18n.getFixedT(lang);
  const seen = new Map<string, string>();
  const t = ((key: unknown, ...rest: unknown[]) => {
    if (rest.length === 0 && typeof key === 'string') {
      let text = seen.get(key);
      if (text === undefined) {
        text = String(fixed(key));
        // Keys are the catalogue's, but some are built from data; a bound keeps odd ones from piling up.
        if (seen.size < 10_000) seen.set(key, text);
      }
      return text;
    }
    return (fixed as unknown as (...a: unknown[]) => unknown)(key, ...rest);
  }) as unknown as Translate;
  return t;
}

/** A translator fixed to one language. */
export function translator(lang: Language): Translate {
  let t = translators.get(lang);
  if (!t) {
    t = memoised(lang);
    translators.set(lang, t);
  }
  return t;
}
