// Turns trusted document HTML into PDF with one warm Chromium and a pool of reusable pages.
//
// Safety: document pages run no JavaScript and load nothing from the network. Every request is aborted except
// data: URLs and the renderer's own assets (stylesheets and fonts registered with registerAsset), which are
// answered from memory; the browser itself is pointed at a dead proxy for anything that bypasses interception.
//
// Robustness: the queue is bounded (beyond poolSize rendering + maxWaiting queued, render() rejects at once),
// each render has a deadline, a page that failed or timed out is thrown away, and a browser that crashed or
// stopped answering is killed (its whole process group) and relaunched for the next request. The render in
// flight fails with a typed error; nothing hangs and no promise is left to reject unobserved.
//
// This file is the queue, the render and close(); its parts: the browser's lifecycle and crash recovery
// (browser-lifecycle.ts), the page pool (page-pool.ts), what pages may load (assets.ts), the typed errors
// (errors.ts), the options and stats (types.ts).
import os from 'node:os';
import { AppError } from '../../kernel/errors.js';
import { DocumentAssets } from './assets.js';
import type { Page } from './browser.js';
import { DocumentBrowser } from './browser-lifecycle.js';
import { noop, withDeadline } from './deadline.js';
import { PdfQueueFullError, PdfRenderError, PdfRendererClosedError, PdfRenderTimeoutError } from './errors.js';
import { setPdfMetadata } from './metadata.js';
import { DocumentPages } from './page-pool.js';
import type { PdfAsset, PdfCounters, PdfLogger, PdfRendererOptions, PdfRendererStats, RendererContext, RenderOptions } from './types.js';

const DEFAULTS = { maxWaiting: 100, renderTimeoutMs: 15_000, closeTimeoutMs: 3_000, creator: 'Udbhabon' } as const;

export class PdfRenderer {
  readonly poolSize: number;
  readonly maxWaiting: number;
  readonly renderTimeoutMs: number;
  readonly acquireTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private readonly creator: string;
  private readonly tagged: boolean;
  private readonly logger: PdfLogger | undefined;
  private readonly assets: DocumentAssets;
  private readonly browser: DocumentBrowser;
  private readonly pages: DocumentPages;
  private readonly background = new Set<Promise<unknown>>();

  private closing = false;
  private closed: Promise<void> | undefined;
  private inFlight = 0;
  private readonly counters: PdfCounters = { renders: 0, failures: 0, timeouts: 0, rejected: 0, relaunches: 0, blockedRequests: 0, assetsServed: 0 };

  constructor(options: PdfRendererOptions = {}) {
    this.poolSize = Math.max(1, options.poolSize ?? os.availableParallelism());
    this.maxWaiting = Math.max(0, options.maxWaiting ?? DEFAULTS.maxWaiting);
    this.renderTimeoutMs = options.renderTimeoutMs ?? DEFAULTS.renderTimeoutMs;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? this.renderTimeoutMs;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULTS.closeTimeoutMs;
    this.creator = options.creator ?? DEFAULTS.creator;
    this.tagged = options.tagged ?? false;
    this.logger = options.logger;
    this.assets = new DocumentAssets(this.counters);
    for (const [p, asset] of Object.entries(options.assets ?? {})) this.registerAsset(p, asset);

    const ctx: RendererContext = {
      renderTimeoutMs: this.renderTimeoutMs,
      closeTimeoutMs: this.closeTimeoutMs,
      logger: this.logger,
      counters: this.counters,
      isClosing: () => this.closing,
      track: (p) => this.track(p),
    };
    this.browser = new DocumentBrowser(ctx, options.executablePath);
    this.pages = new DocumentPages(ctx, this.browser, this.assets, { poolSize: this.poolSize, maxWaiting: this.maxWaiting, acquireTimeoutMs: this.acquireTimeoutMs });
  }

  /** Launches Chromium and opens the pages now instead of on the first render. */
  async start(): Promise<void> {
    if (this.closing) throw new PdfRendererClosedError();
    this.pages.start();
    await this.browser.ensure();
    await withDeadline(this.pages.ready(), this.acquireTimeoutMs, () => new PdfRenderTimeoutError('acquire', this.acquireTimeoutMs));
  }

