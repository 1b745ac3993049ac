// One warm Chromium per process. main.ts creates its own and closes it at shutdown; an app built without one
// (tests, scripts) shares this lazily started renderer. Chromium is connected over a pipe, so it ends with the
// process that started it.
import type { Config } from '../../config.js';
import type { Logger } from '../logger.js';
import { createPdfRenderer, type PdfRenderer } from './renderer.js';

let shared: PdfRenderer | undefined;

/** A lazily created renderer: Chromium starts on the first document, not when the app is built. */
export function lazyPdfRenderer(config: Config, logger?: Logger): () => PdfRenderer {
  return () => (shared ??= createPdfRenderer({ executablePath: config.pdf.executablePath, poolSize: config.pdf.poolSize, logger }));
}
