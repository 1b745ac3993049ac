// The only place Puppeteer is imported. Debian's chromium is used: Puppeteer's own browser download is
// skipped (.puppeteerrc.cjs) because this machine cannot fetch it.
import fs from 'node:fs';
import puppeteer, { type Browser, type LaunchOptions } from 'puppeteer';

export type { Browser, HTTPRequest, Page } from 'puppeteer';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to drive: the configured path (PUPPETEER_EXECUTABLE_PATH), else the Debian one. */
export function findChromium(configured?: string): string {
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`PUPPETEER_EXECUTABLE_PATH points at ${configured}, which does not exist`);
    return configured;
  }
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error('Chromium was not found. Install it with: apt-get install chromium (npm start and npm test do this).');
  }
  return found;
}

/** Flags that keep a headless Chromium quiet on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root in containers; documents have JavaScript disabled and all requests blocked
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--font-render-hinting=none',
];

/**
 * Flags for the document (PDF) browser only. Request interception already blocks every request a document
 * makes; these close the paths that bypass interception (preconnect, DNS prefetch, anything Chromium fetches
 * by itself): all traffic, loopback included, is sent to a proxy on the discard port, which refuses it.
 * The e2e tests' browser must reach the app on 127.0.0.1, so these are not in CHROMIUM_ARGS.
 */
export const DOCUMENT_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS,
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--disable-domain-reliability',
  '--disable-features=Translate,MediaRouter,OptimizationHints,InterestFeedContentSuggestions',
  '--mute-audio',
  '--hide-scrollbars',
];

// The binary itself: Debian's /usr/bin/chromium-headless-shell is a wrapper script that does not exec, so its
// pid would not be the browser's (crash recovery and clean shutdown kill the browser's process group by pid).
const SHELL_CANDIDATES = ['/usr/lib/chromium/chromium-headless-shell', '/usr/lib/chromium/headless_shell'];

/**
 * The Chromium for documents: the configured one, else Debian's chromium-headless-shell, else the full browser.
 * The headless shell prints the same Blink layout several times faster: it makes the PDF in the renderer,
 * where the full browser's new headless mode sends every page through its print-compositor process
 * (measured on the sample minutes: ~55–80 ms per printToPDF against ~185–300 ms; see scripts/bench-pdf).
 */
export function findDocumentChromium(configured?: string): string {
  if (configured) return findChromium(configured);
  return SHELL_CANDIDATES.find((p) => fs.existsSync(p)) ?? findChromium();
}

/** Puppeteer's headless mode for a binary: 'shell' for the headless shell, the new headless mode otherwise. */
export function headlessModeFor(executablePath: string): true | 'shell' {
  return /headless[-_]shell/.test(executablePath) ? 'shell' : true;
}

export async function launchBrowser(
  options: { executablePath?: string | undefined; forDocuments?: boolean; extra?: Partial<LaunchOptions> } = {},
): Promise<Browser> {
  const executablePath = options.forDocuments ? findDocumentChromium(options.executablePath) : findChromium(options.executablePath);
  return puppeteer.launch({
    executablePath,
    headless: headlessModeFor(executablePath),
    args: CHROMIUM_ARGS,
    ...options.extra,
  });
}
