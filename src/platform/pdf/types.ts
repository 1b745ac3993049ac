// The renderer's options, its statistics, and what its parts (browser, pages, assets) share.
import type { PdfMetadata } from './metadata.js';

/** The subset of a pino logger the renderer uses. */
export interface PdfLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PdfAsset {
  readonly contentType: string;
  readonly body: Buffer | string;
}

export interface PdfRendererOptions {
  /** Chromium to run; default: findDocumentChromium() (config.pdf.executablePath), the headless shell if installed. */
  readonly executablePath?: string | undefined;
  /** Pages rendering at the same time; default: the CPU count (config.pdf.poolSize). */
  readonly poolSize?: number | undefined;
  /** Renders allowed to wait for a page; one more is refused with PdfQueueFullError. Default 100. */
  readonly maxWaiting?: number | undefined;
  /** Deadline of one render once it has a page (load + print + metadata). Default 15 s. */
  readonly renderTimeoutMs?: number | undefined;
  /** Deadline for getting a page from the pool. Default: renderTimeoutMs. */
  readonly acquireTimeoutMs?: number | undefined;
  /** How long close() waits for Chromium to exit before SIGKILL. Default 3 s. */
  readonly closeTimeoutMs?: number | undefined;
  /** Printed in each PDF's Creator field when metadata is set. Default "Udbhabon". */
  readonly creator?: string | undefined;
  /** Assets (path → content) served to document pages; more can be added with registerAsset(). */
  readonly assets?: Readonly<Record<string, PdfAsset>> | undefined;
  readonly logger?: PdfLogger | undefined;
  /**
   * Tagged (accessible) PDF with a structure tree. Default false: tagging costs ~20 % more Chromium CPU per
   * document (measured on the sample minutes), and throughput is the constraint; turn it on where screen-reader
   * access to the PDFs matters more.
   */
  readonly tagged?: boolean | undefined;
}

export interface RenderOptions extends Omit<PdfMetadata, 'creator'> {
  /** Overrides renderTimeoutMs for this render. */
  readonly timeoutMs?: number | undefined;
}

export interface PdfRendererStats {
  /** PDFs produced. */
  readonly renders: number;
  /** Renders that failed for any reason (timeouts, crashes, refusals included). */
  readonly failures: number;
  readonly timeouts: number;
  /** Refused because the queue was full. */
  readonly rejected: number;
  /** Browser launches after the first one. */
  readonly relaunches: number;
  /** Requests from document pages that were aborted. */
  readonly blockedRequests: number;
  /** Renderer assets answered from memory (Chromium caches them per page, so far fewer than renders). */
  readonly assetsServed: number;
  /** Accepted renders not yet finished (rendering + waiting). */
  readonly inFlight: number;
  readonly pages: number;
  readonly browserPid: number | undefined;
}

/** The running counts behind stats(); each part of the renderer adds to its own. */
export type PdfCounters = { -readonly [K in keyof Omit<PdfRendererStats, 'inFlight' | 'pages' | 'browserPid'>]: number };

/** What the renderer shares with its parts (browser, pages, assets). */
export interface RendererContext {
  readonly renderTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly logger: PdfLogger | undefined;
  readonly counters: PdfCounters;
  /** True once close() has begun: nothing new starts. */
  isClosing(): boolean;
  /** Keeps a background promise (its rejection observed) for close() to wait for. */
  track(p: Promise<unknown>): void;
}
