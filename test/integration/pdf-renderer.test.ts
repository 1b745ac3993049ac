// The PDF renderer against the real Debian Chromium: no JavaScript, no network, crash and hang recovery, a
// bounded queue and a clean shutdown. No database is needed.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import {
  createPdfRenderer,
  PdfQueueFullError,
  PdfRenderError,
  PdfRendererClosedError,
  PdfRenderTimeoutError,
  setPdfMetadata,
  type PdfRenderer,
} from '../../src/platform/pdf/index.js';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'udbhabon-pdf-renderer-'));
let fileNo = 0;

function pdfToText(pdf: Uint8Array, ...flags: string[]): string {
  const file = path.join(TMP, `${fileNo++}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', [...flags, file, '-']).toString('utf8');
}

function pdfInfo(pdf: Uint8Array): string {
  const file = path.join(TMP, `${fileNo++}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdfinfo', [file]).toString('utf8');
}

const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

function html(body: string, head = ''): string {
  return `<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8"><title>পরীক্ষা</title>${head}</head><body>${body}</body></html>`;
}

/** A long table: slow enough to lay out and print that a render can be interrupted or time out. */
function bigDocument(rows: number): string {
  const row = (i: number) => `<tr><td>${i}</td><td>সিদ্ধান্ত বাস্তবায়ন অগ্রগতি পর্যালোচনা ${i}</td><td>উপজেলা আইসিটি অফিসার</td></tr>`;
  return html(
    `<table border="1"><thead><tr><th>ক্রমিক</th><th>সিদ্ধান্ত</th><th>বাস্তবায়নে</th></tr></thead><tbody>${Array.from({ length: rows }, (_, i) => row(i)).join('')}</tbody></table>`,
  );
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(entry), state: f[0]!, ppid: Number(f[1]), pgrp: Number(f[2]) });
    } catch {
      // exited while listing
    }
  }
  return out;
}

