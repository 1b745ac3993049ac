// npm run bench:pdf [-- --documents 200 --memory 1000]
// Draft minutes PDFs (rendered fresh every time, never a stored copy) through the app's HTTP endpoint
// GET /api/v1/meetings/:id/minutes.pdf at concurrency 1, 2 and 4: PDFs/s, p50, p95, peak memory (node +
// Chromium). In the same run, the raw Chromium ceiling (the renderer alone, same document) and wkhtmltopdf
// when installed, with the ratios; then memory over --memory renders (flat is the target).
// Targets: ≥ 25 PDFs/s at concurrency 2, p95 ≤ 150 ms, memory flat over 1,000 renders.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { Meeting } from '../src/features/meetings/meeting.model.js';
import { Office } from '../src/features/offices/office.model.js';
import { markOfficesChanged } from '../src/features/offices/office-tree.js';
import { hashPassword } from '../src/features/users/password.js';
import { User } from '../src/features/users/user.model.js';
import { systemClock } from '../src/lib/index.js';
import { createPdfRenderer } from '../src/platform/pdf/index.js';
import { sampleMinutesDocument } from '../src/features/documents/sample.js';
import { processGroupRss, rawCeiling } from './bench-pdf-raw.js';
import { withDatabase } from './lib/with-database.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const DOCUMENTS = arg('documents', 200);
const MEMORY_RUNS = arg('memory', 1000);
const PASSWORD = 'bench-password-1';
const mb = (b: number) => Math.round(b / 1024 / 1024);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export async function run(): Promise<number> {
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'udbhabon-bench-pdf'), DB_NAME: 'udbhabon_bench_pdf', LOG_LEVEL: 'silent', SCHEDULER: 'false' });
  return withDatabase(config, async ({ db, logger }) => {
    await mongoose.connection.db!.dropDatabase();
    await Promise.all(Object.values(mongoose.models).map((m) => m.syncIndexes()));
    const office = await Office.create({ code: 'bench-upz', nameBn: 'উপজেলা নির্বাহী অফিসারের কার্যালয়', addressBn: 'পাইকগাছা, খুলনা।', level: 'upazila', ancestors: [] });
    await markOfficesChanged();
    await User.create({ username: 'bench-officer', nameBn: 'বেঞ্চ', designationBn: 'ইনোভেশন অফিসার', office: office._id, roles: ['innovation_officer'], passwordHash: await hashPassword(PASSWORD) });
    // The sample minutes (src/features/documents/sample.ts, as the document tests use it) as a draft meeting.
    const sample = sampleMinutesDocument();
    const meeting = await Meeting.create({
      office: office._id,
      kind: 'innovation_team',
      subject: sample.subject,
      chair: { text: sample.chair },
      venue: sample.venue,
      startsAt: new Date('2025-09-28T05:00:00Z'),
      series: 'bench',
      attendance: sample.attendance.map((a) => ({ name: a.name, designation: a.designation, office: a.office, present: a.present, reason: a.present ? undefined : 'ছুটিতে' })),
      minutes: {
        opening: sample.opening.join('\n\n'),
        items: sample.items.map((i) => ({ topic: i.topic, paragraphs: i.paragraphs })),
        decisions: sample.items.flatMap((i, n) => i.decisions.map((d) => ({ _id: new mongoose.Types.ObjectId(), text: d.text, implementers: [{ text: d.implementers }], item: n }))),
        closing: sample.closing.join('\n\n'),
      },
    });
    const pdf = createPdfRenderer({ executablePath: config.pdf.executablePath, poolSize: config.pdf.poolSize, maxWaiting: 1000 });
    await pdf.start();
    const app = createApp({ config, logger, db, clock: systemClock, pdf });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { token } = (await (await fetch(`${url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-officer', password: PASSWORD }) })).json()) as { token: string };
      const one = async () => {
        const res = await fetch(`${url}/api/v1/meetings/${String(meeting._id)}/minutes.pdf`, { headers: { authorization: `Bearer ${token}` } });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200 || body.subarray(0, 4).toString() !== '%PDF') throw new Error(`bad answer ${res.status}`);
      };
      const memory = () => process.memoryUsage().rss + processGroupRss(pdf.browserPid);
      for (let i = 0; i < 10; i++) await Promise.all([one(), one()]); // warm-up
      console.log(`PDF through HTTP (draft minutes, rendered fresh): ${os.availableParallelism()} CPUs, pool ${pdf.poolSize}, ${DOCUMENTS} documents per run`);
      const runs: { c: number; rate: number; p50: number; p95: number; peak: number }[] = [];
      for (const c of [1, 2, 4]) {
        const times: number[] = [];
        let next = 0;
        let peak = 0;
        const sampler = setInterval(() => (peak = Math.max(peak, memory())), 1000); // see processGroupRss
        const t0 = performance.now();
        await Promise.all(Array.from({ length: c }, async () => {
          while (next++ < DOCUMENTS) {
            const t = performance.now();
            await one();
            times.push(performance.now() - t);
          }
        }));
        const seconds = (performance.now() - t0) / 1000;
        clearInterval(sampler);
        times.sort((a, b) => a - b);
        const r = { c, rate: DOCUMENTS / seconds, p50: pct(times, 50), p95: pct(times, 95), peak: Math.max(peak, memory()) };
        runs.push(r);
        console.log(`  app  c=${c}: ${r.rate.toFixed(1)} PDFs/s, p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, peak memory ${mb(r.peak)} MB (node RSS + Chromium PSS)`);
      }
      console.log('Raw ceiling (the renderer alone, the sample minutes; wkhtmltopdf if installed):');
      const raw = await rawCeiling({ documents: DOCUMENTS, concurrencies: [1, 2, 4], renderer: pdf, log: (l) => console.log(`  ${l}`) });
      for (const a of runs) {
        const r = raw.find((x) => x.engine === 'chromium' && x.concurrency === a.c);
        const w = raw.find((x) => x.engine === 'wkhtmltopdf' && x.concurrency === a.c);
        console.log(`  c=${a.c}: app/raw throughput ${r ? (a.rate / r.pdfsPerSecond).toFixed(2) : '—'}${w ? `, app/wkhtmltopdf ${(a.rate / w.pdfsPerSecond).toFixed(2)}` : ', wkhtmltopdf not installed'}`);
      }
      // Memory over many renders: the figure after every tenth should not climb.
      const trace: number[] = [];
      let done = 0;
      await Promise.all(Array.from({ length: 2 }, async () => {
        while (done < MEMORY_RUNS) {
          done++;
          await one();
          if (done % Math.max(1, Math.floor(MEMORY_RUNS / 10)) === 0) trace.push(mb(memory()));
        }
      }));
      console.log(`Memory over ${MEMORY_RUNS} renders (MB after each tenth): ${trace.join(' → ')}`);
      const c2 = runs.find((a) => a.c === 2)!;
      console.log(`Targets at c=2: ≥ 25 PDFs/s (${c2.rate.toFixed(1)}), p95 ≤ 150 ms (${c2.p95.toFixed(0)})`);
      return c2.rate >= 25 && c2.p95 <= 150 ? 0 : 1;
    } finally {
      server.close();
      await pdf.close();
    }
  });
}
