// Citizen charter pages and API. The charter text comes as published (text/plain) or from a form.
import express from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.js';
import { flash } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { contextOf } from '../access/context.js';
import { assertCan } from '../access/policy.js';
import { Routes, actorOf, type RouteTable } from '../access/routes.js';
import { officeTree } from '../offices/office-tree.js';
import { charterHistory, getCharter, importCharter } from './charter.service.js';

const MAX_TEXT = '2mb';
const SECTIONS = ['citizen', 'institutional', 'internal'] as const;
const truthy = (v: unknown) => v === '1' || v === 'true' || v === 'on';

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

  pages.get('/offices/:officeId/charter', 'charter.read', async (req, res) => {
    const officeId = String(req.params.officeId);
    const charter = await getCharter(actorOf(req), officeId);
    const office = (await officeTree()).get(officeId)!;
    res.render('charters/show', {
      title: res.locals.t('charters.title'),
      office,
      charter,
      history: await charterHistory(actorOf(req), officeId),
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
  deps.api.add({ method: 'get', path: '/api/v1/offices/{officeId}/charter/history', summary: 'Earlier versions of the charter', tags: ['charters'], auth: true, responses: { 200: { description: 'Versions, newest first' } } });
  return { pages, apiRoutes };
}