/** Live (not zombie) processes of a Chromium: its process group and every descendant of its pid. */
function liveChromiumProcesses(browserPid: number): ProcInfo[] {
  const all = processes();
  const family = new Set<number>([browserPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (family.has(p.ppid) && !family.has(p.pid)) {
        family.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => (p.pgrp === browserPid || family.has(p.pid)) && p.state !== 'Z' && p.pid !== process.pid);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PdfRenderer (real Chromium)', function () {
  this.timeout(60_000);

  let renderer: PdfRenderer;
  let server: http.Server;
  let serverUrl: string;
  const hits: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const browserPids = new Set<number>();

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    server.on('connection', () => hits.push('tcp connection'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    renderer = createPdfRenderer({ poolSize: 2, renderTimeoutMs: 20_000 });
    await renderer.start();
    browserPids.add(renderer.browserPid!);
  });

  after(async () => {
    await renderer?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    process.off('unhandledRejection', onUnhandled);
    fs.rmSync(TMP, { recursive: true, force: true });
  });

  afterEach(() => {
    if (renderer?.browserPid) browserPids.add(renderer.browserPid);
    expect(unhandled, 'unhandled promise rejections').to.deep.equal([]);
  });

  it('when a small HTML document is rendered, then the result is an A4 PDF carrying its text', async () => {
    const pdf = await renderer.render(html('<h1>উদ্ভাবন</h1><p>সভার কার্যবিবরণী</p>'));
    expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(pdfInfo(pdf)).to.match(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    expect(squash(pdfToText(pdf, '-layout'))).to.include(squash('সভার কার্যবিবরণী'));
  });

  it('when the document contains scripts that would change its text, then they do not run', async () => {
    const pdf = await renderer.render(
      html(
        `<p id="t">মূল লেখা ORIGINAL-TEXT</p>
         <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="document.getElementById('t').textContent='ONERROR-RAN'">
         <script>document.getElementById('t').textContent = 'SCRIPT-RAN';</script>`,
        `<script>document.addEventListener('DOMContentLoaded', () => document.body.append('DOMCONTENTLOADED-RAN'));</script>`,
      ),
    );
    const text = pdfToText(pdf, '-layout');
    expect(text).to.include('ORIGINAL-TEXT');
    expect(text).not.to.match(/SCRIPT-RAN|ONERROR-RAN|DOMCONTENTLOADED-RAN/);
  });

  it('when the document points an image, CSS url()s, an iframe and a preconnect at a local server, then nothing reaches it', async () => {
    // The server is reachable from here: the test would see a request if Chromium made one.
    await fetch(`${serverUrl}/probe`);
    expect(hits).to.include('GET /probe');
    hits.length = 0;
    const blockedBefore = renderer.stats().blockedRequests;

    const pdf = await renderer.render(
      html(
        `<p>বাইরের কিছু লোড হবে না</p>
         <img src="${serverUrl}/x.png">
         <div style="width:10mm;height:10mm;background-image:url('${serverUrl}/bg.png')"></div>
         <iframe src="${serverUrl}/frame.html"></iframe>
         <object data="${serverUrl}/object.pdf"></object>`,
        `<link rel="preconnect" href="${serverUrl}"><link rel="dns-prefetch" href="${serverUrl}">
         <link rel="stylesheet" href="${serverUrl}/style.css">
         <style>@import url('${serverUrl}/import.css'); @font-face { font-family: X; src: url('${serverUrl}/font.woff2'); } p { font-family: X; }</style>`,
      ),
    );
    await sleep(500); // anything late (prefetch, preconnect) would arrive by now

    expect(pdfToText(pdf)).to.include('লোড');
    expect(hits, 'requests that reached the local server').to.deep.equal([]);
    expect(renderer.stats().blockedRequests - blockedBefore).to.be.greaterThanOrEqual(4);
  });

  it("when a document loads one of the renderer's own assets, then it is served from memory", async () => {
    renderer.registerAsset('/test-asset.css', { contentType: 'text/css', body: 'p.x::after { content: "ASSET-SERVED"; }' });
    const pdf = await renderer.render(
      html('<p class="x">লেখা </p>', `<link rel="stylesheet" href="${renderer.assetUrl('/test-asset.css')}">`),
    );
    expect(pdfToText(pdf)).to.include('ASSET-SERVED');
  });

  it('when metadata is given, then pdfinfo shows it and the text is still extractable', async () => {
    const pdf = await renderer.render(html('<p>সভার কার্যবিবরণী</p>'), {
      title: 'শিরোনাম',
      subject: 'বিষয়বস্তু',
      author: 'লেখক দপ্তর',
      keywords: ['ক', 'খ'],
      language: 'bn',
    });
    const info = pdfInfo(pdf).normalize('NFC');
    expect(info).to.match(/Title:\s+শিরোনাম/);
    expect(info).to.match(new RegExp(`Subject:\\s+${'বিষয়বস্তু'.normalize('NFC')}`));
    expect(info).to.match(/Author:\s+লেখক দপ্তর/);
    expect(info).to.match(/Keywords:\s+ক, খ/);
    expect(info).to.match(/Creator:\s+Udbhabon/);
    expect(Buffer.from(pdf).toString('latin1')).to.match(/\/Lang \(bn\)|\/Lang <FEFF0062006E>/);
    expect(squash(pdfToText(pdf))).to.include(squash('সভার কার্যবিবরণী'));
  });

  it('when metadata is set on a PDF with a cross-reference stream, then pdf-lib sets it instead', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const original = await doc.save({ useObjectStreams: true });
    const updated = await setPdfMetadata(original, { title: 'শিরোনাম', author: 'লেখক', language: 'bn', creator: 'Udbhabon' });
    const info = pdfInfo(updated);
    expect(info).to.match(/Title:\s+শিরোনাম/);
    expect(info).to.match(/Author:\s+লেখক/);
    expect(info).to.match(/Creator:\s+Udbhabon/);
  });

  it('when Chromium is killed mid-render, then that render rejects and the next render succeeds on a new browser', async () => {
    const pid = renderer.browserPid!;
    const relaunches = renderer.stats().relaunches;
    const started = Date.now();
    const inFlight = renderer.render(bigDocument(6000));
    let settled = false;
    void inFlight.then(
      () => (settled = true),
      () => (settled = true),
    );
    await sleep(300);
    expect(settled, 'the big render finished before the kill; make it bigger').to.equal(false);
    process.kill(pid, 'SIGKILL');

    const err = await inFlight.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(PdfRenderError);
    expect(Date.now() - started).to.be.lessThan(10_000);

    const pdf = await renderer.render(html('<p>আবার চালু</p>'));
    expect(squash(pdfToText(pdf))).to.include('আবারচালু');
    expect(renderer.browserPid).to.be.a('number').and.not.equal(pid);
    expect(renderer.stats().relaunches).to.equal(relaunches + 1);
    await sleep(200);
    expect(liveChromiumProcesses(pid), 'processes of the killed browser').to.deep.equal([]);
  });

  it('when a render passes its deadline, then it fails with a timeout and the renderer keeps working', async () => {
    const started = Date.now();
    const err = await renderer.render(bigDocument(20_000), { timeoutMs: 300 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(PdfRenderTimeoutError);
    expect(Date.now() - started).to.be.lessThan(2_000);
    expect(renderer.stats().timeouts).to.be.greaterThanOrEqual(1);

    const results = await Promise.all([1, 2, 3].map((i) => renderer.render(html(`<p>পরের নথি ${i}</p>`))));
    for (const [i, pdf] of results.entries()) expect(squash(pdfToText(pdf))).to.include(squash(`পরের নথি ${i + 1}`));
  });

  it('when Chromium stops answering (SIGSTOP), then the render times out, the browser is replaced and the next render succeeds', async () => {
    const hung = createPdfRenderer({ poolSize: 1, renderTimeoutMs: 1_500, acquireTimeoutMs: 15_000, closeTimeoutMs: 1_000 });
    try {
      await hung.start();
      const pid = hung.browserPid!;
      browserPids.add(pid);
      process.kill(pid, 'SIGSTOP');
      const err = await hung.render(html('<p>আটকে যাবে</p>')).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(PdfRenderTimeoutError);

      const pdf = await hung.render(html('<p>নতুন ব্রাউজার</p>'));
      expect(squash(pdfToText(pdf))).to.include(squash('নতুন ব্রাউজার'));
      expect(hung.browserPid).to.not.equal(pid);
      expect(hung.stats().relaunches).to.equal(1);
      expect(liveChromiumProcesses(pid), 'processes of the hung browser').to.deep.equal([]);
    } finally {
      await hung.close();
    }
  });

  it('when more renders arrive than the pages and the queue hold, then the extra one is refused at once: within 1 s and before the render in flight finishes', async () => {
    const small = createPdfRenderer({ poolSize: 1, maxWaiting: 2 });
    try {
      await small.start();
      browserPids.add(small.browserPid!);
      // When each accepted render settles, on the same clock as the refusal.
      const settledAt: number[] = [];
      const track = (p: Promise<Buffer>) => p.finally(() => settledAt.push(performance.now()));
      const accepted = [track(small.render(bigDocument(500))), track(small.render(html('<p>২</p>'))), track(small.render(html('<p>৩</p>')))];
      const t = performance.now();
      const refused = await small.render(html('<p>৪</p>')).then(
        () => null,
        (e: unknown) => e,
      );
      const refusedAt = performance.now();
      expect(refused).to.be.instanceOf(PdfQueueFullError);
      // A generous bound for a loaded 2-core machine; what matters is that it did not wait for a page.
      console.log(`      (refused after ${(refusedAt - t).toFixed(1)} ms)`);
      expect(refusedAt - t).to.be.lessThan(1_000);
      expect(settledAt, 'no accepted render had finished when the extra one was refused').to.deep.equal([]);
      expect(small.stats().rejected).to.equal(1);
      const pdfs = await Promise.all(accepted);
      expect(pdfs).to.have.length(3);
      expect(Math.min(...settledAt)).to.be.greaterThan(refusedAt);
      expect(small.stats().renders).to.equal(3);
    } finally {
      await small.close();
    }
  });

  it('when close() is called, then no Chromium process is left and later renders are refused', async () => {
    const closing = createPdfRenderer({ poolSize: 2 });
    await closing.start();
    await closing.render(html('<p>একটি নথি</p>'));
    const pid = closing.browserPid!;
    browserPids.add(pid);
    expect(liveChromiumProcesses(pid).length, 'browser + renderers + zygote before close').to.be.greaterThan(2);

    const t = Date.now();
    await closing.close();
    expect(Date.now() - t).to.be.lessThan(5_000);
    expect(liveChromiumProcesses(pid)).to.deep.equal([]);
    const err = await closing.render(html('<p>দেরিতে</p>')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(PdfRendererClosedError);
  });

  it('when the node process dies without close() (SIGKILL), then its Chromium exits by itself', async () => {
    const rendererModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/platform/pdf/index.ts');
    const script = path.join(TMP, 'orphan.mts');
    fs.writeFileSync(
      script,
      `import { createPdfRenderer } from ${JSON.stringify(rendererModule)};
       const r = createPdfRenderer({ poolSize: 1 });
       await r.start();
       await r.render('<p>x</p>');
       console.log('PID ' + r.browserPid);
       process.kill(process.pid, 'SIGKILL');`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.on('exit', r));
    const pid = Number(/PID (\d+)/.exec(out)?.[1]);
    expect(pid, `child output: ${out}`).to.be.greaterThan(0);
    browserPids.add(pid);
    const deadline = Date.now() + 10_000;
    while (liveChromiumProcesses(pid).length > 0 && Date.now() < deadline) await sleep(100);
    expect(liveChromiumProcesses(pid)).to.deep.equal([]);
  });

  it('when the shared renderer is closed, then none of the browsers this suite started has a live process', async () => {
    await renderer.close();
    for (const pid of browserPids) expect(liveChromiumProcesses(pid), `browser ${pid}`).to.deep.equal([]);
  });
});
