// The PDF adapter: everything else imports from here, never from puppeteer.
export {
  PdfRenderer,
  createPdfRenderer,
  PDF_ASSET_ORIGIN,
  PdfQueueFullError,
  PdfRenderTimeoutError,
  PdfRenderError,
  PdfRendererClosedError,
  type PdfAsset,
  type PdfLogger,
  type PdfRendererOptions,
  type PdfRendererStats,
  type RenderOptions,
} from './renderer.js';
export { setPdfMetadata, rewriteWithPdfLib, type PdfMetadata } from './metadata.js';
export { findChromium, findDocumentChromium } from './browser.js';
