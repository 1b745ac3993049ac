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
import os from 'node:os';
import genericPool, { type Pool } from 'generic-pool';
import { AppError } from '../errors.js';
import { DOCUMENT_CHROMIUM_ARGS, launchBrowser, type Browser, type HTTPRequest, type Page } from './browser.js';
import { setPdfMetadata, type PdfMetadata } from './metadata.js';
import { killProcessGroup, waitForGroupExit } from './process-group.js';

/** Where the renderer's own assets live. `.invalid` can never resolve, and nothing under it reaches a network. */
export const PDF_ASSET_ORIGIN = 'http://pdf-assets.invalid';

export interface PdfAsset {
  readonly contentType: string;
  readonly body: Buffer | string;
}

/** The subset of a pino logger the renderer uses. */
export interface PdfLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
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

// --- typed errors -------------------------------------------------------------------------------------------

/** More renders are waiting than the queue allows. */
export class PdfQueueFullError extends AppError {
  readonly status = 503;
  readonly code = 'pdf_queue_full';
  constructor(limit: number) {
    super(
      {
        bn: 'এই মুহূর্তে অনেক নথি তৈরি হচ্ছে। কিছুক্ষণ পর আবার চেষ্টা করুন।',
        en: 'Too many documents are being prepared. Please try again shortly.',
      },
      { limit },
    );
  }
}

/** A render (or the wait for a page) passed its deadline. */
export class PdfRenderTimeoutError extends AppError {
  readonly status = 503;
  readonly code = 'pdf_timeout';
  constructor(
    readonly phase: 'acquire' | 'render',
    readonly timeoutMs: number,
  ) {
    super(
      { bn: 'নথি তৈরি করতে বেশি সময় লাগছে। আবার চেষ্টা করুন।', en: `Preparing the document took too long (${phase}, ${timeoutMs} ms).` },
      { phase, timeoutMs },
    );
  }
}

/** The browser crashed or failed during the render. */
export class PdfRenderError extends AppError {
  readonly status = 500;
  readonly code = 'pdf_failed';
  constructor(reason: string, options?: { cause?: unknown }) {
    super({ bn: 'নথি তৈরি করা যায়নি। আবার চেষ্টা করুন।', en: `The document could not be prepared: ${reason}` }, { reason });
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** render() after close(). */
export class PdfRendererClosedError extends AppError {
  readonly status = 503;
  readonly code = 'pdf_closed';
  constructor() {
    super({ bn: 'সেবাটি বন্ধ হচ্ছে।', en: 'The PDF renderer is shut down.' });
  }
}

// --- small helpers ------------------------------------------------------------------------------------------

const noop = () => {};

/** Resolves/rejects like `work`, or rejects with onTimeout() after ms; the loser's late result is swallowed. */
function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error, slot?: BrowserSlot): Promise<T> {
  work.catch(noop);
  return new Promise<T>((resolve, reject) => {
    const abort = (err: Error) => (done(), reject(err));
    const timer = setTimeout(() => abort(onTimeout()), ms);
    // Puppeteer rejects pending calls when the browser goes away; this makes it certain and immediate.
    slot?.onDeath.add(abort);
    function done() {
      clearTimeout(timer);
      slot?.onDeath.delete(abort);
    }
    work.then(
      (v) => (done(), resolve(v)),
      (e: unknown) => (done(), reject(e)),
    );
  });
}

interface BrowserSlot {
  readonly browser: Browser;
  readonly pid: number | undefined;
  /** Called when this browser disconnects (crash, kill, close): fails the renders running on it. */
  readonly onDeath: Set<(err: Error) => void>;
  alive: boolean;
}

const DEFAULTS = { maxWaiting: 100, renderTimeoutMs: 15_000, closeTimeoutMs: 3_000, creator: 'Udbhabon' } as const;

export class PdfRenderer {
  readonly poolSize: number;
  readonly maxWaiting: number;
  readonly renderTimeoutMs: number;
  readonly acquireTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private readonly creator: string;
  private readonly tagged: boolean;
  private readonly executablePath: string | undefined;
  private readonly logger: PdfLogger | undefined;
  private readonly assets = new Map<string, PdfAsset>();
  private readonly pool: Pool<Page>;
  private readonly pageSlots = new WeakMap<Page, BrowserSlot>();
  private readonly crashedPages = new WeakSet<Page>();
  private readonly background = new Set<Promise<unknown>>();

