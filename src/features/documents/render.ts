// Documents to HTML (Handlebars templates in /templates, compiled once) and to PDF (through the platform's
// PdfRenderer). The templates receive the contract types of document.types.ts and hold layout only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Handlebars from 'handlebars';
import QRCode from 'qrcode';
import { PROJECT_ROOT } from '../../config.js';
import { toBanglaDigits } from '../../lib/bangla-digits.js';
import type { PdfRenderer, RenderOptions } from '../../platform/pdf/index.js';
import type { InitiativeProfileDocument, MinutesDocument } from './document.types.js';

export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'templates');

export interface DocumentHtmlOptions {
  /**
   * Link the document stylesheet (fonts included) from this URL instead of inlining it. The PDF path links it
   * from the renderer's in-memory assets so Chromium parses the ~200 kB of fonts once per page, not per document.
   */
  readonly stylesheetHref?: string | undefined;
}

export interface DocumentPdfOptions {
  /** Overrides the renderer's per-render deadline. */
  readonly timeoutMs?: number | undefined;
}

// --- Handlebars: an isolated instance, templates compiled once -----------------------------------------------

const hbs = Handlebars.create();
const escape = (s: unknown) => hbs.Utils.escapeExpression(s == null ? '' : String(s));

/** Multi-line user text → escaped paragraphs: blank lines separate paragraphs, single newlines become <br>. */
export function textToParagraphsHtml(text: string | null | undefined): string {
  if (text == null) return '';
  return String(text)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|svg\+xml)(?:;charset=[\w-]+)?;base64,[A-Za-z0-9+/=\s]+$/;

hbs.registerHelper('paragraphs', (text: unknown) => new hbs.SafeString(textToParagraphsHtml(text as string | undefined)));
hbs.registerHelper('serial', (index: unknown) => toBanglaDigits(Number(index) + 1));
hbs.registerHelper('join', (list: unknown, sep: unknown) =>
  Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : ', ') : '',
);
// "১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ / ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ" → one line per calendar.
hbs.registerHelper('dateLines', (s: unknown) => (typeof s === 'string' ? s.split(/\s+\/\s+/) : []));
// Only a base64 data: image is ever printed as an image source; anything else is dropped.
hbs.registerHelper('dataImage', (url: unknown) => (typeof url === 'string' && DATA_IMAGE.test(url) ? url : ''));
hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));

type Compiled = Handlebars.TemplateDelegate<object>;
const compiled = new Map<string, Compiled>();
let partialsLoaded = false;

function template(name: 'minutes' | 'initiative-profile'): Compiled {
  let t = compiled.get(name);
  if (!t) {
    if (!partialsLoaded) {
      const dir = path.join(TEMPLATES_DIR, 'partials');
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
        hbs.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(dir, file), 'utf8'));
      }
      partialsLoaded = true;
    }
    t = hbs.compile(fs.readFileSync(path.join(TEMPLATES_DIR, `${name}.hbs`), 'utf8'), { preventIndent: true });
    compiled.set(name, t);
  }
  return t;
}

// --- the stylesheet: embedded fonts + print.css ------------------------------------------------------------

const require = createRequire(import.meta.url);
// One family: every font embedded here is parsed by Chromium for each page and subset into each PDF. Noto Sans
// Bengali was dropped on purpose (see templates/print.css).
const FONT_FAMILIES = [{ family: 'Noto Serif Bengali', pkg: '@fontsource/noto-serif-bengali', file: 'noto-serif-bengali' }] as const;
const FONT_SUBSETS = ['bengali', 'latin'] as const;
const FONT_WEIGHTS = [400, 700] as const;

function fontFaces(): string {
  const rules: string[] = [];
  for (const f of FONT_FAMILIES) {
    const ranges = JSON.parse(fs.readFileSync(require.resolve(`${f.pkg}/unicode.json`), 'utf8')) as Record<string, string>;
    for (const subset of FONT_SUBSETS) {
      for (const weight of FONT_WEIGHTS) {
        const woff2 = fs.readFileSync(require.resolve(`${f.pkg}/files/${f.file}-${subset}-${weight}-normal.woff2`));
        rules.push(
          `@font-face{font-family:'${f.family}';font-style:normal;font-weight:${weight};font-display:block;` +
            `src:url(data:font/woff2;base64,${woff2.toString('base64')}) format('woff2');unicode-range:${ranges[subset]};}`,
        );
      }
    }
  }
  return rules.join('\n');
}

