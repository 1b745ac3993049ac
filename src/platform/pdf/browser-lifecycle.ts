// The renderer's one warm Chromium: launched on first need, relaunched after it crashed or was killed, and shut
// down with its whole process group. A browser that disconnects fails the renders running on it at once.
import { DOCUMENT_CHROMIUM_ARGS, launchBrowser, type Browser } from './browser.js';
import { noop, withDeadline } from './deadline.js';
import { PdfRenderError, PdfRendererClosedError } from './errors.js';
import { killProcessGroup, waitForGroupExit } from './process-group.js';
import type { RendererContext } from './types.js';

export interface BrowserSlot {
  readonly browser: Browser;
  readonly pid: number | undefined;
  /** Called when this browser disconnects (crash, kill, close): fails the renders running on it. */
  readonly onDeath: Set<(err: Error) => void>;
  alive: boolean;
}

export class DocumentBrowser {
  private slot: BrowserSlot | undefined;
  private launching: Promise<BrowserSlot> | undefined;
  private launches = 0;
  private lastLaunchFailure = 0;

  constructor(
    private readonly ctx: RendererContext,
    private readonly executablePath: string | undefined,
  ) {}

  /** The current browser (check `alive`: it may have just stopped). */
  get current(): BrowserSlot | undefined {
    return this.slot;
  }

  /** The running Chromium's process id. */
  get pid(): number | undefined {
    return this.slot?.alive ? this.slot.pid : undefined;
  }

  /** The running browser, or the one being launched, or a new launch. */
  ensure(): Promise<BrowserSlot> {
    if (this.ctx.isClosing()) return Promise.reject(new PdfRendererClosedError());
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
          protocolTimeout: this.ctx.renderTimeoutMs + 5_000,
          // DevTools over a pipe, not a WebSocket: if this process dies without close() (SIGKILL, OOM), the pipe
          // closes and Chromium exits by itself instead of living on as an orphan.
          pipe: true,
        },
      });
    } catch (err) {
      this.lastLaunchFailure = Date.now();
      this.ctx.logger?.error({ err }, 'pdf: Chromium did not start');
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
      if (!this.ctx.isClosing()) {
        this.ctx.logger?.warn({ pid }, 'pdf: Chromium disconnected; it will be relaunched');
        this.ctx.track(this.ensure().catch(noop));
      }
    });
    if (this.ctx.isClosing()) {
      await this.shutdown(slot);
      throw new PdfRendererClosedError();
    }
    this.launches++;
    if (this.launches > 1) this.ctx.counters.relaunches++;
    this.slot = slot;
    this.ctx.logger?.info({ pid, launches: this.launches }, 'pdf: Chromium started');
    return slot;
  }

  private async shutdown(slot: BrowserSlot): Promise<void> {
    const { closeTimeoutMs, logger } = this.ctx;
    if (slot.alive) {
      await withDeadline(slot.browser.close(), closeTimeoutMs, () => new Error('browser.close() timed out')).catch((err: unknown) =>
        logger?.warn({ err, pid: slot.pid }, 'pdf: Chromium did not close in time; killing it'),
      );
    }
    killProcessGroup(slot.pid);
    if (!(await waitForGroupExit(slot.pid, closeTimeoutMs))) logger?.warn({ pid: slot.pid }, 'pdf: Chromium processes still exiting after close');
  }

  /** At close(): waits for a launch under way, then closes the browser and SIGKILLs its process group. */
  async close(): Promise<void> {
    const launching = this.launching;
    if (launching) await launching.catch(noop);
    if (this.slot) await this.shutdown(this.slot);
    this.slot = undefined;
  }
}
