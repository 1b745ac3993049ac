// Initiative attachments: API and page routes (upload, list, download, remove).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { assertCsrfToken } from '../../platform/auth/csrf.js';
import { AppError, ForbiddenError, ValidationError } from '../../kernel/errors.js';
import { flash, messageWithFields } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { contextOf, Routes, actorOf, type RouteTable } from '../access/index.js';
import { canChangeAttachments, contentDisposition, listAttachments, MAX_ATTACHMENT_BYTES, readAttachmentFile, removeAttachment, tooLarge, uploadAttachment, type UploadedFile } from './attachment.service.js';
import { getInitiative } from './initiative.service.js';

const truthy = (v: unknown) => v === '1' || v === 'true' || v === 'on';

export function attachmentRoutes(deps: { table: RouteTable; api: OpenApiRegistry }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const api = new Routes(deps.table, 'api', '/api/v1');
  const ctxOf = (req: Request) => ({ ...contextOf(req), actor: actorOf(req) });
  const initiativeIdOf = (req: Request) => String(req.params.initiativeId);

  // One file in memory (at most 10 MB), field "file"; names as UTF-8 (Bangla file names).
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 10, parts: 12 }, defParamCharset: 'utf8' }).single('file');

  /** Before reading a large body: the initiative must be visible (404) and changeable by the caller (403). */
  const mayChange: RequestHandler = async (req, _res, next) => {
    const doc = await getInitiative(actorOf(req), initiativeIdOf(req));
    if (!(await canChangeAttachments(actorOf(req), doc))) throw new ForbiddenError();
    next();
  };

  /** multer, with its refusals as 400s in the app's shape (a file too big, a second file, a stray field). */
  const receive: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return next(tooLarge());
        const m = { bn: 'একবারে একটি ফাইল, "file" ঘরে, পাঠান।', en: 'Send one file, in the "file" field.' };
        return next(new ValidationError({ file: m }, m));
      }
      const m = { bn: 'পাঠানো ফাইলটি পড়া যায়নি; আবার চেষ্টা করুন।', en: 'The upload could not be read; try again.' };
      next(new ValidationError({ file: m }, m));
    });
  };

  /** The same for the page form: a refused upload goes back to the page with the message (nothing was stored). */
  const receiveForm: RequestHandler = (req, res, next) => {
    receive(req, res, (err?: unknown) => {
      if (!err) return next();
      if (!(err instanceof AppError) || err.status !== 400) return next(err);
      flash(req, 'error', messageWithFields(err));
      res.redirect(303, `/initiatives/${initiativeIdOf(req)}#attachments`);
    });
  };

  const fileOf = (req: Request) => (req as Request & { file?: UploadedFile }).file;
  const bodyOf = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  const download: RequestHandler = async (req, res) => {
    const { meta, data, inline } = await readAttachmentFile(actorOf(req), initiativeIdOf(req), String(req.params.attachmentId));
    res.set('Content-Type', meta.contentType);
    res.set('Content-Length', String(data.length));
    res.set('Content-Disposition', contentDisposition(meta.name, inline));
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('ETag', `"${meta.sha256}"`);
    res.set('Cache-Control', 'private, no-cache');
    if (req.fresh) return void res.status(304).end();
    res.end(data);
  };

  // API
  api.post('/initiatives/:initiativeId/attachments', 'initiative.edit', mayChange, receive, async (req, res) => {
    res.status(201).json(await uploadAttachment(ctxOf(req), initiativeIdOf(req), fileOf(req), bodyOf(req).caption));
  });
  api.get('/initiatives/:initiativeId/attachments', 'initiative.read', async (req, res) => {
    res.json({ items: await listAttachments(actorOf(req), initiativeIdOf(req), { includeRemoved: truthy(req.query.includeRemoved) }) });
  });
  api.get('/initiatives/:initiativeId/attachments/:attachmentId', 'initiative.read', download);
  api.delete('/initiatives/:initiativeId/attachments/:attachmentId', 'initiative.edit', async (req, res) => {
    res.json(await removeAttachment(ctxOf(req), initiativeIdOf(req), String(req.params.attachmentId), bodyOf(req).reason ?? req.query.reason));
  });

  // Pages
  pages.post('/initiatives/:initiativeId/attachments', 'initiative.edit', mayChange, receiveForm, async (req, res) => {
    // The global CSRF check skipped this multipart form (its token is in the body, read just now by multer).
    if (req.user?.via !== 'token') assertCsrfToken(req);
    const id = initiativeIdOf(req);
    try {
      const a = await uploadAttachment(ctxOf(req), id, fileOf(req), bodyOf(req).caption);
      flash(req, 'success', { bn: `"${a.name}" সংযুক্ত হয়েছে।`, en: `"${a.name}" was attached.` });
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      flash(req, 'error', messageWithFields(err));
    }
    res.redirect(303, `/initiatives/${id}#attachments`);
  });
  pages.get('/initiatives/:initiativeId/attachments/:attachmentId', 'initiative.read', download);
  pages.post('/initiatives/:initiativeId/attachments/:attachmentId/remove', 'initiative.edit', async (req, res) => {
    const id = initiativeIdOf(req);
    const a = await removeAttachment(ctxOf(req), id, String(req.params.attachmentId), bodyOf(req).reason);
    flash(req, 'success', { bn: `"${a.name}" তালিকা থেকে সরানো হয়েছে (ফাইলটি সংরক্ষিত থাকবে)।`, en: `"${a.name}" was removed from the list (the file is kept).` });
    res.redirect(303, `/initiatives/${id}#attachments`);
  });

  const err = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });
  const item = z.object({ id: z.string(), initiative: z.string(), name: z.string(), contentType: z.string(), size: z.number(), sha256: z.string(), caption: z.string().nullable(), uploadedBy: z.object({ id: z.string().nullable(), name: z.string().nullable() }), uploadedAt: z.string(), removed: z.object({ by: z.object({ id: z.string().nullable(), name: z.string().nullable() }), at: z.string() }).nullable(), url: z.string() });
  deps.api.add({ method: 'post', path: '/api/v1/initiatives/{initiativeId}/attachments', summary: 'Attach a file (multipart: field "file", optional "caption"): PDF, PNG, JPEG, WebP, DOCX, XLSX, DOC, XLS, TXT or CSV, at most 10 MB', tags: ['initiatives'], auth: true, body: z.object({ file: z.string().describe('the file (binary)'), caption: z.string().max(300).optional() }), bodyContentType: 'multipart/form-data', responses: { 201: { description: 'The attachment: id, name, size, contentType, sha256, uploadedBy, uploadedAt', schema: item }, 400: { description: 'No file, empty, too large, a kind not accepted, or contents not matching the kind (nothing saved)', schema: err }, 403: { description: 'You may see the initiative but not change it' } } });
  deps.api.add({ method: 'get', path: '/api/v1/initiatives/{initiativeId}/attachments', summary: "An initiative's attachments in upload order (?includeRemoved=1 also lists removed ones, with who removed them and when)", tags: ['initiatives'], auth: true, responses: { 200: { description: '{ items }', schema: z.object({ items: z.array(item) }) } } });
  deps.api.add({ method: 'get', path: '/api/v1/initiatives/{initiativeId}/attachments/{attachmentId}', summary: 'The file itself, with its Content-Type and Content-Disposition (filename* in UTF-8); removed attachments stay readable by id', tags: ['initiatives'], auth: true, responses: { 200: { description: 'The bytes', contentType: 'application/octet-stream' }, 404: { description: 'Not an attachment of this initiative, or outside your scope' } } });
  deps.api.add({ method: 'delete', path: '/api/v1/initiatives/{initiativeId}/attachments/{attachmentId}', summary: 'Remove an attachment from the list (marked removed with who and when; the file is kept)', tags: ['initiatives'], auth: true, responses: { 200: { description: 'The attachment with removed: { by, at }', schema: item } } });
  return { pages, apiRoutes: api };
}
