// The soak of `npm run soak` (scripts/soak.ts) for half a minute against the whole app in its own process (demo
// seed, scheduler on): mixed reads and writes from six users over 10 connections, by token and by cookie, each
// answer checked against what was asked. The full run (11 minutes, past every periodic job) is `npm run soak`.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { formatReport, soak, soakPassed } from '../../scripts/soak.js';
import { testDatabase } from '../support/db.js';
import { appEnv, spawnApp, type AppProcess } from '../support/process.js';

describe('soak (half a minute of mixed traffic)', function () {
  this.timeout(240_000);
  let app: AppProcess | undefined;
  const password = 'soak-demo-password-1';
  const dbName = () => `${testDatabase().dbName}_soak`;

  before(async () => {
    const dataDir = path.join(testDatabase().tmpDir, 'soak');
    fs.mkdirSync(dataDir, { recursive: true });
    app = await spawnApp(
      appEnv({ MONGODB_URI: testDatabase().uri, DB_NAME: dbName(), DATA_DIR: dataDir, SEED_DEMO: 'true', DEMO_PASSWORD: password, SCHEDULER: 'true', COOKIE_SECURE: 'false', LOGIN_RATE_LIMIT: '10000' }),
      120_000,
    );
    expect(app.url, app.output()).to.match(/^http:\/\//);
  });

  after(async () => {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    await testDatabase().db.connection.getClient().db(dbName()).dropDatabase();
  });

  it('when six users read and write at once over 10 connections for 30 s, then every answer matches what was asked: 0 wrong, 0 × 5xx', async () => {
    const report = await soak({ url: app!.url.replace('localhost', '127.0.0.1'), password, minutes: 0.5, connections: 10 });
    console.log(formatReport(report).replace(/^/gm, '      '));
    expect(report.wrong, formatReport(report)).to.deep.equal({});
    expect(report.serverErrors, formatReport(report)).to.deep.equal({});
    expect(soakPassed(report)).to.equal(true);
    // Every kind of check ran, so a quiet count is not a soak that asked nothing.
    expect(Object.keys(report.byKind)).to.include.members([
      'me (token)',
      'me (cookie)',
      'initiative (token)',
      'initiative outside the offices (token)',
      'list (token)',
      'initiative page (cookie)',
      'list page (cookie)',
      'home page (cookie)',
      'create (token)',
      'read back (token)',
      'edit (token)',
    ]);
    expect(report.requests).to.be.greaterThan(100);
  });
});
