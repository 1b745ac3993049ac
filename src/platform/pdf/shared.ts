// One warm Chromium per process. main.ts creates it and closes it at shutdown; an app built without one (tests,
// scripts) shares this lazily started renderer, closed when the process exits.
import type { Config } from '../../config.js';
import type { Logger } from '../logger.js';
import { createPdfRenderer, type PdfRenderer } from './renderer.js';

let shared: PdfRenderer | undefined;

export function sharedPdfRenderer(config: Config, logger?: Logger): PdfRenderer {
  if (!shared) {
    shared = createPdfRenderer({ executablePath: config.pdf.executablePath, poolSize: config.pdf.poolSize, logger });
    const renderer = shared;
    process.once('beforeExit', () => void renderer.close());
  }
  return shared;
}

/** A lazily created renderer: Chromium starts on the first document, not when the app is built. */
export function lazyPdfRenderer(config: Config, logger?: Logger): () => PdfRenderer {
  return () => sharedPdfRenderer(config, logger);
}
