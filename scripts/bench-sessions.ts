// npm run bench:sessions [-- --count 5000 --sessions 10000 --seconds 10 --rounds 2]
// The initiatives list page signed in with a session cookie beside the same page with a bearer token, in one
// run, with 10,000 stored sessions and 5,000 initiatives (the data of bench:initiatives). Rounds alternate
// bearer, cookie, cookie, bearer, ... so drift on a shared machine falls on both. In the same run it times the
// engine's share: a session read by {_id} (what the store does) and the {_id, expires} filter connect-mongo
// used (a full scan of the sessions collection on this engine). Target: cookie p95 within 10 % of bearer.
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { User } from '../src/features/users/user.model.js';
import { SESSIONS_COLLECTION, SESSION_COOKIE } from '../src/platform/auth/session.js';
import type { SessionDocument } from '../src/platform/auth/session-store.js';
import { load, percentile, seedData } from './bench-initiatives.js';
import { spawnApp } from './lib/spawn-app.js';
import { withDatabase } from './lib/with-database.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const SESSIONS = arg('sessions', 10_000);
const ROUNDS = arg('rounds', 2);
const SECONDS = arg('seconds', 10);
const PASSWORD = 'bench-password-1';
const LIST = '/initiatives?stage=pilot&kind=digitized&sort=title&order=asc&page=2';

/** Other people's sessions, as a busy office leaves them: signed in, with a CSRF token, most still valid. */
async function seedSessions(): Promise<void> {
  const sessions = mongoose.connection.db!.collection<SessionDocument>(SESSIONS_COLLECTION);
  await sessions.deleteMany({});
  const now = Date.now();
  const users = await User.find({}, { _id: 1 }).lean();
  for (let i = 0; i < SESSIONS; i += 1000) {
    const batch: SessionDocument[] = [];
    for (let j = i; j < Math.min(SESSIONS, i + 1000); j++) {
      // One in ten expired but not yet cleaned up, as between two runs of the clean-up job.
      const expires = new Date(now + (j % 10 === 0 ? -1 : 1) * (60_000 + (j % 480) * 60_000));
      const session = { cookie: { originalMaxAge: 8 * 3_600_000, expires, httpOnly: true, path: '/', sameSite: 'lax', secure: false }, passport: { user: String(users[j % users.length]!._id) }, csrf: crypto.randomBytes(24).toString('base64url') };
      batch.push({ _id: crypto.randomBytes(24).toString('base64url'), session: JSON.stringify(session), expires, lastModified: new Date(now - 60_000) });
    }
    await sessions.insertMany(batch, { ordered: false });
  }
}

