// A real browser (Debian's Chromium through Puppeteer) against the app on an ephemeral port.
import path from 'node:path';
import { expect } from 'chai';
import { launchBrowser, type Browser, type Page } from '../../src/platform/pdf/browser.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { testDatabase } from '../support/db.js';

describe('e2e: the home page in Chromium', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    server = await startTestServer({ clock: '2025-09-29T05:00:00Z' });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    // CSP violations are reported to the page as events; collect them.
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('when the page opens, then it shows Bangla text in the app-served Bangla font with no errors or CSP violations', async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle0' });
    expect(await page.$eval('h1', (h) => h.textContent)).to.equal('উদ্ভাবন');
    expect(await page.$eval('[data-testid=today]', (d) => d.textContent)).to.equal('১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ / ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ');
    const fontLoaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Noto Sans Bengali' && f.status === 'loaded');
    });
    expect(fontLoaded).to.equal(true);
    expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).to.equal(true); // app.js ran under the CSP
    await page.screenshot({ path: path.join(testDatabase().tmpDir, 'home-bn.png') });
    expect(problems).to.deep.equal([]);
  });

  it('when the keyboard user presses Tab first, then the skip link takes focus', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).to.equal('#main');
  });

  it('when the language switch is clicked, then the page turns English and stays English on the next visit', async () => {
    await Promise.all([page.waitForNavigation(), page.click('.lang-switch a')]);
    expect(await page.$eval('html', (h) => h.lang)).to.equal('en');
    expect(await page.$eval('.lead', (p) => p.textContent)).to.match(/^Initiatives, review meetings/);
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle0' });
    expect(await page.$eval('html', (h) => h.lang)).to.equal('en');
    expect(problems).to.deep.equal([]);
  });
});
