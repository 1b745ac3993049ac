// npm run bench:meetings [-- --meetings 2000 --items 10000 --seconds 10]
// Seeds an office tree with 2,000 meetings (attendance, minutes) and 10,000 action items into its own data
// folder and database, then measures under autocannon load (10 connections) the meetings list (API and page)
// and the decisions list (API and page) of the compiled app in its own process (p50/p95, requests/s), and in
// the same run a raw driver read of each whole collection, the cost a listing paid per request when it scanned.
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose, { Types } from 'mongoose';
import { loadConfig } from '../src/config.js';
import { ActionItem, DistributionList, Meeting } from '../src/features/meetings/meeting.model.js';
import { Office } from '../src/features/offices/office.model.js';
import { markOfficesChanged } from '../src/features/offices/office-tree.js';
import { DISTRICTS } from '../src/features/offices/reference/bd-geography.js';
import { hashPassword } from '../src/features/users/password.js';
import { User } from '../src/features/users/user.model.js';
import { dhakaDateOf } from '../src/lib/index.js';
import { spawnApp } from './lib/spawn-app.js';
import { withDatabase } from './lib/with-database.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const MEETINGS = arg('meetings', 2000);
const SECONDS = arg('seconds', 10);
const ITEMS = arg('items', 10_000);
const PASSWORD = 'bench-password-1';
const STATUSES = ['draft', 'submitted', 'returned', 'signed', 'issued'] as const;
const DECISION_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const;

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** autocannon at 10 connections for SECONDS on the given paths (in turn), as a bearer token's holder. */
async function load(label: string, url: string, token: string, paths: string[]): Promise<{ label: string; p50: number; p95: number; rps: number; errors: number }> {
  const latencies: number[] = [];
  let i = 0;
  const instance = (autocannon as unknown as (o: autocannon.Options) => autocannon.Instance & Promise<autocannon.Result>)({
    url,
    connections: 10,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ setupRequest: ((req: { path?: string }) => ({ ...req, path: paths[i++ % paths.length]! })) as never }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return { label, p50: percentile(latencies, 50), p95: percentile(latencies, 95), rps: result.requests.average, errors: result.non2xx + result.errors };
}

async function seedData(): Promise<{ district: string }> {
  const fresh = (await Meeting.estimatedDocumentCount()) === MEETINGS && (await ActionItem.estimatedDocumentCount()) === ITEMS;
  if (!fresh) {
    await mongoose.connection.db!.dropDatabase();
    await Promise.all(Object.values(mongoose.models).map((m) => m.syncIndexes()));
    const root = await Office.create({ code: 'bench-root', nameBn: 'মহিলা বিষয়ক অধিদপ্তর', level: 'department', ancestors: [] });
    const districts = await Office.insertMany(
      DISTRICTS.map((d) => ({ code: `bench-${d.iso.toLowerCase()}`, nameBn: `জেলা কার্যালয়, ${d.nameBn}`, level: 'district', parent: root._id, ancestors: [root._id], districtIso: d.iso, geoCode: `${d.bbsCode}00` })),
    );
    await markOfficesChanged();
    const hash = await hashPassword(PASSWORD);
    await User.create({ username: 'bench-admin', nameBn: 'বেঞ্চ', designationBn: 'মহাপরিচালক', office: root._id, roles: ['admin', 'head', 'innovation_officer'], passwordHash: hash });
    await User.create({ username: 'bench-district', nameBn: 'জেলা প্রধান', designationBn: 'উপপরিচালক', office: districts[0]!._id, roles: ['head', 'innovation_officer'], passwordHash: hash });
    const perMeeting = Math.ceil(ITEMS / MEETINGS);
    const meetings: Record<string, unknown>[] = [];
    const items: { _id: Types.ObjectId; number: number; [k: string]: unknown }[] = [];
    for (let i = 0; i < MEETINGS; i++) {
      const office = i % 10 === 0 ? districts[0]! : pick(districts);
      const startsAt = new Date(Date.UTC(2022, 0, 1) + rand() * 4 * 365 * 86_400_000);
      const _id = new Types.ObjectId();
      const status = pick(STATUSES);
      const decisions = Array.from({ length: Math.min(perMeeting, ITEMS - items.length) }, (_, k) => ({ _id: new Types.ObjectId(), text: `সিদ্ধান্ত ${i}.${k + 1}: অবহিতকরণ সভা আয়োজন ও অগ্রগতি প্রতিবেদন পাঠাতে হবে।`, implementers: [{ user: null, office: null, text: 'উপজেলা নির্বাহী অফিসার' }], deadline: dhakaDateOf(new Date(startsAt.getTime() + (15 + k * 15) * 86_400_000)), initiatives: [], item: 0 }));
      meetings.push({
        _id,
        office: office._id,
        kind: 'review',
        subject: `মাসিক সমন্বয় সভা ${i + 1}`,
        chair: { user: null, text: 'জেলা প্রশাসক' },
        venue: 'সম্মেলন কক্ষ',
        startsAt,
        durationMinutes: 120,
        series: `${String(office._id)}:review`,
        agendaItems: [{ text: 'গত সভার সিদ্ধান্ত বাস্তবায়ন', initiatives: [] }],
        attendance: Array.from({ length: 12 }, (_, k) => ({ user: null, name: `উপস্থিত ${k + 1}`, designation: 'কর্মকর্তা', office: 'কার্যালয়', present: true })),
        observers: [],
        minutes: { opening: 'সভাপতি সবাইকে স্বাগত জানান।', confirmation: '', items: [{ topic: 'অগ্রগতি', paragraphs: ['আলোচনা হয়।'.repeat(10)], speakers: [] }], decisions, closing: 'ধন্যবাদ।' },
        status,
        history: [{ status: 'draft', at: startsAt, by: { name: 'কর্মকর্তা' } }],
        memoNumber: status === 'issued' ? `৩২.০১.০০০০.০২১.২৫.০১১.২০-${i + 1}` : null,
        distribution: [],
        searchText: '',
        __v: 0,
        createdAt: startsAt,
        updatedAt: startsAt,
      });
      if (status !== 'issued') continue;
      for (const [k, d] of decisions.entries()) {
        items.push({ _id: d._id, meeting: _id, office: office._id, meetingSubject: `মাসিক সমন্বয় সভা ${i + 1}`, meetingDate: dhakaDateOf(startsAt), number: k + 1, text: d.text, implementers: d.implementers, deadline: d.deadline, initiatives: [], status: pick(DECISION_STATUSES), updates: [], assignedUsers: [], assignedOffices: [], __v: 0, createdAt: startsAt, updatedAt: startsAt });
      }
    }
    // Issued meetings alone do not give ITEMS decisions: the rest belong to issued meetings too, as later items.
    while (items.length < ITEMS) {
      const base = items[Math.floor(rand() * items.length)]!;
      items.push({ ...base, _id: new Types.ObjectId(), number: base.number + 100 + items.length, status: pick(DECISION_STATUSES) });
    }
    for (let i = 0; i < meetings.length; i += 500) await Meeting.collection.insertMany(meetings.slice(i, i + 500) as never[]);
    for (let i = 0; i < items.length; i += 1000) await ActionItem.collection.insertMany(items.slice(i, i + 1000) as never[]);
    await DistributionList.collection.insertMany(districts.slice(0, 20).map((d) => ({ _id: new Types.ObjectId(), office: d._id, name: 'সাধারণ তালিকা', entries: [{ text: 'জেলা প্রশাসক', purpose: 'information', user: null, office: null }], notBySeniority: false })) as never[]);
  }
  return { district: String((await Office.findOne({ code: `bench-${DISTRICTS[0]!.iso.toLowerCase()}` }).lean())!._id) };
}

export async function run(): Promise<number> {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'udbhabon-bench-meetings'),
    DB_NAME: 'udbhabon_bench_meetings',
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
  });
  return withDatabase(config, async ({ db, uri }) => {
    const { district } = await seedData();
    const app = await spawnApp({ uri, dbName: 'udbhabon_bench_meetings', dataDir: path.join(config.dataDir, 'app') });
    const url = app.url;
    try {
      const token = async (username: string) => {
        const res = await fetch(`${url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
        return ((await res.json()) as { token: string }).token;
      };
      const admin = await token('bench-admin');
      const head = await token('bench-district');
      // The first request after a start loads the read models (the old code scanned on every request).
      const t0 = performance.now();
      await fetch(`${url}/api/v1/meetings`, { headers: { authorization: `Bearer ${admin}` } });
      await fetch(`${url}/api/v1/decisions?status=open&office=${district}`, { headers: { authorization: `Bearer ${admin}` } });
      const warm = performance.now() - t0;

      const rows = [
        await load('API meetings (all offices), page 3', url, admin, ['/api/v1/meetings?page=3&pageSize=20']),
        await load('API meetings (one district), status=issued', url, head, ['/api/v1/meetings?status=issued']),
        await load('page /meetings (all offices)', url, admin, ['/meetings']),
        await load('API decisions (one district), status=open', url, head, ['/api/v1/decisions?status=open']),
        await load('API decisions (all), office filter, overdue', url, admin, [`/api/v1/decisions?office=${district}&overdue=1`]),
        await load('page /decisions (one district)', url, head, ['/decisions?status=open']),
        await load('API distribution lists', url, head, ['/api/v1/distribution-lists']),
      ];
      const raw = async (name: string) => {
        const times: number[] = [];
        for (let k = 0; k < 3; k++) {
          const s = performance.now();
          await db.connection.db!.collection(name).find({}).toArray();
          times.push(performance.now() - s);
        }
        return times.sort((a, b) => a - b)[1]!;
      };
      const f = (n: number) => n.toFixed(1).padStart(8);
      console.log(`\nUdbhabon meetings benchmark — ${MEETINGS} meetings, ${ITEMS} action items, 10 connections, ${os.cpus().length} CPUs, engine: ${config.db.uri ? 'MONGODB_URI' : 'embedded FerretDB (SQLite)'}`);
      console.log(`first requests after start (meetings + decisions): ${warm.toFixed(0)} ms`);
      console.log(`${'scenario'.padEnd(46)}     p50 ms   p95 ms    req/s  errors`);
      for (const r of rows) console.log(`${r.label.padEnd(46)} ${f(r.p50)} ${f(r.p95)} ${f(r.rps)}  ${r.errors}`);
      console.log(`raw driver read of a whole collection (median of 3): meetings ${(await raw('meetings')).toFixed(0)} ms, decisions ${(await raw('decisions')).toFixed(0)} ms`);
      return rows.every((r) => r.errors === 0) ? 0 : 1;
    } finally {
      app.child.kill('SIGTERM');
    }
  });
}
