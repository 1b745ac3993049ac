// Bangla first, English on request. The shared catalogues (layout, navigation, errors) live beside this file;
// each feature keeps its own text in <feature>.i18n.ts ({ bn, en }) and the wiring registers it at start
// (registerCatalogues in src/app.ts), so this module imports no feature.
import i18next, { type TFunction } from 'i18next';
import { bn } from './bn.js';
import { en } from './en.js';

export const LANGUAGES = ['bn', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Translate = TFunction;

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: 'bn',
  fallbackLng: 'bn',
  supportedLngs: [...LANGUAGES],
  // Copies: a feature registered under a shared name (users) is merged into these objects, not into bn.ts/en.ts.
  resources: { bn: { translation: structuredClone(bn) }, en: { translation: structuredClone(en) } },
  interpolation: { escapeValue: false }, // Handlebars escapes
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

/** One feature's interface text: the same keys in Bangla and English. */
export interface Catalogue {
  readonly bn: Readonly<Record<string, unknown>>;
  readonly en: Readonly<Record<string, unknown>>;
}

const registered = new Map<string, Catalogue>();
/** What each translator remembered (see memoised below). */
const remembered: Map<string, string>[] = [];

/**
 * Adds a feature's text under `namespace`, so views and routes ask for t('namespace.key'). Merged into a shared
 * catalogue of that name if there is one (users). Idempotent: registering the same text again changes nothing;
 * a namespace already holding different text is refused (two features claiming one name is a wiring mistake).
 */
export function registerCatalogue(namespace: string, catalogue: Catalogue): void {
  const had = registered.get(namespace);
  if (had === catalogue) return;
  if (had) {
    if (JSON.stringify(had) === JSON.stringify(catalogue)) return;
    throw new Error(`i18n: the namespace "${namespace}" already has a different catalogue`);
  }
  for (const lang of LANGUAGES) i18n.addResourceBundle(lang, 'translation', { [namespace]: catalogue[lang] }, true, true);
  registered.set(namespace, catalogue);
  // A key asked for before its catalogue came was remembered as itself; forget what the translators remembered.
  for (const seen of remembered) seen.clear();
}

export function isLanguage(value: unknown): value is Language {
  return value === 'bn' || value === 'en';
}

/**
 * Translators fixed to one language, one per language for the process. The catalogues do not change once the
 * features are registered, so a key asked for without options (most of a page's labels) is looked up once and
 * remembered: i18next's own lookup was ~7 % of a page's CPU under load.
 */
const translators = new Map<Language, Translate>();

function memoised(lang: Language): Translate {
  const fixed = i18n.getFixedT(lang);
  const seen = new Map<string, string>();
  remembered.push(seen);
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
