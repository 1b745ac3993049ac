// npm run soak [-- --minutes 11 --connections 10]
// Runs the compiled app in its own process (scripts/lib/spawn-app.ts) with the demo seed, the scheduler and
// its periodic jobs on, in its own data folder and database, and drives it for the given minutes (default 11:
// past the first runs of every periodic job, e.g. the session clean-up every 5 minutes) with mixed reads and
// writes from several users at once over a fixed number of keep-alive connections, half by bearer token and
// half by session cookie (pages included). Every answer is checked against what was asked: the record id in
// the answer is the one requested, /api/v1/me answers the user of the token or cookie, a list holds only
// records in the user's offices, a page shows the signed-in user, a created record reads back as sent, a
// record outside the user's offices is 404. Prints the counts; exits non-zero on any wrong answer or 5xx.
// The soak itself (soak()) is also run for half a minute by test/integration/soak.test.ts.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { spawnApp } from './lib/spawn-app.js';
import { withDatabase } from './lib/with-database.js';

export interface SoakOptions {
  /** Base URL of a running app with the demo seed. */
  url: string;
  /** The demo users' password. */
  password: string;
  minutes: number;
  connections: number;
  /** Progress lines (one a minute); silent when absent. */
  log?: (line: string) => void;
}

export interface SoakReport {
  requests: number;
  /** Requests per kind of check. */
  byKind: Record<string, number>;
  /** Answers that did not match what was asked, per kind. */
  wrong: Record<string, number>;
  /** 5xx answers, per kind and status. */
  serverErrors: Record<string, number>;
  /** Anything else unexpected (network errors, 429, 409 on a write), per kind and cause. */
  otherErrors: Record<string, number>;
  /** The first few wrong answers and 5xx, with the second of the run they happened at. */
  samples: string[];
  seconds: number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => Record<string, unknown>;
}

/** One keep-alive pool of `connections` sockets shared by every worker, as a browser fleet behind a proxy. */
function client(base: string, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(base);
  const send = (method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method, path: p, agent, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
        });
        res.on('error', reject);
      });
      req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  return { send, close: () => agent.destroy() };
}

type Send = ReturnType<typeof client>['send'];

interface Actor {
  username: string;
  name: string;
  office: string;
  /** Offices whose records this user may see (own office and below); undefined: not checked (demo users with assignments). */
  scope?: Set<string>;
  token: string;
  cookie: string;
  csrf: string;
  canCreate: boolean;
}

interface Known {
  id: string;
  title: string;
  office: string;
}

