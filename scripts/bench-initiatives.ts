// npm run bench:initiatives [-- --count 5000 --seconds 10]
// Seeds a large department's decade (5,000 initiatives with replication areas, stage histories, pending
// proposals and, on one in three, two attachments) into its
// own data folder and database, then measures under autocannon load (10 connections) the list page filtered
// and sorted, a search, and a detail page (p50/p95, requests/s) of the compiled app running in its own process
// (scripts/lib/spawn-app.ts), and in the same run a raw driver query that
// reads the whole collection, printing the ratios. Targets: list and search p95 ≤ 100 ms, detail p95 ≤ 30 ms.
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import cliProgress from 'cli-progress';
import mongoose, { Types } from 'mongoose';
import { loadConfig } from '../src/config.js';
import { Attachment, attachmentId } from '../src/features/initiatives/attachment.model.js';
import { Initiative, KINDS, STAGES, StageClaim, Transition } from '../src/features/initiatives/initiative.model.js';
import { Office } from '../src/features/offices/office.model.js';
import { markOfficesChanged } from '../src/features/offices/office-tree.js';
import { DISTRICTS } from '../src/features/offices/reference/bd-geography.js';
import { hashPassword } from '../src/features/users/password.js';
import { User } from '../src/features/users/user.model.js';
import { searchKey } from '../src/lib/index.js';
import { spawnApp } from './lib/spawn-app.js';
import { withDatabase } from './lib/with-database.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const COUNT = arg('count', 5000);
const SECONDS = arg('seconds', 10);
const PASSWORD = 'bench-password-1';

const WORDS = ['নারী', 'শিশু', 'সেবা', 'অনলাইন', 'নিবন্ধন', 'ক্ষুদ্রঋণ', 'প্রশিক্ষণ', 'আশ্রয়কেন্দ্র', 'ডিজিটাল', 'ভাতা', 'উদ্যোক্তা', 'স্বাস্থ্য', 'শিক্ষা', 'মহিলা বিষয়ক'];
const YA = 'য়'; // one code point
const YA_NUKTA = 'য়'; // য + nukta
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

