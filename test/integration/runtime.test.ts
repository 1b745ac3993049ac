// The whole process: start-up, the embedded engine's supervision, orphan handling and shutdown.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/config.js';
import { findEnginesServing, startEmbeddedEngine } from '../../src/platform/db/embedded-engine.js';
import { testLogger } from '../support/logger.js';
import { testDatabase } from '../support/db.js';
import { appEnv, spawnApp, type AppProcess } from '../support/process.js';

async function health(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(4_000) });
    return res.status;
  } catch {
    return 0;
  }
}

async function waitFor(label: string, ms: number, fn: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await fn()) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`timed out after ${ms} ms waiting for: ${label}`);
}

describe('runtime: the app process and its embedded engine', function () {
  this.timeout(300_000);
  let dataDir: string;
  let sqliteUrl: string;
  let app: AppProcess | undefined;

  before(() => {
    dataDir = path.join(testDatabase().tmpDir, 'runtime-data');
    sqliteUrl = `file:${dataDir}/ferretdb/`;
  });

  afterEach(async () => {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    app = undefined;
  });

  after(() => {
    for (const e of findEnginesServing(sqliteUrl)) process.kill(e.pid, 'SIGKILL');
  });

  it('when started without MONGODB_URI, then it brings up the embedded engine, seeds the demo and prints URL and logins', async () => {
    app = await spawnApp(appEnv({ DATA_DIR: dataDir }));
    expect(app.url, app.output()).to.match(/^http:\/\/localhost:\d+$/);
    expect(app.output()).to.include('admin');
    expect(app.output()).to.include('demo-password-1');
    expect(await health(app.url)).to.equal(200);
    expect(findEnginesServing(sqliteUrl)).to.have.length(1);
    expect(fs.existsSync(path.join(dataDir, 'ferretdb'))).to.equal(true);
  });

  it('when the engine is killed, then /healthz answers 503 within 5 s and 200 again once the engine is back, without restarting the app', async () => {
    app = await spawnApp(appEnv({ DATA_DIR: dataDir }));
    expect(await health(app.url)).to.equal(200);
    const [engine] = findEnginesServing(sqliteUrl);
    process.kill(engine!.pid, 'SIGKILL');
    const downAfter = await waitFor('503', 5_000, async () => (await health(app!.url)) === 503);
    const upAfter = await waitFor('200 again', 60_000, async () => (await health(app!.url)) === 200);
    expect(downAfter).to.be.at.most(5_000);
    expect(app.child.exitCode).to.equal(null);
    const [restarted] = findEnginesServing(sqliteUrl);
    expect(restarted?.pid).to.not.equal(engine!.pid);
    console.log(`      (503 after ${downAfter} ms; 200 again ${upAfter} ms later)`);
  });

  it('when the app crashes (SIGKILL), then its engine is reused by the next start and stopped by the next clean stop', async () => {
    app = await spawnApp(appEnv({ DATA_DIR: dataDir }));
    const [engine] = findEnginesServing(sqliteUrl);
    app.child.kill('SIGKILL');
    await app.exited;
    expect(findEnginesServing(sqliteUrl).map((e) => e.pid)).to.deep.equal([engine!.pid]); // the orphan

    app = await spawnApp(appEnv({ DATA_DIR: dataDir }));
    expect(findEnginesServing(sqliteUrl).map((e) => e.pid)).to.deep.equal([engine!.pid]); // reused, not duplicated
    expect(await health(app.url)).to.equal(200);
    app.child.kill('SIGTERM');
    expect(await app.exited).to.equal(0);
    await waitFor('no engine left', 5_000, () => findEnginesServing(sqliteUrl).length === 0);
  });

  it('when MONGODB_URI names a server that is stopped and started again by hand, then /healthz goes 503 and back to 200 by itself', async () => {
    const serverDir = path.join(testDatabase().tmpDir, 'external-server');
    const options = { dataDir: serverDir, port: 0, projectRoot: PROJECT_ROOT, logger: testLogger, supervise: false };
    const first = await startEmbeddedEngine(options);
    try {
      app = await spawnApp(appEnv({ DATA_DIR: dataDir, MONGODB_URI: first.uri, SEED_DEMO: 'false' }));
      expect(await health(app.url)).to.equal(200);
      await first.stop();
      const downAfter = await waitFor('503', 5_000, async () => (await health(app!.url)) === 503);
      expect(downAfter).to.be.at.most(5_000);
      const second = await startEmbeddedEngine({ ...options, port: first.port });
      try {
        await waitFor('200 again', 30_000, async () => (await health(app!.url)) === 200);
        expect(app.child.exitCode).to.equal(null);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });

  it('when MONGODB_URI is not a URI, then the app prints one readable error and exits non-zero', async () => {
    app = await spawnApp(appEnv({ DATA_DIR: dataDir, MONGODB_URI: 'not-a-uri' }));
    const code = await app.exited;
    expect(code).to.equal(1);
    expect(app.output()).to.match(/Configuration error/);
    expect(app.output()).to.include('MONGODB_URI');
    expect(app.output()).not.to.match(/\n\s+at /); // no stack trace
  });
});
