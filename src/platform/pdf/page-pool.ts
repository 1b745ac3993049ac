// The pool of warm document pages: each set up for print with JavaScript off and every request intercepted,
// checked before reuse, and thrown away after a failure. A page that will not close means the browser is not
// answering: the browser is then killed (its process group) and relaunched for the next request.
import genericPool, { type Pool } from 'generic-pool';
import type { DocumentAssets } from './assets.js';
import type { Page } from './browser.js';
import type { BrowserSlot, DocumentBrowser } from './browser-lifecycle.js';
import { noop, withDeadline } from './deadline.js';
import { PdfRenderError, PdfRendererClosedError, PdfRenderTimeoutError } from './errors.js';
import { killProcessGroup } from './process-group.js';
import type { RendererContext } from './types.js';

export interface PagePoolLimits {
  readonly poolSize: number;
  readonly maxWaiting: number;
  readonly acquireTimeoutMs: number;
}

export class DocumentPages {
  private readonly pool: Pool<Page>;
  private readonly pageSlots = new WeakMap<Page, BrowserSlot>();
  private readonly crashedPages = new WeakSet<Page>();
  private readonly acquireTimeoutMs: number;

  constructor(
    private readonly ctx: RendererContext,
    private readonly browser: DocumentBrowser,
    private readonly assets: DocumentAssets,
    limits: PagePoolLimits,
  ) {
    this.acquireTimeoutMs = limits.acquireTimeoutMs;
    this.pool = genericPool.createPool<Page>(
      {
        create: () => this.createPage(),
        destroy: (page) => this.destroyPage(page),
        validate: async (page) => this.isUsable(page),
      },
      {
        max: limits.poolSize,
        min: limits.poolSize, // pages stay warm between documents
        testOnBorrow: true,
        autostart: false,
        acquireTimeoutMillis: limits.acquireTimeoutMs,
        // Our own bound (poolSize + maxWaiting accepted renders) is checked first; this is a backstop.
        maxWaitingClients: limits.maxWaiting + limits.poolSize,
      },
    );
    this.pool.on('factoryCreateError', (err: unknown) => this.ctx.logger?.error({ err }, 'pdf: could not open a page'));
    this.pool.on('factoryDestroyError', (err: unknown) => this.ctx.logger?.warn({ err }, 'pdf: could not close a page'));
  }

  /** Pages open (in use or idle). */
  get size(): number {
    return this.pool.size;
  }

  /** Starts opening the pages (the pool does not until asked). */
  start(): void {
    this.pool.start();
  }

  /** Settles once the pool has opened its pages. */
  ready(): Promise<void> {
    return this.pool.ready();
  }

  /** The browser a page belongs to. */
  slotOf(page: Page): BrowserSlot | undefined {
    return this.pageSlots.get(page);
  }

  /** A page to render on; the pool's refusals become typed errors. */
  async acquire(): Promise<Page> {
    try {
      return await this.pool.acquire();
    } catch (err) {
      if (this.ctx.isClosing()) throw new PdfRendererClosedError();
      if (err instanceof Error && err.name === 'TimeoutError') throw new PdfRenderTimeoutError('acquire', this.acquireTimeoutMs);
      throw new PdfRenderError(`no page available: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }

  /** Gives a page that rendered cleanly back for the next document. */
  release(page: Page): void {
    this.pool.release(page).catch(noop);
  }

  /** Waits for the borrowed pages to come back; no new acquire is accepted. */
  drain(): Promise<void> {
    return this.pool.drain();
  }

  /** Destroys the idle pages. */
  clear(): Promise<void> {
    return this.pool.clear();
  }

  private async createPage(): Promise<Page> {
    const slot = await this.browser.ensure();
    const page = await slot.browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      // Lay documents out for print from the start, so printing does not restyle them from screen media.
      await page.emulateMediaType('print');
      // The screen view of a document is never looked at: a short viewport (A4's width at 96 dpi) keeps the
      // compositor from rasterising tiles nobody sees (measured: GPU-process CPU per document 4–6 ms → ~2 ms).
      await page.setViewport({ width: 794, height: 100 });
      await page.setRequestInterception(true);
      page.on('request', (req) => this.assets.answer(req));
      page.on('error', () => this.crashedPages.add(page)); // renderer process crashed
      page.setDefaultTimeout(this.ctx.renderTimeoutMs);
    } catch (err) {
      await page.close().catch(noop);
      throw err;
    }
    this.pageSlots.set(page, slot);
    return page;
  }

  private isUsable(page: Page): boolean {
    const slot = this.pageSlots.get(page);
    return !!slot && slot === this.browser.current && slot.alive && !page.isClosed() && !this.crashedPages.has(page);
  }

  private async destroyPage(page: Page): Promise<void> {
    const slot = this.pageSlots.get(page);
    if (this.ctx.isClosing() || !slot?.alive || page.isClosed()) return; // the browser takes its pages with it
    await withDeadline(page.close(), this.ctx.closeTimeoutMs, () => new Error('page.close() timed out'));
  }

  /**
   * Throws away a page that failed (it may be mid-navigation or hung: never reused). If it will not close, or
   * the browser does not answer afterwards, the browser is killed and relaunched for the next request.
   */
  async discard(page: Page, slot: BrowserSlot | undefined): Promise<void> {
    const { closeTimeoutMs, logger } = this.ctx;
    const closing =
      page.isClosed() || !slot?.alive || this.ctx.isClosing()
        ? Promise.resolve()
        : withDeadline(page.close(), closeTimeoutMs, () => new Error('page.close() timed out'));
    const closed = await closing.then(
      () => true,
      () => false,
    );
    await this.pool.destroy(page).catch(noop); // factory.destroy sees the page closed (or its browser gone)
    if (!slot?.alive || this.ctx.isClosing()) return;
    // The page was given up on; make sure the browser itself still answers, or replace it.
    const answering =
      closed &&
      (await withDeadline(slot.browser.version(), closeTimeoutMs, () => new Error('no answer')).then(
        () => true,
        () => false,
      ));
    if (!answering && slot.alive) {
      logger?.error({ pid: slot.pid }, 'pdf: browser is not answering; killing it');
      killProcessGroup(slot.pid);
    }
  }
}
