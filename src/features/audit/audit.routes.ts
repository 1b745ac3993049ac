// The audit log page and API (admins, within their office subtree). Read-only: there is no route that edits it.
import type { Request } from 'express';
import { z } from 'zod';
import { dhakaPartsOf, toBanglaDigits } from '../../lib/index.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { bnDate, optionalText, parseOrThrow } from '../../platform/http/validation.js';
import { scopeOffices, Routes, actorOf, type RouteTable } from '../access/index.js';
import type { OfficeTree } from '../../kernel/office-tree.js';
import type { AuditDoc } from './audit.model.js';
import { findAudit } from './audit.service.js';

const PAGE_SIZE = 50;

const auditQuery = z.object({
  user: optionalText(100),
  record: optionalText(100),
  action: optionalText(100),
  from: bnDate().optional(),
  to: bnDate().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

async function query(req: Request, officeTree: () => Promise<OfficeTree>) {
  const q = parseOrThrow(auditQuery, req.query);
  const actor = actorOf(req);
  const tree = await officeTree();
  // An admin of the root office sees everything, others the entries about offices in their subtree.
  const roots = tree.all().filter((o) => !o.parent).map((o) => o.id);
  const offices = scopeOffices(actor, 'audit.read', tree);
  const seesAll = roots.every((r) => offices.has(r));
  const result = await findAudit({
    user: q.user,
    entityId: q.record,
    action: q.action,
    from: q.from,
    to: q.to,
    offices: seesAll ? undefined : offices,
    page: q.page,
    pageSize: PAGE_SIZE,
  });
  return { q, ...result };
}

function view(e: AuditDoc) {
  return {
    id: String(e._id),
    at: e.at.toISOString(),
    day: e.day,
    actor: { id: e.actor?.id ? String(e.actor.id) : null, username: e.actor?.username ?? null, name: e.actor?.name ?? null },
    action: e.action,
    entity: e.entity ? { type: e.entity.type, id: e.entity.id, label: e.entity.label, office: e.entity.office ? String(e.entity.office) : null } : null,
    changes: (e.changes ?? []).map((c) => ({ field: c.field, before: c.before, after: c.after })),
    note: e.note ?? null,
    ip: e.ip ?? null,
    requestId: e.requestId ?? null,
  };
}

/** `officeTree`: the offices feature's tree (the audit log sits below offices, which write to it). */
export function auditRoutes(deps: { table: RouteTable; api: OpenApiRegistry; officeTree: () => Promise<OfficeTree> }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const apiRoutes = new Routes(deps.table, 'api', '/api/v1');

  pages.get('/admin/audit', 'audit.read', async (req, res) => {
    const { q, items, total } = await query(req, deps.officeTree);
    const pagesCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const link = (page: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])), page: String(page) })}`;
    res.render('audit/index', {
      title: res.locals.t('audit.title'),
      q,
      total,
      page: q.page,
      pagesCount,
      prev: q.page > 1 ? link(q.page - 1) : undefined,
      next: q.page < pagesCount ? link(q.page + 1) : undefined,
      entries: items.map((e) => {
        const v = view(e);
        const p = dhakaPartsOf(e.at);
        const pad = (n: number) => String(n).padStart(2, '0');
        return {
          ...v,
          when: `${p.date} ${pad(p.hour)}:${pad(p.minute)}`,
          whenBn: toBanglaDigits(`${p.date} ${pad(p.hour)}:${pad(p.minute)}`),
          changes: v.changes.map((c) => ({ field: c.field, before: show(c.before), after: show(c.after) })),
        };
      }),
    });
  });

  apiRoutes.get('/audit', 'audit.read', async (req, res) => {
    const { q, items, total } = await query(req, deps.officeTree);
    res.json({ items: items.map(view), total, page: q.page, pageSize: PAGE_SIZE });
  });

  deps.api.add({
    method: 'get',
    path: '/api/v1/audit',
    summary: 'Audit log entries (admins, within their office subtree), newest first',
    tags: ['audit'],
    auth: true,
    query: auditQuery,
    responses: { 200: { description: '{ items, total, page, pageSize }' } },
  });
  return { pages, apiRoutes };
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
