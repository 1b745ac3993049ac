// The minutes PDF (stored once issued, a watermarked draft before) and the public verification page.
import type { Request, Response } from 'express';
import multer from 'multer';
import { dhakaDateOf, formatDualDate } from '../../lib/index.js';
import { NotFoundError } from '../../kernel/errors.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { perAddressLimit } from '../../platform/http/rate-limit.js';
import type { PdfRenderer } from '../../platform/pdf/index.js';
import type { Config } from '../../config.js';
import { Routes, actorOf, type RouteTable } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import { Meeting, MeetingPdf, type MeetingDoc } from './meeting.model.js';
import { getMeeting } from './meeting.service.js';
import { meetingForCode, renderDraftPdf, sha256, storeIssuedPdf } from './minutes-pdf.js';

export function minutesPdfRoutes(deps: { table: RouteTable; api: OpenApiRegistry; config: Config; pdf: () => PdfRenderer }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const api = new Routes(deps.table, 'api', '/api/v1');
  const limit = perAddressLimit({ limit: Math.max(30, deps.config.auth.loginRateLimit), windowMinutes: 15 });
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 20 * 1024 * 1024, files: 1 } });

  const sendPdf = (res: Response, data: Buffer, name: string, hash?: string) => {
    res.set('Content-Type', 'application/pdf');
    res.set('Content-Disposition', `inline; filename="${name}"`);
    if (hash) res.set('ETag', `"${hash}"`);
    res.set('Cache-Control', 'private, no-cache');
    res.send(data);
  };

  const minutesPdf = async (req: Request, res: Response) => {
    const m = await getMeeting(actorOf(req), String(req.params.meetingId));
    if (m.status === 'issued') {
      const stored = await storeIssuedPdf(deps.pdf(), m, deps.config.publicUrl);
      return sendPdf(res, stored.data, `minutes-${String(m._id)}.pdf`, stored.sha256);
    }
    sendPdf(res, await renderDraftPdf(deps.pdf(), m), `minutes-${String(m._id)}-draft.pdf`);
  };
  api.get('/meetings/:meetingId/minutes.pdf', 'meeting.read', minutesPdf);
  pages.get('/meetings/:meetingId/minutes.pdf', 'meeting.read', minutesPdf);

  async function verified(code: string): Promise<{ m: MeetingDoc; hash: string | null; office: string }> {
    const id = await meetingForCode(code);
    const m = id ? ((await Meeting.findById(id).lean()) as unknown as MeetingDoc | null) : null;
    if (!m || m.status !== 'issued') throw new NotFoundError({ bn: 'এই যাচাই কোডের কোনো জারিকৃত দলিল পাওয়া যায়নি।', en: 'No issued document has this verification code.' });
    // The stored PDF is the truth (one _id read): the copy of its hash on the meeting is written afterwards
    // and is missing if that write never happened.
    const stored = await MeetingPdf.findById(String(m._id), { sha256: 1 }).lean();
    return { m, hash: stored?.sha256 ?? m.pdf?.sha256 ?? null, office: (await officeTree()).get(String(m.office))?.nameBn ?? '' };
  }
  const facts = (v: Awaited<ReturnType<typeof verified>>) => ({
    memoNumber: v.m.memoNumber,
    date: v.m.issuedAt ? dhakaDateOf(v.m.issuedAt) : null,
    dateText: v.m.issuedAt ? formatDualDate(dhakaDateOf(v.m.issuedAt)) : null,
    office: v.office,
    subject: v.m.subject,
    signer: v.m.signedBy ? { name: v.m.signedBy.name, designation: v.m.signedBy.designation } : null,
    signedAt: v.m.signedAt,
    contentHash: v.m.contentHash,
    pdfSha256: v.hash,
    corrected: !!v.m.correctedBy,
  });

  pages.get('/verify/:code', 'public', limit, async (req, res) => {
    const v = await verified(String(req.params.code));
    res.render('meetings/verify', { title: 'যাচাই', code: req.params.code, f: facts(v) });
  });
  pages.post('/verify/:code', 'public', limit, upload.single('pdf'), async (req, res) => {
    const v = await verified(String(req.params.code));
    const file = (req as Request & { file?: { buffer: Buffer } }).file;
    const result = file ? (sha256(file.buffer) === v.hash ? 'match' : 'mismatch') : 'missing';
    res.status(result === 'missing' ? 400 : 200).render('meetings/verify', { title: 'যাচাই', code: req.params.code, f: facts(v), result, match: result === 'match', mismatch: result === 'mismatch', missing: result === 'missing' });
  });
  api.get('/verify/:code', 'public', limit, async (req, res) => {
    res.json(facts(await verified(String(req.params.code))));
  });
  api.post('/verify/:code', 'public', limit, upload.single('pdf'), async (req, res) => {
    const v = await verified(String(req.params.code));
    const file = (req as Request & { file?: { buffer: Buffer } }).file;
    if (!file) return res.status(400).json({ error: { code: 'validation', message: 'PDF ফাইলটি দিন (ফিল্ড pdf)।', messages: { bn: 'PDF ফাইলটি দিন (ফিল্ড pdf)।', en: 'Attach the PDF (field pdf).' } } });
    const hash = sha256(file.buffer);
    res.json({ ...facts(v), uploadedSha256: hash, match: hash === v.hash });
  });

  deps.api.add({ method: 'get', path: '/api/v1/meetings/{meetingId}/minutes.pdf', summary: 'The minutes as a PDF: the stored copy once issued (same bytes every time), a watermarked draft before', tags: ['meetings'], auth: true, responses: { 200: { description: 'application/pdf', contentType: 'application/pdf' } } });
  deps.api.add({ method: 'get', path: '/api/v1/verify/{code}', summary: 'Public: what an issued document with this verification code says (memo number, date, office, subject, signer, hashes)', tags: ['verify'], responses: { 200: { description: 'The facts' }, 404: { description: 'No such code' } } });
  deps.api.add({ method: 'post', path: '/api/v1/verify/{code}', summary: 'Public: check an uploaded PDF (multipart field "pdf") against the issued one', tags: ['verify'], responses: { 200: { description: '{ match, uploadedSha256, ... }' } } });
  return { pages, apiRoutes: api };
}
