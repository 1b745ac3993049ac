// The only place Puppeteer is imported. Debian's chromium is used: Puppeteer's own browser download is
// skipped (.puppeteerrc.cjs) because this machine cannot fetch it.
import fs from 'node:fs';
import puppeteer, { type Browser, type LaunchOptions } from 'puppeteer';

export type { Browser, Page } from 'puppeteer';

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

export async function launchBrowser(options: { executablePath?: string; extra?: Partial<LaunchOptions> } = {}): Promise<Browser> {
  return puppeteer.launch({
    executablePath: findChromium(options.executablePath),
    headless: true,
    args: CHROMIUM_ARGS,
    ...options.extra,
  });
}