/** Signs in through the login form, as a browser does; returns the session cookie. */
async function signInWithCookie(url: string): Promise<string> {
  const cookieOf = (res: Response) => /udbhabon\.sid=[^;]+/.exec(res.headers.getSetCookie().join('\n'))?.[0];
  const form = await fetch(`${url}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const first = cookieOf(form);
  if (!csrf || !first) throw new Error('no login form or session cookie');
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
    body: new URLSearchParams({ _csrf: csrf, username: 'bench-admin', password: PASSWORD }).toString(),
  });
  const cookie = cookieOf(res);
  if (res.status !== 302 || !cookie) throw new Error(`sign-in failed: ${res.status}`);
  // The first signed-in page stores the page's CSRF token in the session; later pages change nothing.
  await fetch(`${url}/`, { headers: { cookie } });
  return cookie;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<number> {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'udbhabon-bench-sessions'),
    DB_NAME: 'udbhabon_bench_sessions',
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
  });
  return withDatabase(config, async ({ uri }) => {
    await seedData();
    await seedSessions();
    // Plain HTTP on 127.0.0.1: a Secure cookie would never be sent back, so the bench turns that flag off.
    const app = await spawnApp({ uri, dbName: 'udbhabon_bench_sessions', dataDir: path.join(config.dataDir, 'app'), env: { COOKIE_SECURE: 'false' } });
    try {
      const tokenRes = await fetch(`${app.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-admin', password: PASSWORD }) });
      const { token } = (await tokenRes.json()) as { token: string };
      const cookie = await signInWithCookie(app.url);
      const sid = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)).slice(2).split('.')[0]!;
      const sessions = mongoose.connection.db!.collection<SessionDocument>(SESSIONS_COLLECTION);
      const before = await sessions.findOne({ _id: sid });
      if (!before) throw new Error('the signed-in session is not stored');
      // Warm the read model and the office tree for both.
      const check = await fetch(`${app.url}${LIST}`, { headers: { cookie }, redirect: 'manual' });
      if (check.status !== 200) throw new Error(`the list page with the cookie answered ${check.status}`);
      await fetch(`${app.url}${LIST}`, { headers: { authorization: `Bearer ${token}` } });

      const modes = {
        bearer: { latencies: [] as number[], rps: [] as number[], errors: 0 },
        cookie: { latencies: [] as number[], rps: [] as number[], errors: 0 },
      };
      for (let round = 0; round < ROUNDS; round++) {
        const order: (keyof typeof modes)[] = round % 2 === 0 ? ['bearer', 'cookie'] : ['cookie', 'bearer'];
        for (const mode of order) {
          const headers: Record<string, string> = mode === 'cookie' ? { cookie } : { authorization: `Bearer ${token}` };
          const r = await load(`${mode} round ${round + 1}`, app.url, token, [LIST], headers);
          modes[mode].latencies.push(...r.latencies);
          modes[mode].rps.push(r.rps);
          modes[mode].errors += r.errors;
        }
      }
      const after = await sessions.findOne({ _id: sid });

      // The engine's share, in the same run: the store's read, and the filter connect-mongo's get sent.
      const time = async (fn: () => Promise<unknown>) => {
        const runs: number[] = [];
        for (let k = 0; k < 5; k++) {
          const s = performance.now();
          await fn();
          runs.push(performance.now() - s);
        }
        return median(runs);
      };
      const byId = await time(() => sessions.findOne({ _id: sid }));
      const byIdAndExpiry = await time(() => sessions.findOne({ _id: sid, expires: { $gt: new Date() } }));

      const row = (name: string, m: (typeof modes)['bearer']) => {
        const sorted = [...m.latencies].sort((a, b) => a - b);
        const rps = m.rps.reduce((a, b) => a + b, 0) / m.rps.length;
        return { name, p50: percentile(sorted, 50), p95: percentile(sorted, 95), rps, errors: m.errors, n: sorted.length };
      };
      const bearer = row('list page, bearer token', modes.bearer);
      const withCookie = row('list page, session cookie', modes.cookie);
      const f = (n: number) => n.toFixed(1).padStart(8);
      const storedSessions = await sessions.estimatedDocumentCount();
      console.log(`\nUdbhabon session benchmark — ${await mongoose.connection.db!.collection('initiatives').estimatedDocumentCount()} initiatives, ${storedSessions} stored sessions, 10 connections, ${ROUNDS} rounds × ${SECONDS} s per mode, ${os.cpus().length} CPUs, engine: ${config.db.uri ? 'MONGODB_URI' : 'embedded FerretDB (SQLite)'}`);
      console.log(`page: ${LIST}`);
      console.log(`${'scenario'.padEnd(30)}     p50 ms   p95 ms    req/s  errors  requests`);
      for (const r of [bearer, withCookie]) console.log(`${r.name.padEnd(30)} ${f(r.p50)} ${f(r.p95)} ${f(r.rps)}  ${String(r.errors).padStart(6)}  ${r.n}`);
      const ratio = withCookie.p95 / bearer.p95;
      console.log(`cookie p95 ÷ bearer p95: ${ratio.toFixed(3)} (${((ratio - 1) * 100).toFixed(1)} %)`);
      console.log(`session writes during the cookie load: ${after?.lastModified.getTime() === before.lastModified.getTime() ? 'none' : `expiry touched (last at ${after?.lastModified.toISOString()})`} (at most one a minute)`);
      console.log(`engine share (median of 5): session read by {_id} ${byId.toFixed(1)} ms; connect-mongo's {_id, expires} filter ${byIdAndExpiry.toFixed(1)} ms`);
      const ok = ratio <= 1.1 && bearer.errors === 0 && withCookie.errors === 0;
      console.log(`target (cookie p95 within 10 % of bearer, no errors): ${ok ? 'met' : 'NOT met'}`);
      return ok ? 0 : 1;
    } finally {
      app.child.kill('SIGTERM');
    }
  });
}
