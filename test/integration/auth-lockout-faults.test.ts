// A database fault during sign-in is an error, never a wrong password: the real app against an engine that is
// stopped and started again (issue 16, probe 3).
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/config.js';
import { startEmbeddedEngine, type EmbeddedEngine } from '../../src/platform/db/embedded-engine.js';
import { testDatabase } from '../support/db.js';
import { testLogger } from '../support/logger.js';
import { appEnv, spawnApp, type AppProcess } from '../support/process.js';

async function signIn(url: string, password: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`${url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ username: 'fault-probe', password }),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

async function waitFor(label: string, ms: number, fn: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await fn()) return;
    await sleep(200);
  }
  throw new Error(`timed out after ${ms} ms waiting for: ${label}`);
}

const healthy = async (url: string): Promise<boolean> => {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(4_000) })).status === 200;
  } catch {
    return false;
  }
};

describe('sign-in lockout when the engine fails', function () {
  this.timeout(240_000);
  let engine: EmbeddedEngine | undefined;
  let app: AppProcess | undefined;

  afterEach(async () => {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    await engine?.stop();
    app = undefined;
    engine = undefined;
  });

  it('when the engine is down during sign-in, then the answer is an error (not 401) and the attempt does not count towards the lock', async () => {
    const options = { dataDir: path.join(testDatabase().tmpDir, 'lockout-fault-engine'), port: 0, projectRoot: PROJECT_ROOT, logger: testLogger, supervise: false };
    engine = await startEmbeddedEngine(options);
    const port = engine.port;
    app = await spawnApp(
      appEnv({ DATA_DIR: path.join(testDatabase().tmpDir, 'lockout-fault-app'), MONGODB_URI: engine.uri, SEED_DEMO: 'false', LOCKOUT_ATTEMPTS: '5' }),
    );
    expect(app.url, app.output()).to.match(/^http:/);
    const url = app.url;

    // Two wrong passwords are counted (an unknown username is counted like a known one).
    for (let i = 1; i <= 2; i++) expect((await signIn(url, 'wrong')).status, `before, attempt ${i}`).to.equal(401);

    await engine.stop();
    await waitFor('the app to notice', 15_000, async () => !(await healthy(url)));
    const during = await Promise.all([signIn(url, 'wrong'), signIn(url, 'wrong'), signIn(url, 'wrong')]);
    console.log(`      (answers while the engine was down: ${during.map((a) => a.status).join(', ')})`);
    for (const answer of during) {
      expect(answer.status, answer.body).to.be.at.least(500);
      expect(answer.body).not.to.include('not correct');
    }

    engine = await startEmbeddedEngine({ ...options, port });
    await waitFor('the app to reconnect', 60_000, () => healthy(url));
    // Had the three failed requests counted, the account would be locked after one more; it takes three more.
    const after: number[] = [];
    for (let i = 1; i <= 3; i++) after.push((await signIn(url, 'wrong')).status);
    expect(after).to.deep.equal([401, 401, 401]);
    const sixth = await signIn(url, 'wrong');
    expect(sixth.status, sixth.body).to.equal(429);
  });
});
