// PDF document information (Title, Subject, Author, Keywords, Creator) and the catalog's /Lang, set after
// Chromium has printed. Chromium writes Title (from <title>) and /Lang (from <html lang>) itself, but not
// Subject, Author or Keywords.
//
// Fast path: an incremental update (PDF 32000-1 §7.5.6) appended to Chromium's bytes — a new Info dictionary
// (and a catalog copy only if /Lang must change), a small xref section and a trailer pointing at the previous
// one. Chromium's bytes stay untouched, so text extraction cannot change, and it costs microseconds, where a
// pdf-lib load-and-rewrite costs 10–20 ms per document (measured), a real share of the render budget.
// Anything the fast path does not recognise (cross-reference streams, no classic trailer) goes through pdf-lib.
import { PDFDocument } from 'pdf-lib';

export interface PdfMetadata {
  readonly title?: string | undefined;
  readonly subject?: string | undefined;
  readonly author?: string | undefined;
  readonly keywords?: readonly string[] | undefined;
  readonly creator?: string | undefined;
  /** BCP 47 tag for the catalog's /Lang, e.g. "bn". */
  readonly language?: string | undefined;
}

/** Returns a copy of `pdf` carrying `meta`; fields left undefined keep the printed value. */
export async function setPdfMetadata(pdf: Uint8Array, meta: PdfMetadata): Promise<Buffer> {
  const fast = appendInfoUpdate(pdf, meta);
  if (fast) return fast;
  return rewriteWithPdfLib(pdf, meta);
}

/** Same as setPdfMetadata but always through pdf-lib (a whole-file rewrite). */
export async function rewriteWithPdfLib(pdf: Uint8Array, meta: PdfMetadata): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (meta.title !== undefined) doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.subject !== undefined) doc.setSubject(meta.subject);
  if (meta.author !== undefined) doc.setAuthor(meta.author);
  if (meta.keywords !== undefined) doc.setKeywords([meta.keywords.join(', ')]);
  if (meta.creator !== undefined) doc.setCreator(meta.creator);
  if (meta.language !== undefined) doc.setLanguage(meta.language);
  return Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }));
}

// --- incremental update -------------------------------------------------------------------------------------

const TAIL_BYTES = 4096;
/** A PDF string token: literal (...) with escapes (no nested parentheses from Skia), or hex <...>. */
const STRING_TOKEN = String.raw`(\((?:\\[\s\S]|[^\\)])*\)|<[0-9A-Fa-f\s]*>)`;

function appendInfoUpdate(pdf: Uint8Array, meta: PdfMetadata): Buffer | null {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const tail = bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString('latin1');
  const m = /trailer\s*<<([\s\S]*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$/.exec(tail);
  if (!m) return null; // xref stream or something unusual
  const trailer = m[1]!;
  const prevXref = Number(m[2]);
  const size = /\/Size\s+(\d+)/.exec(trailer);
  const root = /\/Root\s+(\d+)\s+(\d+)\s+R/.exec(trailer);
  if (!size || !root || /\/Encrypt\b/.test(trailer)) return null;
  const id = /\/ID\s*\[[^\]]*\]/.exec(trailer)?.[0] ?? '';
  const info = /\/Info\s+(\d+)\s+(\d+)\s+R/.exec(trailer);

  const oldInfo = info ? readObject(bytes, Number(info[1]), Number(info[2])) : '';
  if (info && oldInfo === null) return null;
  const keep = (key: string) => new RegExp(String.raw`\/${key}\s*${STRING_TOKEN}`).exec(oldInfo ?? '')?.[1];

  const entries: string[] = [];
  const put = (key: string, value: string | undefined) => {
    const v = value !== undefined ? pdfText(value) : keep(key);
    if (v !== undefined) entries.push(`/${key} ${v}`);
  };
  put('Title', meta.title);
  put('Subject', meta.subject);
  put('Author', meta.author);
  put('Keywords', meta.keywords?.join(', '));
  put('Creator', meta.creator);
  put('Producer', undefined);
  put('CreationDate', undefined);
  put('ModDate', undefined);

  const objects: { num: number; gen: number; body: string }[] = [];
  let nextNum = Number(size[1]);
  const infoNum = nextNum++;
  objects.push({ num: infoNum, gen: 0, body: `<<${entries.join('\n')}>>` });

  if (meta.language !== undefined) {
    const rootNum = Number(root[1]);
    const rootGen = Number(root[2]);
    const catalog = readObject(bytes, rootNum, rootGen);
    if (catalog === null) return null;
    const lang = new RegExp(String.raw`\/Lang\s*${STRING_TOKEN}`).exec(catalog);
    if (!lang || decodePdfString(lang[1]!) !== meta.language) {
      const dict = catalog.trim();
      if (!dict.startsWith('<<') || !dict.endsWith('>>') || /\bstream\b/.test(dict)) return null;
      const without = lang ? dict.replace(lang[0], '') : dict;
      objects.push({ num: rootNum, gen: rootGen, body: `${without.slice(0, -2)}\n/Lang ${pdfText(meta.language)}>>` });
    }
  }

  let out = bytes[bytes.length - 1] === 0x0a ? '' : '\n';
  let offset = bytes.length + out.length;
  const xrefRows: string[] = [];
  for (const o of objects.sort((a, b) => a.num - b.num)) {
    const text = `${o.num} ${o.gen} obj\n${o.body}\nendobj\n`;
    xrefRows.push(`${o.num} 1\n${String(offset).padStart(10, '0')} ${String(o.gen).padStart(5, '0')} n \n`);
    out += text;
    offset += Buffer.byteLength(text, 'latin1');
  }
  const xrefOffset = offset;
  out +=
    `xref\n${xrefRows.join('')}` +
    `trailer\n<</Size ${nextNum}\n/Root ${root[1]} ${root[2]} R\n/Info ${infoNum} 0 R\n/Prev ${prevXref}${id ? `\n${id}` : ''}>>\n` +
    `startxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([bytes, Buffer.from(out, 'latin1')]);
}

/** The text of an uncompressed object's body (between "N G obj" and "endobj"); null if not found. */
function readObject(bytes: Buffer, num: number, gen: number): string | null {
  const marker = Buffer.from(`\n${num} ${gen} obj`, 'latin1');
  const at = bytes.lastIndexOf(marker);
  if (at < 0) return null;
  const start = at + marker.length;
  const end = bytes.indexOf('endobj', start, 'latin1');
  if (end < 0 || end - start > 64 * 1024) return null;
  return bytes.subarray(start, end).toString('latin1');
}

/** Any text as a PDF hex string in UTF-16BE with a byte-order mark (works for Bangla and ASCII alike). */
function pdfText(s: string): string {
  const utf16 = Buffer.from(s.normalize('NFC'), 'utf16le').swap16();
  return `<FEFF${utf16.toString('hex').toUpperCase()}>`;
}

function decodePdfString(token: string): string {
  if (token.startsWith('<')) {
    const hex = token.slice(1, -1).replace(/\s+/g, '');
    const buf = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
    if (buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
    return buf.toString('latin1');
  }
  return token.slice(1, -1).replace(/\\([\\()])/g, '$1');
}
