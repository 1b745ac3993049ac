// The whole app process with an embedded engine of its own, killed under load and restarted by the app's
// supervisor: every answer is either done (201/200) or "try again" (503 with Retry-After and a message),
// never 500, 404, 401 or a list missing what was acknowledged; every write acknowledged is there afterwards.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { findEnginesServing } from '../../src/platform/db/embedded-engine.js';
import { testDatabase } from '../support/db.js';
import { appEnv, spawnApp, type AppProcess } from '../support/process.js';

interface Answer {
  readonly status: number;
  readonly started: number;
  readonly retryAfter: string | null;
  readonly body: { id?: string; items?: { id: string; name: string }[]; error?: { code: string; message: string } } | undefined;
}

async function call(url: string, init: RequestInit): Promise<Answer> {
  const started = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = undefined;
    }
    return { status: res.status, started, retryAfter: res.headers.get('retry-after'), body };
  } catch {
    return { status: 0, started, retryAfter: null, body: undefined };
  }
}

async function health(url: string): Promise<number> {
  return (await call(`${url}/healthz`, {})).status;
}

describe('engine outage: the embedded engine killed and restarted under load', function () {
  this.timeout(300_000);
  let dataDir: string;
  let sqliteUrl: string;
  let app: AppProcess | undefined;

  before(() => {
    dataDir = path.join(testDatabase().tmpDir, 'outage-data');
    sqliteUrl = `file:${dataDir}/ferretdb/`;
  });
  after(async () => {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    for (const e of findEnginesServing(sqliteUrl)) process.kill(e.pid, 'SIGKILL');
  });

  it('when the engine is killed under writes and reads, then answers are only 201/200 or 503 with Retry-After, and every 201 is kept', async () => {
    app = await spawnApp(appEnv({ DATA_DIR: dataDir }), 120_000);
    expect(app.url, app.output()).to.match(/^http:/);
    const base = app.url;
    const login = await call(`${base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'officer', password: 'demo-password-1' }),
    });
    expect(login.status, JSON.stringify(login.body)).to.equal(201);
    const token = (login.body as unknown as { token: string }).token;
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Accept-Language': 'en' };

    const writes: (Answer & { name: string })[] = [];
    const reads: (Answer & { ackedBefore: number })[] = [];
    const acked = (): number => writes.filter((w) => w.status === 201).length;
    let stop = false;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        const name = `outage-${++n}`;
        const a = await call(`${base}/api/v1/distribution-lists`, { method: 'POST', headers, body: JSON.stringify({ name, entries: ['অফিস কপি'] }) });
        writes.push({ ...a, name });
        if (a.status !== 201) await sleep(100);
      }
    };
    const reader = async () => {
      while (!stop) {
        const ackedBefore = acked();
        const a = await call(`${base}/api/v1/distribution-lists`, { headers });
        reads.push({ ...a, ackedBefore });
        await sleep(a.status === 200 ? 50 : 100);
      }
    };
    const load = [writer(), writer(), writer(), writer(), reader()];

    await sleep(3_000);
    const [engine] = findEnginesServing(sqliteUrl);
    expect(engine, 'the app runs its own engine').to.not.equal(undefined);
    const killedAt = Date.now();
    process.kill(engine!.pid, 'SIGKILL');
    // Kill each engine the supervisor brings back for a while, so the outage outlasts the driver's server
    // selection (5 s) and mongoose's buffering (10 s), as a slow restart would; a short one is ridden out by
    // the driver's own retry and shows nothing.
    while (Date.now() - killedAt < 12_000) {
      for (const e of findEnginesServing(sqliteUrl)) process.kill(e.pid, 'SIGKILL');
      await sleep(200);
    }
    // Then the supervisor brings the engine back; keep the load on while it does and a little after.
    let back = 0;
    while (Date.now() - killedAt < 120_000) {
      await sleep(250);
      if ((await health(base)) === 200) {
        back = Date.now();
        break;
      }
    }
    expect(back, 'the engine came back').to.be.greaterThan(0);
    await sleep(3_000);
    stop = true;
    await Promise.all(load);

    const count = (list: Answer[]) => list.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
    console.log(`      (engine back ${back - killedAt} ms after the kill; writes ${JSON.stringify(count(writes))}, reads ${JSON.stringify(count(reads))})`);
    const inOutage = writes.filter((w) => w.started >= killedAt && w.started < back);
    expect(inOutage.length, 'writes were sent during the outage').to.be.greaterThan(0);

    const badWrites = writes.filter((w) => w.status !== 201 && w.status !== 503);
    expect(badWrites.map((w) => `${w.status} ${JSON.stringify(w.body)}`)).to.deep.equal([]);
    const badReads = reads.filter((r) => r.status !== 200 && r.status !== 503);
    expect(badReads.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).to.deep.equal([]);
    for (const a of [...writes, ...reads].filter((x) => x.status === 503)) {
      expect(a.retryAfter, 'Retry-After on a 503').to.match(/^\d+$/);
      expect(a.body?.error?.message).to.be.a('string').and.not.equal('');
    }
    // A read never answers with fewer lists than were acknowledged before it started (no engine error as "[]").
    for (const r of reads.filter((x) => x.status === 200)) {
      expect(r.body?.items?.length ?? 0).to.be.at.least(r.ackedBefore);
    }

    // Every acknowledged write is there.
    let listed: Answer | undefined;
    for (let i = 0; i < 20 && listed?.status !== 200; i++) {
      listed = await call(`${base}/api/v1/distribution-lists`, { headers });
      if (listed.status !== 200) await sleep(500);
    }
    expect(listed?.status).to.equal(200);
    const names = new Set((listed!.body?.items ?? []).map((i) => i.name));
    const lost = writes.filter((w) => w.status === 201 && !names.has(w.name)).map((w) => w.name);
    expect(lost).to.deep.equal([]);
    expect(acked()).to.be.greaterThan(0);
  });
});
