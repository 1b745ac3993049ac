// npm run bench:memo [-- --seconds 10 --connections 50]
// Memo-number allocation alone (no PDF): two app instances on one database, 50 concurrent clients (half on
// each) taking numbers from one register through POST /api/v1/memo-registers/:id/numbers. Prints numbers per
// second, latency p50/p95, and then checks the register: gaps and duplicates must both be 0.
// Target: ≥ 200 numbers/s with 0 gaps and 0 duplicates.
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { MemoNumber, MemoRegister } from '../src/features/memo-numbers/memo.model.js';
import { Office } from '../src/features/offices/office.model.js';
import { markOfficesChanged } from '../src/features/offices/office-tree.js';
import { hashPassword } from '../src/features/users/password.js';
import { User } from '../src/features/users/user.model.js';
import { spawnApp } from './lib/spawn-app.js';
import { withDatabase } from './lib/with-database.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 50);
const PASSWORD = 'bench-password-1';
const DB_NAME = 'udbhabon_bench_memo';

function cannon(url: string, token: string, registerId: string, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/api/v1/memo-registers/${registerId}/numbers`,
        method: 'POST',
        connections,
        duration: SECONDS,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'বেঞ্চমার্ক পত্র' }),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

export async function run(): Promise<number> {
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'udbhabon-bench-memo'), DB_NAME, LOG_LEVEL: 'silent', SCHEDULER: 'false' });
  return withDatabase(config, async ({ uri }) => {
    await mongoose.connection.db!.dropDatabase();
    await Promise.all(Object.values(mongoose.models).map((m) => m.syncIndexes()));
    const office = await Office.create({ code: 'bench-hq', nameBn: 'মহিলা বিষয়ক অধিদপ্তর', level: 'department', ancestors: [] });
    await markOfficesChanged();
    await User.create({ username: 'bench-officer', nameBn: 'বেঞ্চ', designationBn: 'ইনোভেশন অফিসার', office: office._id, roles: ['innovation_officer'], passwordHash: await hashPassword(PASSWORD) });
    const register = await MemoRegister.create({ office: office._id, name: 'বেঞ্চ বহি', layout: '2014', isDefault: true, segments: [['ministry', '32', 2], ['department', '01', 2], ['geo', '0000', 4], ['branch', '021', 3], ['subject', '25', 2], ['file', '011', 3], ['year', '20', 2]].map(([key, value, width]) => ({ key, value, width })) });
    const apps = await Promise.all([0, 1].map((i) => spawnApp({ uri, dbName: DB_NAME, dataDir: path.join(config.dataDir, `app-${i}`) })));
    try {
      const tokenRes = await fetch(`${apps[0]!.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-officer', password: PASSWORD }) });
      const { token } = (await tokenRes.json()) as { token: string };
      // Warm both instances (office tree, actor cache, register).
      for (const a of apps) await fetch(`${a.url}/api/v1/memo-registers/${String(register._id)}/numbers`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'উষ্ণকরণ' }) });
      const per = Math.floor(CONNECTIONS / apps.length);
      console.log(`memo numbers: ${CONNECTIONS} clients (${per} on each of ${apps.length} app instances), ${SECONDS} s, FerretDB at ${uri}`);
      const results = await Promise.all(apps.map((a, i) => cannon(a.url, token, String(register._id), i === 0 ? CONNECTIONS - per : per)));
      const ok = results.reduce((n, r) => n + r['2xx'], 0);
      const errors = results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
      const rate = ok / SECONDS;
      for (const [i, r] of results.entries()) console.log(`  instance ${i + 1}: ${r['2xx']} numbers, ${(r['2xx'] / SECONDS).toFixed(1)}/s, p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
      // The truth: every record of the register.
      const docs = await MemoNumber.find({}, { register: 1, serial: 1, number: 1 }).lean();
      const serials = docs.filter((d) => String(d.register) === String(register._id)).map((d) => d.serial).sort((a, b) => a - b);
      const duplicates = serials.length - new Set(serials).size + (docs.length - new Set(docs.map((d) => d.number)).size);
      const max = serials.at(-1) ?? 0;
      const gaps = max - new Set(serials).size;
      console.log(`  total: ${ok} numbers in ${SECONDS} s = ${rate.toFixed(1)} numbers/s (target ≥ 200), failed requests ${errors}`);
      console.log(`  register: ${serials.length} records, serials 1..${max}, gaps ${gaps}, duplicates ${duplicates} (targets 0 and 0)`);
      // Requests still in flight when the clock stops got their numbers but are not counted as answered.
      console.log(`  numbers answered ${ok + apps.length} (with warm-up) ≤ records ${serials.length}: ${ok + apps.length <= serials.length ? 'yes' : 'NO'}`);
      return rate >= 200 && gaps === 0 && duplicates === 0 && ok + apps.length <= serials.length ? 0 : 1;
    } finally {
      for (const a of apps) a.child.kill('SIGTERM');
    }
  });
}