const cookieOf = (headers: http.IncomingHttpHeaders, jar: string): string => {
  const pairs = new Map(jar ? jar.split('; ').map((p) => [p.slice(0, p.indexOf('=')), p] as const) : []);
  for (const c of headers['set-cookie'] ?? []) {
    const pair = c.split(';')[0]!;
    pairs.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return [...pairs.values()].join('; ');
};
const csrfOf = (html: string): string => (/name="_csrf" value="([^"]+)"/.exec(html) ?? /name="csrf-token" content="([^"]+)"/.exec(html))?.[1] ?? '';
const json = { 'content-type': 'application/json' };
const bearer = (a: Actor) => ({ authorization: `Bearer ${a.token}` });

async function tokenOf(send: Send, username: string, password: string): Promise<string> {
  const res = await send('POST', '/api/v1/auth/token', json, JSON.stringify({ username, password }));
  if (res.status !== 201) throw new Error(`token for ${username}: ${res.status} ${res.text.slice(0, 200)}`);
  return res.json().token as string;
}

/** Signs in through the login form, as a browser: the session cookie and the page's CSRF token. */
async function signInForm(send: Send, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const form = await send('GET', '/login');
  let cookie = cookieOf(form.headers, '');
  const body = new URLSearchParams({ _csrf: csrfOf(form.text), username, password }).toString();
  const res = await send('POST', '/login', { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body);
  if (res.status !== 302) throw new Error(`sign-in of ${username}: ${res.status} ${res.text.slice(0, 200)}`);
  cookie = cookieOf(res.headers, cookie);
  const home = await send('GET', '/', { cookie });
  return { cookie: cookieOf(home.headers, cookie), csrf: csrfOf(home.text) };
}

/** The users of the soak: three created in district and upazila offices (scope checked) and three demo users at headquarters. */
async function setUp(send: Send, password: string): Promise<{ actors: Actor[]; known: Known[]; reach: Map<string, string[]> }> {
  const admin = await tokenOf(send, 'admin', password);
  // Where each seeded initiative reaches besides its office: the offices of its replication areas (a user of
  // such an office sees it in lists; see visibleTo in initiative.service.ts). Records the soak creates have none.
  const reach = new Map<string, string[]>();
  for (let page = 1; page < 100; page++) {
    const items = (await send('GET', `/api/v1/initiatives?page=${page}`, { authorization: `Bearer ${admin}` })).json().items as { id: string }[];
    if (!items.length) break;
    for (const { id } of items) {
      const d = (await send('GET', `/api/v1/initiatives/${id}`, { authorization: `Bearer ${admin}` })).json();
      const office = d.office as string | { id: string };
      reach.set(id, [typeof office === 'string' ? office : office.id, ...(d.areas as { office: string | null }[]).flatMap((a) => (a.office ? [a.office] : []))]);
    }
  }
  const offices = (await send('GET', '/api/v1/offices', { authorization: `Bearer ${admin}` })).json().items as { id: string; code: string; parent: string | null }[];
  const byCode = (code: string) => {
    const o = offices.find((x) => x.code === code);
    if (!o) throw new Error(`the demo has no office ${code}`);
    return o.id;
  };
  const subtree = (id: string): Set<string> => {
    const ids = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const o of offices) if (o.parent && ids.has(o.parent) && !ids.has(o.id)) grew = Boolean(ids.add(o.id));
    }
    return ids;
  };
  const people = [
    { username: 'soak-io-khulna', nameBn: 'সোক কর্মকর্তা খুলনা', office: byCode('dwa-dist-khulna'), roles: ['innovation_officer'] },
    { username: 'soak-io-cumilla', nameBn: 'সোক কর্মকর্তা কুমিল্লা', office: byCode('dwa-dist-cumilla'), roles: ['innovation_officer'] },
    { username: 'soak-field-dumuria', nameBn: 'সোক মাঠকর্মী ডুমুরিয়া', office: byCode('dwa-upz-dumuria'), roles: ['field_officer'] },
  ];
  const newPassword = `${password}-soak-1`;
  const actors: Actor[] = [];
  for (const p of people) {
    const created = await send('POST', '/api/v1/users', { ...json, authorization: `Bearer ${admin}` }, JSON.stringify({ ...p, designationBn: 'কর্মকর্তা' }));
    if (created.status !== 201) throw new Error(`user ${p.username}: ${created.status} ${created.text.slice(0, 200)}`);
    const once = await tokenOf(send, p.username, created.json().oneTimePassword as string);
    const changed = await send('POST', '/api/v1/me/password', { ...json, authorization: `Bearer ${once}` }, JSON.stringify({ currentPassword: created.json().oneTimePassword, newPassword }));
    if (changed.status !== 204) throw new Error(`password of ${p.username}: ${changed.status} ${changed.text.slice(0, 200)}`);
    const session = await signInForm(send, p.username, newPassword);
    actors.push({ username: p.username, name: p.nameBn.normalize('NFC'), office: p.office, scope: subtree(p.office), token: await tokenOf(send, p.username, newPassword), ...session, canCreate: p.roles.includes('innovation_officer') });
  }
  for (const username of ['officer', 'head', 'observer']) {
    const token = await tokenOf(send, username, password);
    const me = (await send('GET', '/api/v1/me', { authorization: `Bearer ${token}` })).json();
    const session = await signInForm(send, username, password);
    actors.push({ username, name: String(me.name), office: String((me.office as { id: string }).id), token, ...session, canCreate: username === 'officer' });
  }
  // Records of their own for the scoped users, so that every office has something to read.
  const known: Known[] = [];
  for (const a of actors.filter((x) => x.scope && x.canCreate)) {
    for (let i = 1; i <= 3; i++) {
      const title = `সোক উদ্যোগ ${a.username} ${i}`;
      const res = await send('POST', '/api/v1/initiatives', { ...json, ...bearer(a) }, JSON.stringify({ title, kind: 'idea' }));
      if (res.status !== 201) throw new Error(`initiative of ${a.username}: ${res.status} ${res.text.slice(0, 200)}`);
      known.push({ id: res.json().id as string, title, office: a.office });
    }
  }
  return { actors, known, reach };
}