let stylesheet: { css: string; assetPath: string } | undefined;

/** The documents' CSS with fonts embedded, built once; assetPath changes whenever the content does. */
export function documentStylesheet(): { css: string; assetPath: string } {
  if (!stylesheet) {
    const css = `${fontFaces()}\n${fs.readFileSync(path.join(TEMPLATES_DIR, 'print.css'), 'utf8')}`;
    const hash = crypto.createHash('sha256').update(css).digest('hex').slice(0, 12);
    stylesheet = { css, assetPath: `/documents-${hash}.css` };
  }
  return stylesheet;
}

function styles(options: DocumentHtmlOptions): { href?: string; inline?: string } {
  return options.stylesheetHref ? { href: options.stylesheetHref } : { inline: documentStylesheet().css };
}

// --- QR code ------------------------------------------------------------------------------------------------

/** The verification URL as a QR code, an SVG data: URL (vector, so it prints sharp at any size). */
export function qrCodeDataUrl(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const quiet = 2;
  let d = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
  }
  const size = n + 2 * quiet;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

// --- public API ---------------------------------------------------------------------------------------------

/** Minutes as a complete HTML document (self-contained unless a stylesheet URL is given). */
export function renderMinutesHtml(doc: MinutesDocument, options: DocumentHtmlOptions = {}): string {
  const showVerification = !doc.draft && !!doc.verification?.url;
  const { action, information, attention } = doc.distribution;
  return template('minutes')({
    ...doc,
    styles: styles(options),
    showVerification,
    qrDataUrl: showVerification ? qrCodeDataUrl(doc.verification!.url) : undefined,
    hasDistribution: action.length + information.length + attention.length > 0,
  });
}

/** An initiative's profile as a complete HTML document. */
export function renderInitiativeProfileHtml(doc: InitiativeProfileDocument, options: DocumentHtmlOptions = {}): string {
  return template('initiative-profile')({ ...doc, styles: styles(options) });
}

/** Serves the document stylesheet from the renderer's memory and returns its URL. */
function stylesheetFor(renderer: PdfRenderer): string {
  const { css, assetPath } = documentStylesheet();
  if (!renderer.hasAsset(assetPath)) renderer.registerAsset(assetPath, { contentType: 'text/css; charset=utf-8', body: css });
  return renderer.assetUrl(assetPath);
}

function metadata(meta: MinutesDocument['meta'], keywords: readonly string[]): RenderOptions {
  return { title: meta.title, subject: meta.subject, author: meta.author, language: meta.language, keywords };
}

/** Minutes as an A4 PDF with Title, Subject, Author, Keywords, Creator and language set. */
export async function renderMinutesPdf(renderer: PdfRenderer, doc: MinutesDocument, options: DocumentPdfOptions = {}): Promise<Buffer> {
  const html = renderMinutesHtml(doc, { stylesheetHref: stylesheetFor(renderer) });
  const keywords = ['কার্যবিবরণী', ...(doc.draft ? ['খসড়া'] : []), ...(doc.memoNumber && !doc.draft ? [doc.memoNumber] : [])];
  return renderer.render(html, { ...metadata(doc.meta, keywords), timeoutMs: options.timeoutMs });
}

/** An initiative's profile as an A4 PDF with its metadata set. */
export async function renderInitiativeProfilePdf(
  renderer: PdfRenderer,
  doc: InitiativeProfileDocument,
  options: DocumentPdfOptions = {},
): Promise<Buffer> {
  const html = renderInitiativeProfileHtml(doc, { stylesheetHref: stylesheetFor(renderer) });
  return renderer.render(html, { ...metadata(doc.meta, ['উদ্ভাবনী উদ্যোগ']), timeoutMs: options.timeoutMs });
}
