// npx tsx scripts/bench-pdf-raw.ts [--documents 200] [--concurrency 1,2,4] [--pool 2] [--tagged]
// The raw ceiling of PDF generation: the sample minutes (src/features/documents/sample.ts), HTML built once,
// rendered by the PdfRenderer (one warm Chromium, pooled pages, metadata set) at each concurrency. Prints
// PDFs/s, p50, p95 and the peak RSS of this node process and of Chromium's processes, and the same for
// wkhtmltopdf when it is on PATH. Target: ≥ 25 PDFs/s at concurrency 2 on 2 cores, p95 ≤ 150 ms, flat memory.
// rawCeiling() is exported for the app-level benchmark.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderMinutesHtml, documentStylesheet } from '../src/features/documents/index.js';
import { sampleMinutesDocument } from '../src/features/documents/sample.js';
import { createPdfRenderer, findDocumentChromium, type PdfRenderer, type RenderOptions } from '../src/platform/pdf/index.js';

export interface CeilingRun {
  readonly engine: 'chromium' | 'wkhtmltopdf';
  readonly concurrency: number;
  readonly documents: number;
  readonly pdfsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly peakRssMb: { readonly node: number; readonly browser: number; readonly total: number };
  /** Total RSS after the warm-up and at the end of the run: a flat memory profile keeps these close. */
  readonly rssMbStartEnd: readonly [number, number];
  /** Total memory (MB) after every tenth of the run. */
  readonly rssMbTrace: readonly number[];
}

export interface RawCeilingOptions {
  readonly documents?: number;
  readonly concurrencies?: readonly number[];
  /** A renderer to measure; default: a new one (closed afterwards) with poolSize = max concurrency. */
  readonly renderer?: PdfRenderer;
  readonly poolSize?: number;
  readonly tagged?: boolean;
  /** Also measure wkhtmltopdf when it is on PATH. Default true. */
  readonly wkhtmltopdf?: boolean;
  readonly log?: (line: string) => void;
}

const PAGE_SIZE = 4096;

/** Pids in the process group `pgid`; /proc is scanned at most every 2 s (the pool's processes rarely change). */
const groupCache = new Map<number, { at: number; pids: number[] }>();
function groupMembers(pgid: number): number[] {
  const cached = groupCache.get(pgid);
  if (cached && Date.now() - cached.at < 2_000) return cached.pids;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) pids.push(Number(entry)); // field 5: pgrp
    } catch {
      // the process exited while we looked
    }
  }
  groupCache.set(pgid, { at: Date.now(), pids });
  return pids;
}

/**
 * Memory in bytes of every process in the process group `pgid` (Chromium runs in its own group): the sum of
 * PSS (proportional set size), because summing RSS counts the pages Chromium's processes share once per process
 * and overstates the total several times over. Falls back to RSS where smaps_rollup is missing.
 * Reading smaps_rollup makes the kernel walk the process's whole address space (1–5 ms per Chromium process):
 * sampled ten times a second it took ~18 % of a core from the renders being measured, so the benchmarks sample
 * once a second and the group's members are looked up at most every 2 s.
 */
