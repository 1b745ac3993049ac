// Documents: the contract types the meetings and initiatives features fill in, and their HTML/PDF rendering.
export type * from './document.types.js';
export {
  /** Minutes as a complete HTML document (fonts inlined unless a stylesheet URL is given). */
  renderMinutesHtml,
  /** An initiative's profile as a complete HTML document. */
  renderInitiativeProfileHtml,
  /** Minutes as an A4 PDF through the shared PdfRenderer, with PDF metadata set. */
  renderMinutesPdf,
  /** An initiative's profile as an A4 PDF through the shared PdfRenderer. */
  renderInitiativeProfilePdf,
  /** The documents' stylesheet (embedded fonts + templates/print.css), built once. */
  documentStylesheet,
  /** Multi-line user text as escaped <p> paragraphs. */
  textToParagraphsHtml,
  type DocumentHtmlOptions,
  type DocumentPdfOptions,
} from './render.js';
export { sampleMinutesDocument } from './sample.js';