export async function soak(options: SoakOptions): Promise<SoakReport> {
  const http1 = client(options.url, options.connections);
  const { send } = http1;
  const report: SoakReport = { requests: 0, byKind: {}, wrong: {}, serverErrors: {}, otherErrors: {}, samples: [], seconds: 0 };
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  const setUpStarted = Date.now();
  const { actors, known, reach } = await setUp(send, options.password);
  options.log?.(`set up (users, sign-ins, records) in ${((Date.now() - setUpStarted) / 1000).toFixed(0)} s`);
  // The clock of the run starts after the set-up: --minutes is minutes of traffic.
  const started = Date.now();
  const at = () => ((Date.now() - started) / 1000).toFixed(0);
  const visibleTo = (a: Actor) => (a.scope ? known.filter((k) => a.scope!.has(k.office)) : known);
  const hiddenFrom = (a: Actor) => (a.scope ? known.filter((k) => !a.scope!.has(k.office)) : []);
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)];

  /** Sends, counts, and classifies: a 5xx is a server error; `check` returns why an answer is wrong, or ''. */
  const call = async (kind: string, method: string, p: string, headers: Record<string, string>, body: string | undefined, check: (r: Answer) => string): Promise<Answer | undefined> => {
    report.requests++;
    bump(report.byKind, kind);
    let res: Answer;
    try {
      res = await send(method, p, headers, body);
    } catch (err) {
      bump(report.otherErrors, `${kind}: ${(err as Error).message}`);
      return undefined;
    }
    if (res.status >= 500) {
      bump(report.serverErrors, `${kind}: ${res.status}`);
      if (report.samples.length < 20) report.samples.push(`${at()} s ${kind} ${method} ${p}: ${res.status} ${res.text.slice(0, 200)}`);
      return undefined;
    }
    let why: string;
    try {
      why = check(res);
    } catch (err) {
      why = `unreadable answer (${(err as Error).message})`;
    }
    if (why === 'other') {
      bump(report.otherErrors, `${kind}: ${res.status}`);
    } else if (why) {
      bump(report.wrong, kind);
      if (report.samples.length < 20) report.samples.push(`${at()} s ${kind} ${method} ${p}: ${why} (status ${res.status}: ${res.text.slice(0, 160)})`);
    }
    return why ? undefined : res;
  };
  const expectStatus = (r: Answer, status: number): string => (r.status === status ? '' : r.status === 429 ? 'other' : `status ${r.status}, expected ${status}`);

  const ops: ((a: Actor) => Promise<void>)[] = [
    // Who am I, by token and by cookie.
    async (a) => {
      await call('me (token)', 'GET', '/api/v1/me', bearer(a), undefined, (r) => expectStatus(r, 200) || (r.json().username === a.username ? '' : `answered user ${String(r.json().username)} for ${a.username}`));
    },
    async (a) => {
      await call('me (cookie)', 'GET', '/api/v1/me', { cookie: a.cookie }, undefined, (r) => expectStatus(r, 200) || (r.json().username === a.username ? '' : `answered user ${String(r.json().username)} for ${a.username}`));
    },
    // One record by id, by token: its id and title; outside the user's offices: 404.
    async (a) => {
      const k = pick(visibleTo(a));
      if (!k) return;
      await call('initiative (token)', 'GET', `/api/v1/initiatives/${k.id}`, bearer(a), undefined, (r) => {
        const b = r.json();
        return expectStatus(r, 200) || (b.id !== k.id ? `answered record ${String(b.id)} for ${k.id}` : b.title !== k.title ? `title "${String(b.title)}" for "${k.title}"` : '');
      });
    },
    async (a) => {
      const k = pick(hiddenFrom(a));
      if (!k) return;
      await call('initiative outside the offices (token)', 'GET', `/api/v1/initiatives/${k.id}`, bearer(a), undefined, (r) => expectStatus(r, 404));
    },
    // The list: only records of the user's offices, and not fewer than the user is known to have.
    async (a) => {
      await call('list (token)', 'GET', '/api/v1/initiatives', bearer(a), undefined, (r) => {
        const b = r.json();
        const items = b.items as { id: string; office: { id: string } }[];
        if (r.status !== 200) return expectStatus(r, 200);
        const outside = a.scope ? items.filter((i) => !a.scope!.has(i.office.id) && !(reach.get(i.id) ?? []).some((o) => a.scope!.has(o))) : [];
        if (outside.length) return `${outside.length} record(s) of other offices, e.g. ${outside[0]!.id}`;
        const mine = visibleTo(a).length;
        if (typeof b.total === 'number' && b.total < mine) return `total ${b.total}, fewer than the ${mine} records known in scope`;
        if (mine > 0 && items.length === 0) return `an empty list where ${mine} records are known`;
        return '';
      });
    },
    // Pages by cookie: the detail page of a record shows its title, every page shows the signed-in user.
    async (a) => {
      const k = pick(visibleTo(a));
      if (!k) return;
      await call('initiative page (cookie)', 'GET', `/initiatives/${k.id}`, { cookie: a.cookie }, undefined, (r) => expectStatus(r, 200) || (!r.text.includes(k.title) ? `page without the title "${k.title}"` : !r.text.includes(a.name) ? `page without the signed-in user ${a.name}` : ''));
    },
    async (a) => {
      await call('list page (cookie)', 'GET', '/initiatives', { cookie: a.cookie }, undefined, (r) => expectStatus(r, 200) || (!r.text.includes(a.name) ? `page without the signed-in user ${a.name}` : ''));
    },
    async (a) => {
      await call('home page (cookie)', 'GET', '/', { cookie: a.cookie }, undefined, (r) => expectStatus(r, 200) || (!r.text.includes(a.name) ? `page without the signed-in user ${a.name}` : ''));
    },
    // Writes: a new record reads back as sent, in the user's office; an edit answers the record edited.
    async (a) => {
      if (!a.canCreate) return;
      const title = `সোক নতুন ${a.username} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
      const created = await call('create (token)', 'POST', '/api/v1/initiatives', { ...json, ...bearer(a) }, JSON.stringify({ title, kind: 'digitized' }), (r) => expectStatus(r, 201) || (r.json().title !== title ? `created "${String(r.json().title)}" for "${title}"` : ''));
      if (!created) return;
      const id = created.json().id as string;
      const back = await call('read back (token)', 'GET', `/api/v1/initiatives/${id}`, bearer(a), undefined, (r) => {
        const b = r.json();
        return expectStatus(r, 200) || (b.id !== id || b.title !== title ? `read back ${String(b.id)} "${String(b.title)}" for ${id} "${title}"` : '');
      });
      if (back) known.push({ id, title, office: String((back.json().office as { id?: string } | undefined)?.id ?? a.office) });
    },
    async (a) => {
      const k = pick(visibleTo(a));
      if (!k || !a.canCreate) return;
      const got = await call('read to edit (token)', 'GET', `/api/v1/initiatives/${k.id}`, bearer(a), undefined, (r) => expectStatus(r, 200) || (r.json().id === k.id ? '' : `answered record ${String(r.json().id)} for ${k.id}`));
      if (!got) return;
      const problem = `সোক সমস্যা ${Date.now()}`;
      await call('edit (token)', 'PATCH', `/api/v1/initiatives/${k.id}`, { ...json, ...bearer(a) }, JSON.stringify({ version: got.json().version, problem }), (r) => {
        if (r.status === 409) return 'other'; // another worker saved this version first: the refusal is right
        const b = r.json();
        return expectStatus(r, 200) || (b.id !== k.id ? `answered record ${String(b.id)} for ${k.id}` : b.problem !== problem ? 'the edit is not in the answer' : '');
      });
    },
  ];

  const until = started + options.minutes * 60_000;
  let nextLog = started + 60_000;
  const worker = async (i: number) => {
    const a = actors[i % actors.length]!;
    while (Date.now() < until) {
      await pick(ops)!(a);
      if (options.log && Date.now() >= nextLog) {
        nextLog += 60_000;
        options.log(`${at()} s: ${report.requests} requests, ${sum(report.wrong)} wrong, ${sum(report.serverErrors)} × 5xx`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  } finally {
    http1.close();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

const sum = (m: Record<string, number>): number => Object.values(m).reduce((s, n) => s + n, 0);

export function formatReport(r: SoakReport): string {
  const lines = [`soak: ${r.requests} requests in ${r.seconds.toFixed(0)} s; wrong answers ${sum(r.wrong)}; 5xx ${sum(r.serverErrors)}; other errors ${sum(r.otherErrors)}`];
  for (const [kind, n] of Object.entries(r.byKind).sort()) lines.push(`  ${kind.padEnd(42)} ${String(n).padStart(7)}${r.wrong[kind] ? `   wrong ${r.wrong[kind]}` : ''}`);
  for (const [k, n] of Object.entries(r.serverErrors)) lines.push(`  5xx   ${k}: ${n}`);
  for (const [k, n] of Object.entries(r.otherErrors)) lines.push(`  other ${k}: ${n}`);
  for (const s of r.samples) lines.push(`  ! ${s}`);
  return lines.join('\n');
}

export const soakPassed = (r: SoakReport): boolean => sum(r.wrong) === 0 && sum(r.serverErrors) === 0 && r.requests > 0;

export async function run(args: string[]): Promise<number> {
  const arg = (name: string, def: number) => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? Number(args[i + 1]) : def;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  const minutes = arg('minutes', 11);
  const connections = arg('connections', 10);
  const password = 'soak-demo-password-1';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'udbhabon-soak-'));
  const dbName = 'udbhabon_soak';
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DB_NAME: dbName, LOG_LEVEL: 'silent', SCHEDULER: 'false' });
  try {
    return await withDatabase(config, async ({ db, uri }) => {
      // A fresh database each run (MONGODB_URI may name a server that kept an earlier one).
      await db.connection.db!.dropDatabase();
      const app = await spawnApp({ uri, dbName, dataDir: path.join(dataDir, 'app'), env: { SEED_DEMO: 'true', DEMO_PASSWORD: password, SCHEDULER: 'true', COOKIE_SECURE: 'false', LOG_LEVEL: 'error' } });
      let appLog = '';
      app.child.stdout!.on('data', (d: Buffer) => (appLog = (appLog + d.toString()).slice(-4000)));
      app.child.stderr!.on('data', (d: Buffer) => (appLog = (appLog + d.toString()).slice(-4000)));
      try {
        console.log(`soak: ${minutes} min, ${connections} connections, app at ${app.url} (own process, scheduler on), engine: ${config.db.uri ? 'MONGODB_URI' : 'embedded FerretDB (SQLite)'}, started ${new Date().toISOString()}`);
        const report = await soak({ url: app.url, password, minutes, connections, log: (l) => console.log(`  ${l}`) });
        console.log(formatReport(report));
        if (!soakPassed(report) && appLog) console.log(`app output (last lines):\n${appLog}`);
        return soakPassed(report) ? 0 : 1;
      } finally {
        app.child.kill('SIGTERM');
        await new Promise((r) => app.child.once('exit', r));
      }
    });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