export async function seedData(): Promise<{ sampleIds: string[] }> {
  const existing = await Initiative.estimatedDocumentCount();
  // Reseed when the size differs, or when the data predates the transition records (older runs of this script).
  if (existing !== COUNT || (await Transition.estimatedDocumentCount()) === 0 || (await Attachment.estimatedDocumentCount()) === 0) {
    await mongoose.connection.db!.dropDatabase();
    await Promise.all(Object.values(mongoose.models).map((m) => m.syncIndexes()));
    const root = await Office.create({ code: 'bench-root', nameBn: 'মহিলা বিষয়ক অধিদপ্তর', level: 'department', ancestors: [] });
    const districts = await Office.insertMany(
      DISTRICTS.map((d) => ({ code: `bench-${d.iso.toLowerCase()}`, nameBn: `জেলা মহিলা বিষয়ক কার্যালয়, ${d.nameBn}`, level: 'district', parent: root._id, ancestors: [root._id], districtIso: d.iso, geoCode: `${d.bbsCode}00` })),
    );
    await markOfficesChanged();
    await User.create({ username: 'bench-admin', nameBn: 'বেঞ্চ', designationBn: 'মহাপরিচালক', office: root._id, roles: ['admin', 'head', 'innovation_officer'], passwordHash: await hashPassword(PASSWORD) });
    const bar = new cliProgress.SingleBar({ format: 'seeding initiatives [{bar}] {value}/{total}  {eta}s left' }, cliProgress.Presets.shades_classic);
    bar.start(COUNT, 0);
    const BATCH = 250;
    for (let i = 0; i < COUNT; i += BATCH) {
      const docs = [];
      // Every stage move is also a decided proposal in initiative_transitions, and one active initiative in ten
      // has a proposal waiting for the head (held by its claim and copied onto the initiative), as in real use.
      const transitions = [];
      const claims = [];
      // One initiative in three has two attachments (their records; the detail page never reads the bytes).
      const attachments = [];
      for (let j = i; j < Math.min(COUNT, i + BATCH); j++) {
        const office = pick(districts);
        const stage = pick(STAGES);
        const start = new Date(Date.UTC(2016, 6, 1) + rand() * 3600 * 86_400_000);
        const path = ['idea', 'pilot', 'replication', 'institutionalised'];
        const steps = stage === 'paused' || stage === 'dropped' ? 2 : path.indexOf(stage) + 1;
        const history = Array.from({ length: steps }, (_, k) => ({ from: k ? path[k - 1] : null, to: k < path.length ? path[k] : stage, at: new Date(start.getTime() + k * 200 * 86_400_000), by: { name: 'কর্মকর্তা' }, note: 'ধাপ পরিবর্তন' }));
        const words = Array.from({ length: 4 }, () => pick(WORDS)).join(' ').replaceAll(YA, j % 2 ? YA_NUKTA : YA);
        const title = `${words} উদ্যোগ ${j + 1}`;
        const areas = Array.from({ length: Math.floor(rand() * 6) }, () => {
          const d = pick(DISTRICTS);
          return { districtIso: d.iso, nameBn: d.nameBn, status: pick(['planned', 'orientation_held', 'running', 'live', 'stopped']) };
        });
        const _id = new Types.ObjectId();
        const moves = history.slice(1).map((h, k) => ({ _id: new Types.ObjectId(), initiative: _id, office: office._id, from: h.from ?? 'idea', to: h.to, note: h.note, status: 'approved', proposedBy: h.by, proposedAt: h.at, decidedBy: { name: 'প্রধান' }, decidedAt: h.at, gen: k }));
        transitions.push(...moves);
        const next = ({ idea: 'pilot', pilot: 'replication', replication: 'institutionalised' } as Record<string, string | undefined>)[stage];
        let pendingTransition = null;
        if (next && j % 10 === 0) {
          const t = { _id: new Types.ObjectId(), initiative: _id, office: office._id, from: stage, to: next, note: 'পরের ধাপের প্রস্তাব', status: 'pending', proposedBy: { name: 'কর্মকর্তা' }, proposedAt: new Date(history.at(-1)!.at.getTime() + 30 * 86_400_000), gen: moves.length };
          transitions.push(t);
          claims.push({ _id: `move:${String(_id)}:${moves.length}`, initiative: _id, transition: t._id, at: t.proposedAt });
          pendingTransition = { id: t._id, from: t.from, to: t.to, note: t.note, proposedBy: t.proposedBy, proposedAt: t.proposedAt };
        }
        const attached = j % 3 === 0 ? 2 : 0;
        for (let n = 1; n <= attached; n++) {
          attachments.push({ _id: attachmentId(String(_id), n), initiative: _id, office: office._id, n, state: 'stored', name: `প্রমাণক-${n}.pdf`, contentType: 'application/pdf', size: 120_000 * n, sha256: '0'.repeat(64), uploadedBy: { name: 'কর্মকর্তা' }, uploadedAt: history.at(-1)!.at });
        }
        docs.push({
          _id,
          attachmentsUpTo: attached,
          stageGen: moves.length,
          pendingTransition,
          title,
          titleEn: `Initiative ${j + 1}`,
          kind: pick(KINDS),
          problem: `${words} — সমস্যার বিবরণ`.repeat(3),
          solution: `${words} — সমাধানের বিবরণ`.repeat(3),
          office: office._id,
          fiscalYear: `${2016 + (j % 10)}-${String((17 + (j % 10)) % 100).padStart(2, '0')}`,
          stage,
          stageEnteredAt: history.at(-1)!.at,
          lastDecisionAt: history.at(-1)!.at,
          history,
          areas,
          tags: [pick(WORDS)],
          searchText: searchKey(`${title} Initiative ${j + 1}`),
        });
      }
      await Initiative.insertMany(docs, { ordered: false });
      await Transition.insertMany(transitions, { ordered: false });
      if (claims.length) await StageClaim.insertMany(claims, { ordered: false });
      if (attachments.length) await Attachment.insertMany(attachments, { ordered: false });
      bar.update(Math.min(COUNT, i + BATCH));
    }
    bar.stop();
  }
  const sample = await Initiative.find({}, { _id: 1 }).limit(50).lean();
  return { sampleIds: sample.map((s) => String(s._id)) };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** autocannon at 10 connections for SECONDS; headers default to the bearer token (bench:sessions sends a cookie). */
export async function load(label: string, url: string, token: string, paths: string[], headers: Record<string, string> = { authorization: `Bearer ${token}` }): Promise<{ label: string; p50: number; p95: number; rps: number; errors: number; latencies: number[] }> {
  const latencies: number[] = [];
  let i = 0;
  const instance = (autocannon as unknown as (o: autocannon.Options) => autocannon.Instance & Promise<autocannon.Result>)({
    url,
    connections: 10,
    duration: SECONDS,
    headers,
    requests: [{ setupRequest: ((req: { path?: string }) => ({ ...req, path: paths[i++ % paths.length]! })) as never }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return { label, p50: percentile(latencies, 50), p95: percentile(latencies, 95), rps: result.requests.average, errors: result.non2xx + result.errors, latencies };
}

export async function run(): Promise<number> {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'udbhabon-bench'),
    DB_NAME: 'udbhabon_bench',
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
  });
  return withDatabase(config, async ({ db, uri }) => {
    const { sampleIds } = await seedData();
    // The app runs in its own process, as in production: autocannon in this process never shares its event loop.
    // BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the app under the load.
    const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const app = await spawnApp({ uri, dbName: 'udbhabon_bench', dataDir: path.join(config.dataDir, 'app'), nodeArgs });
    const url = app.url;
    try {
      const tokenRes = await fetch(`${url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-admin', password: PASSWORD }) });
      const { token } = (await tokenRes.json()) as { token: string };
      // Warm the read model and the office tree (the first request after a start reads everything once).
      const t0 = performance.now();
      await fetch(`${url}/api/v1/initiatives`, { headers: { authorization: `Bearer ${token}` } });
      const warm = performance.now() - t0;

      const list = await load('list: stage=pilot, sort=title, page 2', url, token, ['/api/v1/initiatives?stage=pilot&kind=digitized&sort=title&order=asc&page=2']);
      const search = await load('search: q=বিষয়ক (both য় forms)', url, token, [`/api/v1/initiatives?q=${encodeURIComponent('বিষয়ক')}`, `/api/v1/initiatives?q=${encodeURIComponent('বিষয়ক'.replace(YA, YA_NUKTA))}`]);
      const detail = await load('detail: GET /initiatives/:id', url, token, sampleIds.map((id) => `/api/v1/initiatives/${id}`));
      // The same three as HTML pages (rendered with Handlebars).
      const listPage = await load('page: /initiatives?stage=pilot&sort=title', url, token, ['/initiatives?stage=pilot&kind=digitized&sort=title&order=asc&page=2']);
      const searchPage = await load('page: /initiatives?q=বিষয়ক', url, token, [`/initiatives?q=${encodeURIComponent('বিষয়ক')}`]);
      const detailPage = await load('page: /initiatives/:id', url, token, sampleIds.map((id) => `/initiatives/${id}`));

      const coll = db.connection.db!.collection('initiatives');
      const raw: number[] = [];
      for (let k = 0; k < 3; k++) {
        const s = performance.now();
        await coll.find({}).toArray();
        raw.push(performance.now() - s);
      }
      raw.sort((a, b) => a - b);
      const rawMs = raw[1]!;
      const s2 = performance.now();
      await coll.find({ stage: 'pilot', kind: 'digitized' }).sort({ title: 1 }).skip(20).limit(20).toArray();
      const rawPage = performance.now() - s2;

      const rows = [list, search, detail, listPage, searchPage, detailPage];
      const f = (n: number) => n.toFixed(1).padStart(8);
      console.log(`\nUdbhabon initiatives benchmark — ${COUNT} initiatives, 10 connections, ${SECONDS} s each, ${os.cpus().length} CPUs, engine: ${config.db.uri ? 'MONGODB_URI' : 'embedded FerretDB (SQLite)'}`);
      console.log(`first request after start (read model load): ${warm.toFixed(0)} ms`);
      console.log(`${'scenario'.padEnd(42)}     p50 ms   p95 ms    req/s  errors`);
      for (const r of rows) console.log(`${r.label.padEnd(42)} ${f(r.p50)} ${f(r.p95)} ${f(r.rps)}  ${r.errors}`);
      console.log(`raw driver read of the whole collection (median of 3): ${rawMs.toFixed(0)} ms; raw filtered+sorted page query: ${rawPage.toFixed(0)} ms`);
      console.log(`ratios — raw full read ÷ p95: list ${(rawMs / list.p95).toFixed(1)}×, search ${(rawMs / search.p95).toFixed(1)}×, detail ${(rawMs / detail.p95).toFixed(1)}×`);
      const ok = [list, search, listPage, searchPage].every((r) => r.p95 <= 100) && [detail, detailPage].every((r) => r.p95 <= 30) && rows.every((r) => r.errors === 0);
      console.log(`targets (list/search p95 ≤ 100 ms, detail p95 ≤ 30 ms, no errors): ${ok ? 'met' : 'NOT met'}`);
      return ok ? 0 : 1;
    } finally {
      app.child.kill('SIGTERM');
    }
  });
}

