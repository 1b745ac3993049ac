// A person in Chromium: signs in, switches language, tries an admin-only page without being an admin.
import { expect } from 'chai';
import { launchBrowser, type Browser, type Page } from '../../src/platform/pdf/browser.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { TEST_PASSWORD, createUser, createWorld } from '../support/factories.js';

describe('e2e: signing in, language, and an admin-only page', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    await resetDatabase();
    const world = await createWorld();
    await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'field', nameBn: 'শারমিন সুলতানা', designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা' });
    await createUser({ office: world.root, roles: ['admin'], username: 'admin', nameBn: 'সিস্টেম অ্যাডমিন' });
    server = await startTestServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signInAs(username: string, password: string): Promise<void> {
    await page.goto(`${server.url}/login`, { waitUntil: 'networkidle0' });
    await page.type('#username', username);
    await page.type('#password', password);
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  }

  it('when a wrong password is typed, then the sign-in page says so in Bangla', async () => {
    await signInAs('field', 'not-the-password');
    expect(await page.$eval('#login-error', (e) => e.textContent)).to.include('ব্যবহারকারীর নাম বা পাসওয়ার্ড সঠিক নয়।');
    expect(await page.$eval('#username', (e) => (e as HTMLInputElement).value)).to.equal('field');
  });

  it('when the field officer signs in, then their own home page greets them with their sections', async () => {
    await signInAs('field', TEST_PASSWORD);
    expect(new URL(page.url()).pathname).to.equal('/');
    expect(await page.$eval('[data-testid=whoami]', (e) => e.textContent)).to.include('শারমিন সুলতানা');
    expect(await page.$('section[data-role=field_officer]')).to.not.equal(null);
    const nav = await page.$$eval('.main-nav a', (as) => as.map((a) => a.getAttribute('href')));
    expect(nav).to.include('/profile');
    expect(nav).to.not.include('/admin/users');
  });

  it('when they switch to English, then the interface is English and stays so', async () => {
    await Promise.all([page.waitForNavigation(), page.click('.lang-switch a')]);
    expect(await page.$eval('h1', (e) => e.textContent)).to.equal('My work');
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle0' });
    expect(await page.$eval('html', (e) => e.lang)).to.equal('en');
  });

  it('when they open an admin-only page, then it is refused with a clear message and nothing else shows', async () => {
    const res = await page.goto(`${server.url}/admin/audit`, { waitUntil: 'networkidle0' });
    expect(res?.status()).to.equal(403);
    expect(await page.$eval('main', (e) => e.textContent)).to.include('You are not allowed to do this.');
    expect(await page.$('table.audit')).to.equal(null);
  });

  it('when they sign out and the admin signs in, then the admin page opens', async () => {
    await Promise.all([page.waitForNavigation(), page.click('.signout button')]);
    expect(new URL(page.url()).pathname).to.equal('/login');
    await signInAs('admin', TEST_PASSWORD);
    const res = await page.goto(`${server.url}/admin/audit`, { waitUntil: 'networkidle0' });
    expect(res?.status()).to.equal(200);
    expect(await page.$$eval('table.audit tbody tr', (rows) => rows.length)).to.be.greaterThan(0);
    expect(problems).to.deep.equal([]);
  });
});
