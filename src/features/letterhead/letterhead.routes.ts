// Office letterhead: the API (JSON, the logo as a data: URL), the page (a multipart form with the logo as a
// file), the logo itself, and a sample PDF printed with the saved letterhead.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { formatDualDate, dhakaDateOf, toBanglaDigits, type Clock } from '../../lib/index.js';
import { assertCsrfToken } from '../../platform/auth/csrf.js';
import { AppError, NotFoundError, ValidationError, type Message } from '../../kernel/errors.js';
import { flash } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import type { PdfRenderer } from '../../platform/pdf/index.js';
import { contextOf, assertCan, decide, Routes, actorOf, type RouteTable } from '../access/index.js';
import { renderMinutesPdf, sampleMinutesDocument } from '../documents/index.js';
import { officeTree } from '../offices/index.js';
import { letterheadBody, letterheadForm, parseLogoDataUrl } from './letterhead.schemas.js';
import { describeChanges, getLetterhead, letterheadFor, MAX_LOGO_BYTES, readLogo, saveLetterhead, type LetterheadChange, type LetterheadInput, type LetterheadView } from './letterhead.service.js';

type UploadedFile = { buffer: Buffer; mimetype: string; originalname: string; size: number };

export function letterheadRoutes(deps: { table: RouteTable; api: OpenApiRegistry; pdf: () => PdfRenderer }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const api = new Routes(deps.table, 'api', '/api/v1');
  const officeIdOf = (req: Request) => String(req.params.officeId);
  const ctxOf = (req: Request) => ({ ...contextOf(req), actor: actorOf(req) });
  const langOf = (res: Response): 'bn' | 'en' => (res.locals.lang === 'en' ? 'en' : 'bn');

  /** Before reading a body: the office must exist and be the caller's to change (404 otherwise). */
  const mayManage: RequestHandler = async (req, _res, next) => {
    const tree = await officeTree();
    const officeId = officeIdOf(req);
    if (!/^[0-9a-f]{24}$/i.test(officeId) || !tree.get(officeId)) throw new NotFoundError();
    assertCan(actorOf(req), 'letterhead.manage', tree, { office: officeId });
    next();
  };

  // ------------------------------------------------------------------------------------------------ API

  api.get('/offices/:officeId/letterhead', 'letterhead.read', async (req, res) => {
    res.json(await getLetterhead(actorOf(req), officeIdOf(req)));
  });

  api.put('/offices/:officeId/letterhead', 'letterhead.manage', mayManage, async (req, res) => {
    const body = parseOrThrow(letterheadBody, req.body ?? {});
    let logo: LetterheadInput['logo'];
    if (body.logo !== undefined) {
      logo = parseLogoDataUrl(body.logo);
      if (!logo) {
        throw new ValidationError({ logo: { bn: 'লোগো PNG বা JPEG ছবি হতে হবে, data:image/png;base64,… (বা data:image/jpeg;base64,…) আকারে।', en: 'The logo must be a PNG or JPEG image as data:image/png;base64,… (or data:image/jpeg;base64,…).' } });
      }
    }
    const out = await saveLetterhead(ctxOf(req), officeIdOf(req), body.version, { government: body.government, officeName: body.officeName, address: body.address, motto: body.motto, contact: body.contact, logo, removeLogo: body.removeLogo });
    res.json({ ...out.letterhead, changed: out.changed, changes: out.changes });
  });

  const sendLogo: RequestHandler = async (req, res) => {
    const logo = await readLogo(actorOf(req), officeIdOf(req));
    res.set('Content-Type', logo.contentType);
    res.set('Content-Length', String(logo.data.length));
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('ETag', `"${logo.sha256}"`);
    res.set('Cache-Control', 'private, no-cache');
    if (req.fresh) return void res.status(304).end();
    res.end(logo.data);
  };
  api.get('/offices/:officeId/letterhead/logo', 'letterhead.read', sendLogo);

  // ---------------------------------------------------------------------------------------------- pages

  type Values = { version: number | string; government: string; officeName: string; address: string; motto: string; contact: string };
  const valuesOf = (v: LetterheadView): Values => ({
    version: v.version,
    government: v.isDefault.government ? '' : v.government,
    officeName: v.isDefault.officeName ? '' : v.officeName,
    address: v.isDefault.address ? '' : v.address.join('\n'),
    motto: v.motto ?? '',
    contact: v.isDefault.contact ? '' : (v.contact ?? ''),
  });

  const renderPage = async (req: Request, res: Response, options: { values?: Values; errors?: Record<string, string>; status?: number; conflict?: { message: string; changes: string } } = {}) => {
    const officeId = officeIdOf(req);
    const lh = await getLetterhead(actorOf(req), officeId);
    const tree = await officeTree();
    const canManage = decide(actorOf(req), 'letterhead.manage', tree, { office: officeId }) === 'allow';
    const lang = langOf(res);
    const errors = options.errors ?? {};
    res.status(options.status ?? 200).render('letterhead/edit', {
      title: res.locals.t('letterhead.title'),
      office: { id: officeId, name: lang === 'en' ? (tree.get(officeId)?.nameEn ?? lh.office.name) : lh.office.name },
      lh,
      addressText: lh.defaults.address.join(' / '),
      logoSrc: lh.logo ? `/offices/${officeId}/letterhead/logo?v=${lh.logo.sha256.slice(0, 12)}` : null,
      logoSize: lh.logo ? (lang === 'en' ? `${Math.ceil(lh.logo.bytes / 1024)} kB` : `${toBanglaDigits(Math.ceil(lh.logo.bytes / 1024))} কিলোবাইট`) : null,
      updatedAt: lh.updatedAt ? (lang === 'en' ? dhakaDateOf(lh.updatedAt) : formatDualDate(dhakaDateOf(lh.updatedAt))) : null,
      versionText: lang === 'en' ? String(lh.version) : toBanglaDigits(lh.version),
      canManage,
      values: options.values ?? valuesOf(lh),
      errors,
      hasErrors: Object.keys(errors).length > 0,
      conflict: options.conflict,
    });
  };

  pages.get('/offices/:officeId/letterhead', 'letterhead.read', async (req, res) => {
    await renderPage(req, res);
  });
  pages.get('/offices/:officeId/letterhead/logo', 'letterhead.read', sendLogo);

  // One file in memory, field "logo"; a larger one is refused by multer before it is all read.
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_LOGO_BYTES, files: 1, fields: 20, parts: 22 } }).single('logo');
  const localFields = (fields: ValidationError['fields'], lang: 'bn' | 'en') => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]));

  /** multer, with its refusals shown on the form (400; nothing is saved). */
  const receiveForm: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (err?: unknown) => {
      if (!err) return next();
      const lang = langOf(res);
      const m: Message =
        err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE'
          ? { bn: 'লোগো সর্বোচ্চ ২০০ কিলোবাইট হতে পারে; এটি আরও বড়।', en: 'The logo may be at most 200 kB; this one is larger.' }
          : { bn: 'পাঠানো ফাইলটি পড়া যায়নি; একটি লোগো ফাইল, "logo" ঘরে, পাঠান।', en: 'The upload could not be read; send one logo file, in the "logo" field.' };
      renderPage(req, res, { errors: { logo: m[lang] }, status: 400 }).catch(next);
    });
  };

  pages.post('/offices/:officeId/letterhead', 'letterhead.manage', mayManage, receiveForm, async (req, res) => {
    // The global CSRF check skipped this multipart form (its token is in the body, read just now by multer).
    if (req.user?.via !== 'token') assertCsrfToken(req);
    const lang = langOf(res);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const typed: Values = {
      version: typeof raw.version === 'string' ? raw.version : '',
      government: String(raw.government ?? ''),
      officeName: String(raw.officeName ?? ''),
      address: String(raw.address ?? ''),
      motto: String(raw.motto ?? ''),
      contact: String(raw.contact ?? ''),
    };
    const file = (req as Request & { file?: UploadedFile }).file;
    try {
      const form = parseOrThrow(letterheadForm, raw);
      const logo = file && file.size > 0 ? { data: file.buffer, declaredType: file.mimetype?.startsWith('image/') ? file.mimetype : undefined } : undefined;
      const out = await saveLetterhead(ctxOf(req), officeIdOf(req), form.version, { government: form.government, officeName: form.officeName, address: form.address, motto: form.motto, contact: form.contact, logo, removeLogo: form.removeLogo });
      flash(req, 'success', out.changed ? { bn: 'দাপ্তরিক প্যাড সংরক্ষিত হয়েছে।', en: 'The letterhead was saved.' } : { bn: 'কোনো পরিবর্তন ছিল না; কিছু সংরক্ষণ করা হয়নি।', en: 'Nothing was changed; nothing was saved.' });
      return res.redirect(303, `/offices/${officeIdOf(req)}/letterhead`);
    } catch (err) {
      if (err instanceof ValidationError) return renderPage(req, res, { values: typed, errors: localFields(err.fields, lang), status: 400 });
      if (err instanceof AppError && err.status === 409) {
        // Keep what was typed and show what changed; the form now carries the current version, so saving again
        // is a decision taken knowingly, never a silent overwrite.
        const current = await getLetterhead(actorOf(req), officeIdOf(req));
        const changes = (err.details?.changes as LetterheadChange[] | undefined) ?? [];
        return renderPage(req, res, { values: { ...typed, version: current.version }, status: 409, conflict: { message: err.messages[lang], changes: describeChanges(changes, lang) } });
      }
      throw err;
    }
  });

  pages.get('/offices/:officeId/letterhead/preview.pdf', 'letterhead.read', async (req, res) => {
    const officeId = officeIdOf(req);
    const lh = await getLetterhead(actorOf(req), officeId); // scope check (404 outside)
    const today = dhakaDateOf((req.app.locals.clock as Clock).now());
    const doc = sampleMinutesDocument({
      letterhead: await letterheadFor(officeId),
      draft: true,
      memoNumber: undefined,
      memoDate: undefined,
      issuer: undefined,
      verification: undefined,
      signer: { name: '(স্বাক্ষরকারীর নাম)', lines: ['(পদবি)', lh.officeName] },
      meta: { title: `নমুনা কার্যবিবরণী — ${lh.officeName}`, subject: `দাপ্তরিক প্যাডের নমুনা (${formatDualDate(today)})`, author: lh.officeName, language: 'bn' },
    });
    const pdf = await renderMinutesPdf(deps.pdf(), doc);
    res.set('Content-Type', 'application/pdf');
    res.set('Content-Disposition', `inline; filename="letterhead-${officeId}-sample.pdf"`);
    res.set('Cache-Control', 'private, no-cache');
    res.send(pdf);
  });

  // ---------------------------------------------------------------------------------------------- OpenAPI

  const err = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });
  const out = z.object({
    office: z.object({ id: z.string(), name: z.string() }),
    version: z.number(),
    government: z.string(),
    officeName: z.string(),
    address: z.array(z.string()),
    motto: z.string().nullable(),
    contact: z.string().nullable(),
    logo: z.object({ contentType: z.string(), bytes: z.number(), sha256: z.string(), url: z.string() }).nullable(),
    isDefault: z.object({ government: z.boolean(), officeName: z.boolean(), address: z.boolean(), contact: z.boolean() }),
    defaults: z.object({ government: z.string(), officeName: z.string(), address: z.array(z.string()), contact: z.string().nullable() }),
    updatedBy: z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable(),
    updatedAt: z.string().nullable(),
  });
  const change = z.object({ field: z.enum(['government', 'officeName', 'address', 'motto', 'contact', 'logo']), before: z.unknown(), after: z.unknown() });
  deps.api.add({ method: 'get', path: '/api/v1/offices/{officeId}/letterhead', summary: "The office's letterhead as printed (defaults filled in from the office record; isDefault says which fields are defaults). version 0: never set", tags: ['letterhead'], auth: true, responses: { 200: { description: 'The effective letterhead', schema: out }, 404: { description: 'No such office, or outside your scope' } } });
  deps.api.add({
    method: 'put',
    path: '/api/v1/offices/{officeId}/letterhead',
    summary: 'Change the letterhead: { version (the one you read), government?, officeName?, address? (lines or text), motto?, contact?, logo? ("data:image/png;base64,…" or JPEG, at most 200 kB), removeLogo? }. An absent field stays as it is; null or "" puts it back to its default. Each change is a new version',
    tags: ['letterhead'],
    auth: true,
    body: letterheadBody,
    responses: {
      200: { description: 'The letterhead as now printed, with changed (false and the same version when nothing differed) and changes [{ field, before, after }]', schema: out.extend({ changed: z.boolean(), changes: z.array(change) }) },
      400: { description: 'Invalid input: text too long, a logo that is not a PNG/JPEG or is larger than 200 kB (nothing saved)', schema: err },
      409: { description: 'The letterhead changed since that version: details.changes says what changed (nothing saved)' },
    },
  });
  deps.api.add({ method: 'get', path: '/api/v1/offices/{officeId}/letterhead/logo', summary: "The letterhead's logo (image/png or image/jpeg)", tags: ['letterhead'], auth: true, responses: { 200: { description: 'The image', contentType: 'image/png' }, 404: { description: 'No logo, or the office is outside your scope' } } });
  return { pages, apiRoutes: api };
}