  private slot: BrowserSlot | undefined;
  private launching: Promise<BrowserSlot> | undefined;
  private launches = 0;
  private lastLaunchFailure = 0;
  private closing = false;
  private closed: Promise<void> | undefined;
  private inFlight = 0;
  private counters = { renders: 0, failures: 0, timeouts: 0, rejected: 0, relaunches: 0, blockedRequests: 0, assetsServed: 0 };

  constructor(options: PdfRendererOptions = {}) {
    this.poolSize = Math.max(1, options.poolSize ?? os.availableParallelism());
    this.maxWaiting = Math.max(0, options.maxWaiting ?? DEFAULTS.maxWaiting);
    this.renderTimeoutMs = options.renderTimeoutMs ?? DEFAULTS.renderTimeoutMs;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? this.renderTimeoutMs;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULTS.closeTimeoutMs;
    this.creator = options.creator ?? DEFAULTS.creator;
    this.tagged = options.tagged ?? false;
    this.executablePath = options.executablePath;
    this.logger = options.logger;
    for (const [p, asset] of Object.entries(options.assets ?? {})) this.registerAsset(p, asset);

    this.pool = genericPool.createPool<Page>(
      {
        create: () => this.createPage(),
        destroy: (page) => this.destroyPage(page),
        validate: async (page) => this.isUsable(page),
      },
      {
        max: this.poolSize,
        min: this.poolSize, // pages stay warm between documents
        testOnBorrow: true,
        autostart: false,
        acquireTimeoutMillis: this.acquireTimeoutMs,
        // Our own bound (poolSize + maxWaiting accepted renders) is checked first; this is a backstop.
        maxWaitingClients: this.maxWaiting + this.poolSize,
      },
    );
    this.pool.on('factoryCreateError', (err: unknown) => this.logger?.error({ err }, 'pdf: could not open a page'));
    this.pool.on('factoryDestroyError', (err: unknown) => this.logger?.warn({ err }, 'pdf: could not close a page'));
  }

  /** Launches Chromium and opens the pages now instead of on the first render. */
  async start(): Promise<void> {
    if (this.closing) throw new PdfRendererClosedError();
    this.pool.start();
    await this.ensureBrowser();
    await withDeadline(this.pool.ready(), this.acquireTimeoutMs, () => new PdfRenderTimeoutError('acquire', this.acquireTimeoutMs));
  }

  /** Serves `body` to document pages at assetUrl(path). Registering the same path again replaces it. */
  registerAsset(path: string, asset: PdfAsset): void {
    this.assets.set(path.startsWith('/') ? path : `/${path}`, asset);
  }

  hasAsset(path: string): boolean {
    return this.assets.has(path.startsWith('/') ? path : `/${path}`);
  }

