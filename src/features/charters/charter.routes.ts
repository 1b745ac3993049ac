// Citizen charter pages and API. The charter text comes as published (text/plain) or from a form.
import express from 'express';
import { z } from 'zod';
import type { Request, Response } from 'express';
import { AppError, NotFoundError, ValidationError } from '../../kernel/errors.js';
import { flash, messageWithFields } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { contextOf, assertCan, decide, Routes, actorOf, type RouteTable } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import { bilingual, parseOrThrow } from '../../platform/http/validation.js';
import { addService, charterHistory, describeChange, editService, getCharter, getService, importCharter, removeService, type ServiceChange, type ServiceInput } from './charter.service.js';

const MAX_TEXT = '2mb';
const SECTIONS = ['citizen', 'institutional', 'internal'] as const;
const truthy = (v: unknown) => v === '1' || v === 'true' || v === 'on';

/** The version of the charter the change was made from (a stale one is refused with 409). */
const versionField = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? Number(v.trim()) : v),
  z.number({ error: bilingual('যে সংস্করণ দেখে পরিবর্তন করছেন তা দিন (version)।', 'Give the version of the charter you are changing (version).') }).int().min(0),
);
const column = (max: number) => z.string().max(max).optional();
const serviceBody = z.object({
  version: versionField,
  section: z.enum(SECTIONS).optional(),
  serial: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().max(20).optional()),
  name: column(1000),
  method: column(5000),
  documents: column(5000),
  fee: column(1000),
  timeLimit: column(1000),
  officer: column(5000),
});
const removeBody = z.object({ version: versionField });

