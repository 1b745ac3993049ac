// Memo-number registers: API and the register page.
import { Types } from 'mongoose';
import { z } from 'zod';
import { formatDualDate, dhakaDateOf } from '../../lib/index.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { flash, messageWithFields } from '../../platform/http/flash.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import { AppError } from '../../kernel/errors.js';
import { contextOf, decide, Routes, actorOf, type RouteTable } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import { MEMO_LAYOUTS } from '../../lib/memo-number.js';
import { claimSchema, createRegisterSchema, numbersQuerySchema, parseQuerySchema, registerListQuerySchema } from './memo.schemas.js';
import { claimForLetter, createRegister, getRegister, listRegisters, numberView, parseNumber, registerNumbers, registerView } from './memo.service.js';

export function memoRoutes(deps: { table: RouteTable; api: OpenApiRegistry }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const api = new Routes(deps.table, 'api', '/api/v1');
  const ctxOf = (req: Parameters<typeof contextOf>[0]) => ({ ...contextOf(req), actor: actorOf(req) });

  api.get('/memo-numbers/parse', 'signed-in', (req, res) => {
    const { text } = parseOrThrow(parseQuerySchema, req.query);
    res.json(parseNumber(text));
  });
  api.get('/memo-registers', 'memo.read', async (req, res) => {
    const q = parseOrThrow(registerListQuerySchema, req.query);
    const tree = await officeTree();
    const items = await listRegisters(actorOf(req), q.office);
    res.json({ items: items.map((r) => registerView(r, tree.get(String(r.office))?.nameBn)), layouts: MEMO_LAYOUTS });
  });
  api.post('/memo-registers', 'memo.manage', async (req, res) => {
    const r = await createRegister(ctxOf(req), parseOrThrow(createRegisterSchema, req.body ?? {}));
    res.status(201).json(registerView(r, (await officeTree()).get(String(r.office))?.nameBn));
  });
  api.get('/memo-registers/:registerId', 'memo.read', async (req, res) => {
    const r = await getRegister(actorOf(req), String(req.params.registerId));
    const { lastSerial } = await registerNumbers(actorOf(req), String(r._id), 1, 1);
    res.json(registerView(r, (await officeTree()).get(String(r.office))?.nameBn, lastSerial));
  });
  api.get('/memo-registers/:registerId/numbers', 'memo.read', async (req, res) => {
    const q = parseOrThrow(numbersQuerySchema, req.query);
    const out = await registerNumbers(actorOf(req), String(req.params.registerId), q.page, q.pageSize);
    res.json({ items: out.items.map(numberView), total: out.total, lastSerial: out.lastSerial, page: q.page, pageSize: q.pageSize });
  });
  api.post('/memo-registers/:registerId/numbers', 'memo.claim', async (req, res) => {
    await getRegister(actorOf(req), String(req.params.registerId)); // 404 outside scope, before reading the body
    const out = await claimForLetter(ctxOf(req), String(req.params.registerId), parseOrThrow(claimSchema, req.body ?? {}));
    res.status(out.existing ? 200 : 201).json({ memoNumber: out.number, serial: out.serial, issuedAt: out.issuedAt, existing: out.existing, register: String(out.register._id) });
  });

  // Pages: the registers of the offices in scope, and one register with every number it issued.
  pages.get('/memo-registers', 'memo.read', async (req, res) => {
    const tree = await officeTree();
    const items = await listRegisters(actorOf(req), undefined);
    res.render('memo-numbers/index', {
      title: res.locals.t('memo.title'),
      items: items.map((r) => registerView(r, tree.get(String(r.office))?.nameBn)),
      canCreate: decide(actorOf(req), 'memo.manage', tree) === 'allow',
      offices: tree.all().filter((o) => decide(actorOf(req), 'memo.manage', tree, { office: o.id }) === 'allow'),
      layouts: Object.entries(MEMO_LAYOUTS).map(([name, segs]) => ({ name, segments: segs })),
    });
  });
  pages.post('/memo-registers', 'memo.manage', async (req, res) => {
    const body = req.body as Record<string, string>;
    const layout = body.layout === '2024' ? '2024' : '2014';
    const segments: Record<string, string> = {};
    for (const s of MEMO_LAYOUTS[layout]) segments[s.key] = body[`seg_${s.key}`] ?? '0';
    try {
      const r = await createRegister(ctxOf(req), parseOrThrow(createRegisterSchema, { office: body.office || undefined, name: body.name, layout, segments, separator: body.separator === '.' ? '.' : '-', startSerial: body.startSerial || 1, file: body.file, isDefault: body.isDefault === 'on' }));
      flash(req, 'success', { bn: 'স্মারক নম্বর বহি তৈরি হয়েছে।', en: 'Register created.' });
      res.redirect(`/memo-registers/${String(r._id)}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      flash(req, 'error', messageWithFields(err));
      res.redirect('/memo-registers');
    }
  });
  pages.get('/memo-registers/:registerId', 'memo.read', async (req, res) => {
    const q = parseOrThrow(numbersQuerySchema, req.query);
    const r = await getRegister(actorOf(req), String(req.params.registerId));
    const out = await registerNumbers(actorOf(req), String(r._id), q.page, q.pageSize);
    const tree = await officeTree();
    res.render('memo-numbers/show', {
      title: r.name,
      register: registerView(r, tree.get(String(r.office))?.nameBn, out.lastSerial),
      numbers: out.items.map((n) => ({ ...numberView(n), date: formatDualDate(dhakaDateOf(n.issuedAt)), link: n.document?.kind === 'minutes' || n.document?.kind === 'notice' || n.document?.kind === 'corrigendum' ? `/meetings/${n.document.id}` : null })),
      total: out.total,
      canClaim: decide(actorOf(req), 'memo.claim', tree, { office: String(r.office) }) === 'allow',
      // The form's idempotency key: a double click or a resent form gets the number it already took.
      claimKey: `form:${new Types.ObjectId().toHexString()}`,
    });
  });
  pages.post('/memo-registers/:registerId/numbers', 'memo.claim', async (req, res) => {
    await getRegister(actorOf(req), String(req.params.registerId));
    try {
      const out = await claimForLetter(ctxOf(req), String(req.params.registerId), parseOrThrow(claimSchema, { subject: (req.body as { subject?: string }).subject ?? '', key: (req.body as { key?: string }).key || undefined }));
      flash(req, 'success', { bn: `নম্বর নেওয়া হয়েছে: ${out.number}`, en: `Number taken: ${out.number}` });
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      flash(req, 'error', messageWithFields(err));
    }
    res.redirect(`/memo-registers/${String(req.params.registerId)}`);
  });

  const err = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
  deps.api.add({ method: 'get', path: '/api/v1/memo-numbers/parse', summary: 'Read an existing memo number leniently (either separator, odd widths, Bangla or Latin digits, with or without "স্মারক নং-")', tags: ['memo-numbers'], auth: true, query: parseQuerySchema, responses: { 200: { description: '{ layout: 2014 | 2024 | other, segments (as written), serial, separator, normalized }' }, 400: { description: 'Not a memo number', schema: err } } });
  deps.api.add({ method: 'get', path: '/api/v1/memo-registers', summary: 'Registers of the offices in your scope', tags: ['memo-numbers'], auth: true, query: registerListQuerySchema, responses: { 200: { description: '{ items, layouts }' } } });
  deps.api.add({ method: 'post', path: '/api/v1/memo-registers', summary: 'Create a register (layout 2014 | 2024 | custom, segment values, separator, start serial, default for the office)', tags: ['memo-numbers'], auth: true, body: createRegisterSchema, responses: { 201: { description: 'The register with an example number' }, 400: { description: 'Invalid segments', schema: err } } });
  deps.api.add({ method: 'get', path: '/api/v1/memo-registers/{registerId}', summary: 'One register with its last serial and next number', tags: ['memo-numbers'], auth: true, responses: { 200: { description: 'The register' } } });
  deps.api.add({ method: 'get', path: '/api/v1/memo-registers/{registerId}/numbers', summary: 'Every number issued, newest first, with its document', tags: ['memo-numbers'], auth: true, query: numbersQuerySchema, responses: { 200: { description: '{ items, total, lastSerial }' } } });
  deps.api.add({ method: 'post', path: '/api/v1/memo-registers/{registerId}/numbers', summary: 'Take the next number for a letter written outside the system (key: idempotency key)', tags: ['memo-numbers'], auth: true, body: claimSchema, responses: { 201: { description: '{ memoNumber, serial, issuedAt }' }, 200: { description: 'The number this key already holds' } } });
  return { pages, apiRoutes: api };
}