  /** The URL a document uses to load a registered asset. */
  assetUrl(path: string): string {
    return `${PDF_ASSET_ORIGIN}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** The running Chromium's process id (for diagnostics and tests). */
  get browserPid(): number | undefined {
    return this.slot?.alive ? this.slot.pid : undefined;
  }

  stats(): PdfRendererStats {
    return { ...this.counters, inFlight: this.inFlight, pages: this.pool.size, browserPid: this.browserPid };
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
    const page = await this.acquirePage();
    const slot = this.pageSlots.get(page);
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
        this.pool.release(page).catch(noop);
      } else {
        // A page that failed may be mid-navigation or hung: never reuse it. If it will not close, the browser
        // is not answering and is replaced.
        this.track(this.discardPage(page, slot));
      }
    }
  }

  private async acquirePage(): Promise<Page> {
    try {
      return await this.pool.acquire();
    } catch (err) {
      if (this.closing) throw new PdfRendererClosedError();
      if (err instanceof Error && err.name === 'TimeoutError') throw new PdfRenderTimeoutError('acquire', this.acquireTimeoutMs);
      throw new PdfRenderError(`no page available: ${(err as Error)?.message ?? String(err)}`, { cause: err });
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

  // --- pages ----------------------------------------------------------------------------------------------

  private async createPage(): Promise<Page> {
    const slot = await this.ensureBrowser();
    const page = await slot.browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      // Lay documents out for print from the start, so printing does not restyle them from screen media.
      await page.emulateMediaType('print');
      // The screen view of a document is never looked at: a short viewport (A4's width at 96 dpi) keeps the
      // compositor from rasterising tiles nobody sees (measured: GPU-process CPU per document 4–6 ms → ~2 ms).
      await page.setViewport({ width: 794, height: 100 });
      await page.setRequestInterception(true);
      page.on('request', (req) => this.answer(req));
      page.on('error', () => this.crashedPages.add(page)); // renderer process crashed
      page.setDefaultTimeout(this.renderTimeoutMs);
    } catch (err) {
      await page.close().catch(noop);
      throw err;
    }
    this.pageSlots.set(page, slot);
    return page;
  }

  private isUsable(page: Page): boolean {
    const slot = this.pageSlots.get(page);
    return !!slot && slot === this.slot && slot.alive && !page.isClosed() && !this.crashedPages.has(page);
  }

  private async destroyPage(page: Page): Promise<void> {
    const slot = this.pageSlots.get(page);
    if (this.closing || !slot?.alive || page.isClosed()) return; // the browser takes its pages with it
    await withDeadline(page.close(), this.closeTimeoutMs, () => new Error('page.close() timed out'));
  }

  private async discardPage(page: Page, slot: BrowserSlot | undefined): Promise<void> {
    const closing =
      page.isClosed() || !slot?.alive || this.closing
        ? Promise.resolve()
        : withDeadline(page.close(), this.closeTimeoutMs, () => new Error('page.close() timed out'));
    const closed = await closing.then(
      () => true,
      () => false,
    );
    await this.pool.destroy(page).catch(noop); // factory.destroy sees the page closed (or its browser gone)
    if (!slot?.alive || this.closing) return;
    // The page was given up on; make sure the browser itself still answers, or replace it.
    const answering =
      closed &&
      (await withDeadline(slot.browser.version(), this.closeTimeoutMs, () => new Error('no answer')).then(
        () => true,
        () => false,
      ));
    if (!answering && slot.alive) {
      this.logger?.error({ pid: slot.pid }, 'pdf: browser is not answering; killing it');
      killProcessGroup(slot.pid);
    }
  }

  /** Only data: URLs and the renderer's own assets are served; everything else is aborted. */
  private answer(req: HTTPRequest): void {
    if (req.isInterceptResolutionHandled()) return;
    const url = req.url();
    if (url.startsWith('data:')) {
      req.continue().catch(noop);
      return;
    }
    if (url.startsWith(`${PDF_ASSET_ORIGIN}/`) && req.method() === 'GET') {
      const asset = this.assets.get(new URL(url).pathname);
      if (asset) {
        this.counters.assetsServed++;
        req
          .respond({
            status: 200,
            contentType: asset.contentType,
            headers: { 'cache-control': 'public, max-age=31536000, immutable' },
            body: asset.body,
          })
          .catch(noop);
        return;
      }
    }
    this.counters.blockedRequests++;
    req.abort('blockedbyclient').catch(noop);
  }

  // --- the browser ----------------------------------------------------------------------------------------

  private ensureBrowser(): Promise<BrowserSlot> {
    if (this.closing) return Promise.reject(new PdfRendererClosedError());
    if (this.slot?.alive) return Promise.resolve(this.slot);
    this.launching ??= this.launch().finally(() => {
      this.launching = undefined;
    });
    return this.launching;
  }

  private async launch(): Promise<BrowserSlot> {
    // A browser that cannot start must not be retried in a tight loop by the pool.
    const sinceFailure = Date.now() - this.lastLaunchFailure;
    if (sinceFailure < 1000) await new Promise((r) => setTimeout(r, 1000 - sinceFailure));
    let browser: Browser;
    try {
      browser = await launchBrowser({
        executablePath: this.executablePath,
        forDocuments: true,
        extra: {
          args: DOCUMENT_CHROMIUM_ARGS,
          // main.ts shuts us down with close(); Puppeteer must not exit the process on signals.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
          // Calls left behind by a timed-out render must not linger for Puppeteer's default 3 minutes.
          protocolTimeout: this.renderTimeoutMs + 5_000,
          // DevTools over a pipe, not a WebSocket: if this process dies without close() (SIGKILL, OOM), the pipe
          // closes and Chromium exits by itself instead of living on as an orphan.
          pipe: true,
        },
      });
    } catch (err) {
      this.lastLaunchFailure = Date.now();
      this.logger?.error({ err }, 'pdf: Chromium did not start');
      throw err;
    }
    const pid = browser.process()?.pid;
    const slot: BrowserSlot = { browser, pid, onDeath: new Set(), alive: true };
    browser.once('disconnected', () => {
      slot.alive = false;
      for (const fail of [...slot.onDeath]) fail(new PdfRenderError('the browser stopped during the render'));
      // The browser's children (renderers, zygote) must not outlive it.
      killProcessGroup(pid);
      if (this.slot === slot) this.slot = undefined;
      if (!this.closing) {
        this.logger?.warn({ pid }, 'pdf: Chromium disconnected; it will be relaunched');
        this.track(this.ensureBrowser().catch(noop));
      }
    });
    if (this.closing) {
      await this.shutdownBrowser(slot);
      throw new PdfRendererClosedError();
    }
    this.launches++;
    if (this.launches > 1) this.counters.relaunches++;
    this.slot = slot;
    this.logger?.info({ pid, launches: this.launches }, 'pdf: Chromium started');
    return slot;
  }

  private track(p: Promise<unknown>): void {
    const guarded = p.catch(noop);
    this.background.add(guarded);
    void guarded.finally(() => this.background.delete(guarded));
  }

  private async shutdownBrowser(slot: BrowserSlot): Promise<void> {
    if (slot.alive) {
      await withDeadline(slot.browser.close(), this.closeTimeoutMs, () => new Error('browser.close() timed out')).catch((err: unknown) =>
        this.logger?.warn({ err, pid: slot.pid }, 'pdf: Chromium did not close in time; killing it'),
      );
    }
    killProcessGroup(slot.pid);
    if (!(await waitForGroupExit(slot.pid, this.closeTimeoutMs))) this.logger?.warn({ pid: slot.pid }, 'pdf: Chromium processes still exiting after close');
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
    await withDeadline(this.pool.drain(), bound, () => new Error('drain timed out')).catch(noop);
    await withDeadline(this.pool.clear(), this.closeTimeoutMs, () => new Error('clear timed out')).catch(noop);
    const launching = this.launching;
    if (launching) await launching.catch(noop);
    if (this.slot) await this.shutdownBrowser(this.slot);
    this.slot = undefined;
    await withDeadline(Promise.all(this.background), this.closeTimeoutMs, () => new Error('background timed out')).catch(noop);
    this.logger?.info({ ...this.counters }, 'pdf: renderer closed');
  }
}

/** Factory with config defaults applied by the caller: createPdfRenderer({ executablePath, poolSize, logger }). */
export function createPdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  return new PdfRenderer(options);
}