export function charterRoutes(deps: { table: RouteTable; api: OpenApiRegistry }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const apiRoutes = new Routes(deps.table, 'api', '/api/v1');
  const text = express.text({ type: ['text/plain', 'text/csv', 'text/tab-separated-values'], limit: MAX_TEXT });

  apiRoutes.post('/offices/:officeId/charter', 'charter.manage', text, async (req, res) => {
    const body = typeof req.body === 'string' ? req.body : typeof (req.body as { text?: unknown })?.text === 'string' ? (req.body as { text: string }).text : '';
    const dryRun = truthy(req.query.dryRun);
    const out = await importCharter({ ...contextOf(req), actor: actorOf(req) }, String(req.params.officeId), body, {
      dryRun,
      acceptErrors: truthy(req.query.acceptErrors),
    });
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    const payload = { services: out.services, errors: out.errors.map((e) => ({ row: e.row, message: lang === 'en' ? e.messageEn : e.message, messages: { bn: e.message, en: e.messageEn } })), saved: out.saved, version: out.version ?? null };
    // Nothing readable, or rows that could not be read without leave to skip them: nothing saved, 400, same body.
    res.status(out.saved ? 201 : dryRun && out.services.length > 0 ? 200 : 400).json(payload);
  });

  apiRoutes.get('/offices/:officeId/charter', 'charter.read', async (req, res) => {
    const officeId = String(req.params.officeId);
    // An office in scope without a charter yet answers with an empty one (404 means out of scope).
    const charter = await getCharter(actorOf(req), officeId);
    res.json(charter ?? { office: officeId, version: 0, importedAt: null, importedBy: null, vision: null, mission: null, services: [] });
  });

  apiRoutes.get('/offices/:officeId/charter/history', 'charter.read', async (req, res) => {
    res.json({ items: await charterHistory(actorOf(req), String(req.params.officeId)) });
  });

  const ctxOf = (req: Request) => ({ ...contextOf(req), actor: actorOf(req) });
  /** The office must exist and be the caller's to manage (404 otherwise) before the body is even read. */
  const mayManage = async (req: Request) => {
    const tree = await officeTree();
    const officeId = String(req.params.officeId);
    if (!/^[0-9a-f]{24}$/i.test(officeId) || !tree.get(officeId)) throw new NotFoundError();
    assertCan(actorOf(req), 'charter.manage', tree, { office: officeId });
  };
  const inputOf = (b: z.output<typeof serviceBody>): ServiceInput => {
    const { version: _v, ...rest } = b;
    void _v;
    return rest;
  };
  apiRoutes.post('/offices/:officeId/charter/services', 'charter.manage', async (req, res) => {
    await mayManage(req);
    const body = parseOrThrow(serviceBody, req.body ?? {});
    res.status(201).json(await addService(ctxOf(req), String(req.params.officeId), body.version, inputOf(body)));
  });
  apiRoutes.patch('/offices/:officeId/charter/services/:serviceKey', 'charter.manage', async (req, res) => {
    await mayManage(req);
    const body = parseOrThrow(serviceBody, req.body ?? {});
    res.json(await editService(ctxOf(req), String(req.params.officeId), String(req.params.serviceKey), body.version, inputOf(body)));
  });
  apiRoutes.delete('/offices/:officeId/charter/services/:serviceKey', 'charter.manage', async (req, res) => {
    await mayManage(req);
    const { version } = parseOrThrow(removeBody, { version: (req.body as { version?: unknown } | undefined)?.version ?? req.query.version });
    res.json(await removeService(ctxOf(req), String(req.params.officeId), String(req.params.serviceKey), version));
  });

  pages.get('/offices/:officeId/charter', 'charter.read', async (req, res) => {
    const officeId = String(req.params.officeId);
    const charter = await getCharter(actorOf(req), officeId);
    const office = (await officeTree()).get(officeId)!;
    const canManage = decide(actorOf(req), 'charter.manage', await officeTree(), { office: officeId }) === 'allow';
    res.render('charters/show', {
      title: res.locals.t('charters.title'),
      office,
      charter,
      history: await charterHistory(actorOf(req), officeId),
      canManage,
      sections: charter ? SECTIONS.map((s) => ({ key: s, services: charter.services.filter((x) => x.section === s) })).filter((s) => s.services.length) : [],
    });
  });

  pages.get('/offices/:officeId/charter/import', 'charter.manage', async (req, res) => {
    const officeId = String(req.params.officeId);
    const tree = await officeTree();
    const office = tree.get(officeId);
    if (!office) throw new NotFoundError();
    // The same scope check as saving: a form for an office the user cannot change is not shown.
    assertCan(actorOf(req), 'charter.manage', tree, { office: officeId });
    res.render('charters/import', { title: res.locals.t('charters.import'), office });
  });

  pages.post('/offices/:officeId/charter/import', 'charter.manage', async (req, res) => {
    const officeId = String(req.params.officeId);
    const form = z.object({ text: z.string().default(''), intent: z.enum(['preview', 'save']).default('preview'), acceptErrors: z.string().optional() }).parse(req.body ?? {});
    const office = (await officeTree()).get(officeId);
    if (!office) throw new NotFoundError();
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    const out = await importCharter({ ...contextOf(req), actor: actorOf(req) }, officeId, form.text, {
      dryRun: form.intent === 'preview',
      acceptErrors: truthy(form.acceptErrors),
    });
    if (out.saved) {
      flash(req, 'success', { bn: 'সিটিজেন চার্টার সংরক্ষণ করা হয়েছে।', en: 'The citizen charter was saved.' });
      return res.redirect(`/offices/${officeId}/charter`);
    }
    res.status(form.intent === 'save' || out.services.length === 0 ? 400 : 200).render('charters/import', {
      title: res.locals.t('charters.import'),
      office,
      text: form.text,
      preview: out.services,
      errors: out.errors.map((e) => ({ row: e.row, message: lang === 'en' ? e.messageEn : e.message })),
    });
  });

  // One service through the pages: add, edit, remove. The form carries the version it was read at.
  type Values = Record<string, unknown>;
  const renderServiceForm = async (req: Request, res: Response, officeId: string, values: Values, options: { key?: string; errors?: Record<string, string>; status?: number; conflict?: { message: string; changes: { text: string }[]; current?: Values } } = {}) => {
    const tree = await officeTree();
    const office = tree.get(officeId);
    if (!office) throw new NotFoundError();
    assertCan(actorOf(req), 'charter.manage', tree, { office: officeId });
    res.status(options.status ?? 200).render('charters/service-form', {
      title: res.locals.t(options.key ? 'charters.editService' : 'charters.addService'),
      office,
      key: options.key,
      action: options.key ? `/offices/${officeId}/charter/services/${options.key}/edit` : `/offices/${officeId}/charter/services/new`,
      values,
      errors: options.errors ?? {},
      hasErrors: Object.keys(options.errors ?? {}).length > 0,
      conflict: options.conflict,
      sections: SECTIONS.map((k) => ({ key: k, selected: values.section === k })),
    });
  };
  const formErrors = (err: ValidationError, lang: 'bn' | 'en') => Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]));
  const changeLines = (changes: ServiceChange[] | undefined, lang: 'bn' | 'en') => (changes ?? []).map((c) => ({ text: describeChange(c, lang) }));
  const formBody = (b: Values) => ({ version: b.version, section: b.section, serial: b.serial, name: b.name ?? '', method: b.method ?? '', documents: b.documents ?? '', fee: b.fee ?? '', timeLimit: b.timeLimit ?? '', officer: b.officer ?? '' });

  pages.get('/offices/:officeId/charter/services/new', 'charter.manage', async (req, res) => {
    const officeId = String(req.params.officeId);
    const charter = await getCharter(actorOf(req), officeId);
    const section = SECTIONS.includes(req.query.section as (typeof SECTIONS)[number]) ? String(req.query.section) : 'citizen';
    await renderServiceForm(req, res, officeId, { version: charter?.version ?? 0, section });
  });
  pages.post('/offices/:officeId/charter/services/new', 'charter.manage', async (req, res) => {
    await mayManage(req);
    const officeId = String(req.params.officeId);
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    const b = formBody((req.body ?? {}) as Values);
    try {
      const body = parseOrThrow(serviceBody, { ...b, serial: b.serial === '' ? undefined : b.serial });
      const out = await addService(ctxOf(req), officeId, body.version, inputOf(body));
      flash(req, 'success', { bn: `"${out.service.name}" সেবাটি যুক্ত হয়েছে (সংস্করণ ${out.version.toLocaleString('bn-BD')})।`, en: `"${out.service.name}" was added (version ${out.version}).` });
      return res.redirect(303, `/offices/${officeId}/charter`);
    } catch (err) {
      if (err instanceof ValidationError) return renderServiceForm(req, res, officeId, b, { errors: formErrors(err, lang), status: 400 });
      if (err instanceof AppError && err.status === 409) {
        const current = await getCharter(actorOf(req), officeId);
        return renderServiceForm(req, res, officeId, { ...b, version: current?.version ?? 0 }, { status: 409, conflict: { message: err.messages[lang], changes: changeLines(err.details?.changes as ServiceChange[] | undefined, lang) } });
      }
      throw err;
    }
  });
  pages.get('/offices/:officeId/charter/services/:serviceKey/edit', 'charter.manage', async (req, res) => {
    const officeId = String(req.params.officeId);
    const key = String(req.params.serviceKey);
    const { version, service } = await getService(actorOf(req), officeId, key);
    await renderServiceForm(req, res, officeId, { ...service, version }, { key });
  });
  pages.post('/offices/:officeId/charter/services/:serviceKey/edit', 'charter.manage', async (req, res) => {
    await mayManage(req);
    const officeId = String(req.params.officeId);
    const key = String(req.params.serviceKey);
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    const b = formBody((req.body ?? {}) as Values);
    try {
      const body = parseOrThrow(serviceBody, b);
      const out = await editService(ctxOf(req), officeId, key, body.version, inputOf(body));
      flash(req, 'success', out.changed ? { bn: `"${out.service.name}" সেবার পরিবর্তন সংরক্ষিত হয়েছে (সংস্করণ ${out.version.toLocaleString('bn-BD')}; আগের সংস্করণ ইতিহাসে আছে)।`, en: `Changes to "${out.service.name}" were saved (version ${out.version}; the previous version is in the history).` } : { bn: 'কোনো পরিবর্তন ছিল না; কিছু সংরক্ষণ করা হয়নি।', en: 'Nothing was changed; nothing was saved.' });
      return res.redirect(303, `/offices/${officeId}/charter`);
    } catch (err) {
      if (err instanceof ValidationError) return renderServiceForm(req, res, officeId, b, { key, errors: formErrors(err, lang), status: 400 });
      if (err instanceof AppError && err.status === 409) {
        // Keep what this person typed, show what changed and the service as it is now; the form now carries the
        // current version, so saving again is a decision taken knowingly, never a silent overwrite.
        const current = await getCharter(actorOf(req), officeId);
        const now = current?.services.find((s) => s.key === key);
        return renderServiceForm(req, res, officeId, { ...b, version: current?.version ?? 0 }, { key, status: 409, conflict: { message: err.messages[lang], changes: changeLines(err.details?.changes as ServiceChange[] | undefined, lang), ...(now ? { current: now as unknown as Values } : {}) } });
      }
      throw err;
    }
  });
  pages.post('/offices/:officeId/charter/services/:serviceKey/remove', 'charter.manage', async (req, res) => {
    await mayManage(req);
    const officeId = String(req.params.officeId);
    try {
      const { version } = parseOrThrow(removeBody, { version: (req.body as Values | undefined)?.version });
      const out = await removeService(ctxOf(req), officeId, String(req.params.serviceKey), version);
      flash(req, 'success', { bn: `"${out.removed.name}" সেবাটি বাদ দেওয়া হয়েছে (সংস্করণ ${out.version.toLocaleString('bn-BD')}; আগের সংস্করণ ইতিহাসে আছে)।`, en: `"${out.removed.name}" was removed (version ${out.version}; the previous version is in the history).` });
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      flash(req, 'error', messageWithFields(err));
    }
    res.redirect(303, `/offices/${officeId}/charter`);
  });

  const service = z.object({
    serial: z.string(),
    name: z.string(),
    method: z.string(),
    documents: z.string(),
    fee: z.string(),
    timeLimit: z.string(),
    timeLimitDays: z.number().nullable(),
    officer: z.string(),
    section: z.enum(SECTIONS),
  });
  deps.api.add({
    method: 'post',
    path: '/api/v1/offices/{officeId}/charter',
    summary: 'Import a citizen charter as published (text/plain). ?dryRun=1 previews; ?acceptErrors=1 saves the readable rows when some cannot be read',
    tags: ['charters'],
    auth: true,
    body: z.string(),
    bodyContentType: 'text/plain',
    responses: {
      200: { description: 'Preview (dryRun): nothing saved', schema: z.object({ services: z.array(service), errors: z.array(z.object({ row: z.number(), message: z.string() })) }) },
      201: { description: 'Saved; the previous version moved to the history' },
      400: { description: 'Nothing could be read, or rows could not be read (nothing saved); same body' },
    },
  });
  deps.api.add({ method: 'get', path: '/api/v1/offices/{officeId}/charter', summary: "An office's current citizen charter", tags: ['charters'], auth: true, responses: { 200: { description: 'The charter (version 0 and no services when none has been imported)', schema: z.object({ version: z.number(), services: z.array(service) }) }, 404: { description: 'Office outside your scope' } } });
  const serviceOut = z.object({ version: z.number(), service: service.extend({ key: z.string() }) });
  const conflict = z.object({ error: z.object({ code: z.literal('conflict'), message: z.string(), details: z.object({ version: z.number(), currentVersion: z.number(), changes: z.array(z.object({ key: z.string(), name: z.string(), change: z.enum(['added', 'removed', 'edited']), fields: z.array(z.string()) })) }) }) });
  deps.api.add({ method: 'post', path: '/api/v1/offices/{officeId}/charter/services', summary: 'Add one service to the charter: { version (the one you read; 0 when there is none), section, name, serial? (default: next in the section), method?, documents?, fee?, timeLimit?, officer? }. Makes a new version; the previous one stays in the history', tags: ['charters'], auth: true, body: serviceBody, responses: { 201: { description: '{ version, service }', schema: serviceOut }, 400: { description: 'Invalid input, or the serial is taken in that section (nothing saved)' }, 409: { description: 'The charter changed since that version: details.changes says what changed (nothing saved)', schema: conflict } } });
  deps.api.add({ method: 'patch', path: '/api/v1/offices/{officeId}/charter/services/{serviceKey}', summary: 'Edit one service ({serviceKey} = "<section>-<serial>", e.g. citizen-1, as in GET …/charter): { version, name?, method?, documents?, fee?, timeLimit? (timeLimitDays recomputed), officer?, section?, serial? }. Makes a new version; the previous one stays in the history', tags: ['charters'], auth: true, body: serviceBody, responses: { 200: { description: '{ version, service, changed } (changed false and the same version when nothing differed)' }, 404: { description: 'No such service' }, 409: { description: 'The charter changed since that version: details.changes says what changed (nothing saved)', schema: conflict } } });
  deps.api.add({ method: 'delete', path: '/api/v1/offices/{officeId}/charter/services/{serviceKey}', summary: 'Remove one service (?version= or { version }): a new version without it; the previous one stays in the history', tags: ['charters'], auth: true, responses: { 200: { description: '{ version, removed }' }, 409: { description: 'The charter changed since that version (nothing saved)', schema: conflict } } });
  deps.api.add({ method: 'get', path: '/api/v1/offices/{officeId}/charter/history', summary: 'Earlier versions of the charter', tags: ['charters'], auth: true, responses: { 200: { description: 'Versions, newest first' } } });
  return { pages, apiRoutes };
}
