// The PDF adapter: everything else imports from here, never from puppeteer.
export { PdfRenderer, createPdfRenderer } from './renderer.js';
export { PDF_ASSET_ORIGIN } from './assets.js';
export { PdfQueueFullError, PdfRenderTimeoutError, PdfRenderError, PdfRendererClosedError } from './errors.js';
export type { PdfAsset, PdfLogger, PdfRendererOptions, PdfRendererStats, RenderOptions } from './types.js';
export { setPdfMetadata, rewriteWithPdfLib, type PdfMetadata } from './metadata.js';
export { findChromium, findDocumentChromium } from './browser.js';
