// Reading PDFs in tests with poppler (pdftotext, pdfimages), and taking binary bodies from supertest.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';

/** Runs `f` on the PDF written to a temporary file, which is removed afterwards. */
export function withPdfFile<T>(pdf: Uint8Array, f: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'udbhabon-pdf-'));
  try {
    const file = path.join(dir, 'x.pdf');
    fs.writeFileSync(file, pdf);
    return f(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF as pdftotext gives it (`-raw` reading order by default). */
export function pdfText(pdf: Uint8Array, mode: '-raw' | '-layout' = '-raw'): string {
  return withPdfFile(pdf, (file) => execFileSync('pdftotext', [mode, file, '-'], { encoding: 'utf8' }));
}

/** Whitespace removed and NFC, for comparing printed text "ignoring whitespace". */
export const squash = (s: string): string => s.normalize('NFC').replace(/\s+/g, '');

/** supertest parser: the response body as one Buffer (`.buffer(true).parse(binary)`). */
export const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