export function processGroupRss(pgid: number | undefined): number {
  if (!pgid) return 0;
  let total = 0;
  for (const pid of groupMembers(pgid)) {
    try {
      const rollup = fs.existsSync(`/proc/${pid}/smaps_rollup`) ? fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8') : '';
      const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
      total += pss ? Number(pss[1]) * 1024 : Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
    } catch {
      // the process exited while we looked
    }
  }
  return total;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

async function measure(
  engine: CeilingRun['engine'],
  concurrency: number,
  documents: number,
  renderOne: () => Promise<unknown>,
  browserRss: () => number,
): Promise<CeilingRun> {
  const peak = { node: 0, browser: 0, total: 0 };
  const sample = () => {
    const node = process.memoryUsage().rss;
    const browser = browserRss();
    peak.node = Math.max(peak.node, node);
    peak.browser = Math.max(peak.browser, browser);
    peak.total = Math.max(peak.total, node + browser);
    return node + browser;
  };
  const rssStart = sample();
  const sampler = setInterval(sample, 1000);
  const times: number[] = [];
  const trace: number[] = [];
  const step = Math.max(1, Math.floor(documents / 10));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < documents) {
        const t = performance.now();
        await renderOne();
        times.push(performance.now() - t);
        if (times.length % step === 0) trace.push(mb(sample()));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const rssEnd = sample();
  times.sort((a, b) => a - b);
  return {
    engine,
    concurrency,
    documents,
    pdfsPerSecond: Math.round((documents / seconds) * 10) / 10,
    p50Ms: Math.round(percentile(times, 50)),
    p95Ms: Math.round(percentile(times, 95)),
    peakRssMb: { node: mb(peak.node), browser: mb(peak.browser), total: mb(peak.total) },
    rssMbStartEnd: [mb(rssStart), mb(rssEnd)],
    rssMbTrace: trace,
  };
}

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** Measures the renderer (and wkhtmltopdf if present) on the sample minutes at each concurrency. */
export async function rawCeiling(options: RawCeilingOptions = {}): Promise<CeilingRun[]> {
  const documents = options.documents ?? 200;
  const concurrencies = options.concurrencies ?? [1, 2, 4];
  const log = options.log ?? (() => {});
  const doc = sampleMinutesDocument();
  const renderer =
    options.renderer ??
    createPdfRenderer({ poolSize: options.poolSize ?? Math.max(...concurrencies), tagged: options.tagged ?? false, maxWaiting: 1000 });
  const owned = !options.renderer;
  const results: CeilingRun[] = [];
  try {
    await renderer.start();
    const { css, assetPath } = documentStylesheet();
    renderer.registerAsset(assetPath, { contentType: 'text/css; charset=utf-8', body: css });
    const html = renderMinutesHtml(doc, { stylesheetHref: renderer.assetUrl(assetPath) });
    const meta: RenderOptions = { title: doc.meta.title, subject: doc.meta.subject, author: doc.meta.author, language: 'bn' };
    const renderOne = () => renderer.render(html, meta);
    for (let i = 0; i < renderer.poolSize * 3; i++) await Promise.all(Array.from({ length: renderer.poolSize }, renderOne)); // warm-up
    for (const c of concurrencies) {
      const r = await measure('chromium', c, documents, renderOne, () => processGroupRss(renderer.browserPid));
      log(format(r));
      results.push(r);
    }
  } finally {
    if (owned) await renderer.close();
  }

  const wk = options.wkhtmltopdf === false ? undefined : onPath('wkhtmltopdf');
  if (wk) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'udbhabon-wk-'));
    try {
      const input = path.join(dir, 'minutes.html');
      fs.writeFileSync(input, renderMinutesHtml(doc)); // self-contained: fonts inline
      const run = promisify(execFile);
      let n = 0;
      const renderOne = () => run(wk, ['-q', '--disable-javascript', '--page-size', 'A4', input, path.join(dir, `out-${n++ % 8}.pdf`)]);
      for (const c of concurrencies) {
        const r = await measure('wkhtmltopdf', c, Math.min(documents, 50), renderOne, () => 0);
        log(format(r));
        results.push(r);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else if (options.wkhtmltopdf !== false) {
    log('wkhtmltopdf: not on PATH, skipped');
  }
  return results;
}

function format(r: CeilingRun): string {
  return (
    `${r.engine.padEnd(11)} c=${r.concurrency}  n=${r.documents}  ${String(r.pdfsPerSecond).padStart(6)} PDFs/s  ` +
    `p50 ${r.p50Ms} ms  p95 ${r.p95Ms} ms  peak RSS node ${r.peakRssMb.node} MB + Chromium PSS ${r.peakRssMb.browser} MB = ${r.peakRssMb.total} MB  ` +
    `(total ${r.rssMbStartEnd[0]} → ${r.rssMbStartEnd[1]} MB; every tenth: ${r.rssMbTrace.join(' ')})`
  );
}

export async function run(args: readonly string[]): Promise<number> {
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const concurrencies = (arg('concurrency') ?? '1,2,4').split(',').map(Number);
  const pool = arg('pool');
  console.log(`PDF raw ceiling: ${os.availableParallelism()} CPUs, ${execFileSync(findDocumentChromium(process.env.PUPPETEER_EXECUTABLE_PATH), ['--version']).toString().trim()}`);
  await rawCeiling({
    documents: Number(arg('documents') ?? 200),
    concurrencies,
    poolSize: pool ? Number(pool) : undefined,
    tagged: args.includes('--tagged'),
    log: (line) => console.log(line),
  });
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2));
}
