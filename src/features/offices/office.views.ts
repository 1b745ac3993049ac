// What the office list and detail pages show of an office: a list row and the memo number prefix.
import type { Language } from '../../platform/i18n/index.js';
import { digitsFor, type Translate } from './office.http.js';
import type { OfficeListItem } from './office.queries.js';
import type { OfficeRecord } from './office.record.js';
import { MEMO_SEGMENT_KEYS } from './office.schemas.js';

/** A row of the office list; `showPath` adds the offices above it (when a filter hides them). */
export function listRow(item: OfficeListItem, lang: Language, t: Translate, manageable: boolean, showPath: boolean) {
  const name = lang === 'en' ? (item.nameEn ?? item.nameBn) : item.nameBn;
  return {
    id: item.id,
    name,
    other: lang === 'en' ? (item.nameEn ? item.nameBn : undefined) : (item.nameEn ?? undefined),
    code: item.code,
    level: t(`offices.levels.${item.level}`),
    geoCode: digitsFor(lang, item.geoCode),
    active: item.active,
    depth: item.depth,
    indent: item.depth > 0 ? `${'\u2003'.repeat(item.depth - 1)}└ ` : '',
    pad: '\u2003'.repeat(item.depth),
    path: showPath ? item.path.map((p) => (lang === 'en' ? (p.nameEn ?? p.nameBn) : p.nameBn)).join(' › ') : '',
    manageable,
  };
}

/** The memo number prefix made of the office's segments, or undefined when none is set. */
export function memoPreview(r: OfficeRecord, lang: Language): string | undefined {
  const parts = MEMO_SEGMENT_KEYS.map((k) => r.memoSegments?.[k]).filter((v): v is string => !!v);
  return parts.length ? digitsFor(lang, parts.join('.')) : undefined;
}
