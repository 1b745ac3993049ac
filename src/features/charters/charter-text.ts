// Cell text of a citizen charter (charter-parser.ts): HTML fragments made readable, entities decoded, NFC,
// whitespace collapsed; and the NFC RegExp builder the charter's Bangla patterns are compiled with.
import { normaliseText } from '../../lib/index.js';

/** Builds a RegExp from Bangla source text in NFC, the form every input is compared in. */
export function re(source: string, flags = 'u'): RegExp {
  return new RegExp(source.normalize('NFC'), flags);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  times: '×',
  copy: '©',
  reg: '®',
  shy: '',
  zwj: '\u200D',
  zwnj: '\u200C',
};

/** Decodes HTML character references once (so `&amp;lt;` becomes the text `&lt;`); unknown names stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const LINK_RE = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF_RE = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
/** Tags that separate words (line and block breaks): replaced by a space. */
const BREAK_TAG_RE = /<\/?(?:br|p|div|li|ul|ol|tr|td|th|table|tbody|thead|h[1-6]|hr)\b[^>]*>/gi;
/** Any other tag or comment: removed. A '<' not followed by a Latin letter (e.g. '< ৫ দিন') is text. */
const TAG_RE = /<!--[\s\S]*?-->|<\/?[a-z][a-z0-9-]*(?:\s[^>]*)?\/?>/gi;

function stripTags(s: string): string {
  return s.replace(BREAK_TAG_RE, ' ').replace(TAG_RE, '');
}

function safeDecodeUri(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A link as readable text: its text, followed by the address in parentheses when the text does not show it. */
function linkText(attrs: string, inner: string): string {
  const m = HREF_RE.exec(attrs);
  const href = decodeEntities((m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim());
  const text = normaliseText(decodeEntities(stripTags(inner)));
  let address = '';
  if (/^mailto:/i.test(href)) address = safeDecodeUri(href.slice('mailto:'.length).split('?')[0] ?? '');
  else if (/^tel:/i.test(href)) address = safeDecodeUri(href.slice('tel:'.length));
  else if (/^https?:\/\//i.test(href)) address = href;
  address = address.trim();
  if (!address) return text;
  if (!text) return address;
  const shown = text.toLowerCase();
  const bare = address
    .toLowerCase()
    .replace(/^https?:\/\/(?:www\.)?/, '')
    .replace(/\/$/, '');
  if (shown.includes(address.toLowerCase()) || shown.includes(bare)) return text;
  return `${text} (${address})`;
}

/** Cell text as stored: links made readable, tags dropped, entities decoded, NFC, whitespace collapsed. */
export function cleanCellText(s: string): string {
  const withLinks = s.replace(LINK_RE, (_whole, attrs: string, inner: string) => linkText(attrs, inner));
  const text = decodeEntities(stripTags(withLinks)).replace(/[\u200B\u00AD\uFEFF]/g, '');
  return normaliseText(text);
}