  /** Serves `body` to document pages at assetUrl(path). Registering the same path again replaces it. */
  registerAsset(path: string, asset: PdfAsset): void {
    this.assets.register(path, asset);
  }

  hasAsset(path: string): boolean {
    return this.assets.has(path);
  }

  /** The URL a document uses to load a registered asset. */
  assetUrl(path: string): string {
    return this.assets.url(path);
  }

  /** The running Chromium's process id (for diagnostics and tests). */
  get browserPid(): number | undefined {
    return this.browser.pid;
  }

  stats(): PdfRendererStats {
    return { ...this.counters, inFlight: this.inFlight, pages: this.pages.size, browserPid: this.browserPid };
  }

  /** Renders a complete HTML document to an A4 PDF (the document's CSS @page rules win). */
  async render(html: string, options: RenderOptions = {}): Promise<Buffer> {
    if (this.closing) throw new PdfRendererClosedError();
    if (this.inFlight >= this.poolSize + this.maxWaiting) {
      this.counters.rejected++;
      this.counters.failures++;
      throw new PdfQueueFullError(this.maxWaiting);
    }
    this.inFlight++;
    try {
      return await this.renderAccepted(html, options);
    } catch (err) {
      this.counters.failures++;
      throw err;
    } finally {
      this.inFlight--;
    }
  }

  private async renderAccepted(html: string, options: RenderOptions): Promise<Buffer> {
    const page = await this.pages.acquire();
    const slot = this.pages.slotOf(page);
    const timeoutMs = options.timeoutMs ?? this.renderTimeoutMs;
    let ok = false;
    try {
      const work = this.print(page, html, options, timeoutMs);
      const pdf = await withDeadline(work, timeoutMs, () => new PdfRenderTimeoutError('render', timeoutMs), slot);
      ok = true;
      this.counters.renders++;
      return pdf;
    } catch (err) {
      if (err instanceof PdfRenderTimeoutError) {
        this.counters.timeouts++;
        this.logger?.warn({ timeoutMs }, 'pdf: render timed out; its page is discarded');
      }
      if (err instanceof AppError) throw err;
      const browserGone = !slot?.alive;
      throw new PdfRenderError(browserGone ? 'the browser stopped during the render' : ((err as Error)?.message ?? String(err)), {
        cause: err,
      });
    } finally {
      if (ok) {
        this.pages.release(page);
      } else {
        // A page that failed may be mid-navigation or hung: never reuse it. If it will not close, the browser
        // is not answering and is replaced.
        this.track(this.pages.discard(page, slot));
      }
    }
  }

  private async print(page: Page, html: string, options: RenderOptions, timeoutMs: number): Promise<Buffer> {
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
    const printed = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: this.tagged,
      timeout: timeoutMs,
    });
    const { timeoutMs: _t, ...meta } = options;
    const hasMeta = Object.values(meta).some((v) => v !== undefined);
    if (!hasMeta) return Buffer.from(printed.buffer, printed.byteOffset, printed.byteLength);
    return setPdfMetadata(printed, { ...meta, creator: this.creator });
  }

  private track(p: Promise<unknown>): void {
    const guarded = p.catch(noop);
    this.background.add(guarded);
    void guarded.finally(() => this.background.delete(guarded));
  }

  /**
   * Stops accepting renders, lets the accepted ones finish (each bounded by its deadline), closes the pages
   * and the browser, and SIGKILLs Chromium's process group if it has not exited after closeTimeoutMs.
   */
  close(): Promise<void> {
    this.closed ??= this.doClose();
    return this.closed;
  }

  private async doClose(): Promise<void> {
    this.closing = true;
    const bound = this.renderTimeoutMs + this.acquireTimeoutMs + 1_000;
    await withDeadline(this.pages.drain(), bound, () => new Error('drain timed out')).catch(noop);
    await withDeadline(this.pages.clear(), this.closeTimeoutMs, () => new Error('clear timed out')).catch(noop);
    await this.browser.close();
    await withDeadline(Promise.all(this.background), this.closeTimeoutMs, () => new Error('background timed out')).catch(noop);
    this.logger?.info({ ...this.counters }, 'pdf: renderer closed');
  }
}

/** Factory with config defaults applied by the caller: createPdfRenderer({ executablePath, poolSize, logger }). */
export function createPdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  return new PdfRenderer(options);
}
