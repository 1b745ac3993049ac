// Initiative pages and API.
import type { Request } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { dhakaDateOf, formatNumberBn, toLatinDigits, type Clock } from '../../lib/index.js';
import { AppError, ValidationError } from '../../kernel/errors.js';
import { flash, messageWithFields } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import { contextOf, assertCan, decide, Routes, actorOf, type RouteTable } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import { AREA_STATUSES, KINDS, STAGES, type InitiativeDoc, type Stage } from './initiative.model.js';
import {
  addArea,
  areaRollup,
  canEditDetails,
  canUpdateArea,
  changedFieldLabels,
  createInitiative,
  getInitiative,
  isStuck,
  listInitiatives,
  listTransitions,
  timeInStages,
  updateArea,
  updateInitiative,
} from './initiative.service.js';
import { allowedMoves } from './initiative.stages.js';
import { decideTransition, proposeTransition } from './initiative.transitions.js';
import { areaPatchSchema, areaSchema, createInitiativeSchema, decisionSchema, listQuerySchema, transitionSchema, updateInitiativeSchema } from './initiative.schemas.js';
import type { InitiativeSummary } from './initiative.read-model.js';
import { initiativesText } from './initiatives.i18n.js';
import { activePeopleUnder, peopleByIds, personName, type Person } from './people.js';
import { attachmentView } from './attachment.service.js';
import { attachmentsOf } from './attachment.store.js';

function change(before?: number | null, after?: number | null): { delta: number; percent: number | null } | null {
  if (before === undefined || before === null || after === undefined || after === null) return null;
  return { delta: after - before, percent: before === 0 ? null : Math.round(((after - before) / before) * 1000) / 10 };
}

/** A TCV with no number in it is no TCV. */
function tcvOrNull(t: { days?: number | null; taka?: number | null; visits?: number | null } | null | undefined) {
  if (!t || [t.days, t.taka, t.visits].every((v) => v === undefined || v === null)) return undefined;
  return { days: t.days ?? null, taka: t.taka ?? null, visits: t.visits ?? null };
}

/** The API shape of one initiative. */
export function initiativeView(d: InitiativeDoc, now: Date, stuckMonths: number, officeName?: string) {
  const b = tcvOrNull(d.tcvBaseline);
  const c = tcvOrNull(d.tcvCurrent);
  return {
    id: String(d._id),
    version: d.__v,
    title: d.title,
    titleEn: d.titleEn ?? null,
    kind: d.kind,
    stage: d.stage,
    office: { id: String(d.office), name: officeName ?? null },
    problem: d.problem ?? null,
    solution: d.solution ?? null,
    lead: d.lead ? String(d.lead) : null,
    team: (d.team ?? []).map(String),
    fiscalYear: d.fiscalYear ?? null,
    partners: d.partners ?? [],
    budget: d.budget && [d.budget.needed, d.budget.allocated, d.budget.code].some((v) => v !== undefined && v !== null) ? d.budget : null,
    charterService: d.charterService?.serial ? d.charterService : null,
    tcv: {
      baseline: b ?? null,
      current: c ?? null,
      change: b && c ? { days: change(b.days, c.days), taka: change(b.taka, c.taka), visits: change(b.visits, c.visits) } : null,
    },
    tags: d.tags ?? [],
    stageEnteredAt: d.stageEnteredAt,
    pausedFrom: d.pausedFrom ?? null,
    stuck: isStuck({ stage: d.stage, stageEnteredAt: d.stageEnteredAt.getTime(), lastDecisionAt: d.lastDecisionAt?.getTime() }, now, stuckMonths),
    daysInStage: timeInStages(d.history ?? [], now),
    pilotEvaluation: d.pilotEvaluation?.summary ? d.pilotEvaluation : null,
    institutionalEvidence: d.institutionalEvidence ?? null,
    history: (d.history ?? []).map((h) => ({ from: h.from ?? null, to: h.to, at: h.at, by: h.by?.name ?? null, approvedBy: h.approvedBy?.name ?? null, note: h.note ?? null, approvalNote: h.approvalNote ?? null, reason: h.reason ?? null, evidence: h.evidence ?? [], decision: h.decision ? String(h.decision) : null })),
    areas: (d.areas ?? []).map((a) => ({ id: String(a._id), nameBn: a.nameBn, districtIso: a.districtIso ?? null, upazilaGeo: a.upazilaGeo ?? null, office: a.office ? String(a.office) : null, status: a.status, fieldOfficer: a.fieldOfficer ? String(a.fieldOfficer) : null, plannedAt: a.plannedAt ?? null, orientationAt: a.orientationAt ?? null, startedAt: a.startedAt ?? null, liveAt: a.liveAt ?? null, stoppedAt: a.stoppedAt ?? null, note: a.note ?? null })),
    areaCounts: countAreas(d),
    pendingTransition: d.pendingTransition?.id
      ? { id: String(d.pendingTransition.id), from: d.pendingTransition.from, to: d.pendingTransition.to, note: d.pendingTransition.note ?? null, reason: d.pendingTransition.reason ?? null, evidence: d.pendingTransition.evidence ?? [], proposedBy: d.pendingTransition.proposedBy?.name ?? null, proposedAt: d.pendingTransition.proposedAt }
      : null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

function countAreas(d: InitiativeDoc): Record<string, number> {
  const out: Record<string, number> = { total: 0, planned: 0, orientation_held: 0, running: 0, live: 0, stopped: 0 };
  for (const a of d.areas ?? []) {
    out.total! += 1;
    out[a.status] = (out[a.status] ?? 0) + 1;
  }
  return out;
}

function summaryView(s: InitiativeSummary, now: Date, stuckMonths: number, officeName?: string) {
  return { id: s.id, title: s.title, titleEn: s.titleEn ?? null, kind: s.kind, stage: s.stage, fiscalYear: s.fiscalYear ?? null, office: { id: s.office, name: officeName ?? null }, areas: { total: s.areasTotal, live: s.areasLive }, stuck: isStuck(s, now, stuckMonths), updatedAt: new Date(s.updatedAt) };
}

const clockOf = (req: Request) => req.app.locals.clock as Clock;

/**
 * Numbers as the page's language prints them, both with Indian (lakh/crore) grouping: Bangla digits on Bangla
 * pages (১,২৩,৪৫৬), Latin digits on English ones (1,23,456).
 */
export function numberFormatFor(lang: unknown): (n: number) => string {
  return lang === 'en' ? (n) => toLatinDigits(formatNumberBn(n)) : (n) => formatNumberBn(n);
}

/** A TCV change as "-১২ (-৮০%)": the difference, signed, and the percentage of the baseline when there is one. */
export function tcvChangeText(change: { delta: number; percent: number | null }, fmt: (n: number) => string): string {
  const signed = (n: number) => `${n > 0 ? '+' : ''}${fmt(n)}`;
  return `${signed(change.delta)}${change.percent === null ? '' : ` (${signed(change.percent)}%)`}`;
}

/** A form value that may come as one string, several, or none, as a list of non-empty strings. */
function toList(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(String).filter((x) => x !== '');
}

/** An office's name in the page's language (the Bangla name when there is no English one). */
function officeNameFor(lang: unknown, node: { nameBn: string; nameEn?: string | undefined } | undefined): string | undefined {
  return lang === 'en' ? (node?.nameEn ?? node?.nameBn) : node?.nameBn;
}

export function initiativeRoutes(deps: { table: RouteTable; api: OpenApiRegistry; config: Config }): { pages: Routes; apiRoutes: Routes } {
  const stuckMonths = deps.config.initiatives.stuckPilotMonths;
  const pages = new Routes(deps.table, 'page');
  const api = new Routes(deps.table, 'api', '/api/v1');
  const ctxOf = (req: Request) => ({ ...contextOf(req), actor: actorOf(req) });
  const full = async (req: Request, d: InitiativeDoc) => initiativeView(d, clockOf(req).now(), stuckMonths, (await officeTree()).get(String(d.office))?.nameBn);

  api.post('/initiatives', 'initiative.create', async (req, res) => {
    const doc = await createInitiative(ctxOf(req), parseOrThrow(createInitiativeSchema, req.body));
    res.status(201).json(await full(req, doc));
  });
  api.get('/initiatives', 'initiative.read', async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query);
    const now = clockOf(req).now();
    const result = await listInitiatives(actorOf(req), q, now, stuckMonths);
    const tree = await officeTree();
    res.json({ ...result, items: result.items.map((s) => summaryView(s, now, stuckMonths, tree.get(s.office)?.nameBn)) });
  });
  api.get('/initiatives/:initiativeId', 'initiative.read', async (req, res) => {
    res.json(await full(req, await getInitiative(actorOf(req), String(req.params.initiativeId))));
  });
  api.patch('/initiatives/:initiativeId', 'initiative.edit', async (req, res) => {
    await getInitiative(actorOf(req), String(req.params.initiativeId)); // 404 outside scope, before reading the body
    res.json(await full(req, await updateInitiative(ctxOf(req), String(req.params.initiativeId), parseOrThrow(updateInitiativeSchema, req.body))));
  });
  api.get('/initiatives/:initiativeId/transitions', 'initiative.read', async (req, res) => {
    const items = await listTransitions(actorOf(req), String(req.params.initiativeId));
    res.json({ items: items.map((t) => ({ id: String(t._id), from: t.from, to: t.to, status: t.status, note: t.note ?? null, reason: t.reason ?? null, proposedBy: t.proposedBy?.name ?? null, proposedAt: t.proposedAt, decidedBy: t.decidedBy?.name ?? null, decidedAt: t.decidedAt ?? null, decisionNote: t.decisionNote ?? null })) });
  });
  api.post('/initiatives/:initiativeId/transitions', 'initiative.propose', async (req, res) => {
    await getInitiative(actorOf(req), String(req.params.initiativeId));
    const out = await proposeTransition(ctxOf(req), String(req.params.initiativeId), parseOrThrow(transitionSchema, req.body));
    res.status(201).json(out);
  });
  for (const verdict of ['approve', 'reject'] as const) {
    api.post(`/initiatives/:initiativeId/transitions/:transitionId/${verdict}`, 'initiative.decide', async (req, res) => {
      await getInitiative(actorOf(req), String(req.params.initiativeId));
      const { note } = parseOrThrow(decisionSchema, req.body ?? {});
      res.json(await decideTransition(ctxOf(req), String(req.params.initiativeId), String(req.params.transitionId), verdict === 'approve', note));
    });
  }
  api.post('/initiatives/:initiativeId/areas', 'initiative.area', async (req, res) => {
    await getInitiative(actorOf(req), String(req.params.initiativeId));
    res.status(201).json(await full(req, await addArea(ctxOf(req), String(req.params.initiativeId), parseOrThrow(areaSchema, req.body))));
  });
  api.patch('/initiatives/:initiativeId/areas/:areaId', 'initiative.area', async (req, res) => {
    await getInitiative(actorOf(req), String(req.params.initiativeId));
    res.json(await full(req, await updateArea(ctxOf(req), String(req.params.initiativeId), String(req.params.areaId), parseOrThrow(areaPatchSchema, req.body))));
  });
  api.get('/offices/:officeId/replication', 'initiative.read', async (req, res) => {
    res.json(await areaRollup(actorOf(req), String(req.params.officeId)));
  });

  // Pages
  pages.get('/initiatives', 'initiative.read', async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query);
    const now = clockOf(req).now();
    const result = await listInitiatives(actorOf(req), q, now, stuckMonths);
    const tree = await officeTree();
    const link = (over: Record<string, string | number | undefined>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...req.query, ...over })) if (v !== undefined && v !== '') params.set(k, String(v));
      return `/initiatives?${params}`;
    };
    const pagesCount = Math.max(1, Math.ceil(result.total / result.pageSize));
    res.render('initiatives/index', {
      title: res.locals.t('initiatives.title'),
      tx: initiativesText[res.locals.lang === 'en' ? 'en' : 'bn'], // looked up once (see the detail page)
      q,
      total: result.total,
      items: result.items.map((s) => summaryView(s, now, stuckMonths, officeNameFor(res.locals.lang, tree.get(s.office)))),
      allStages: { count: STAGES.reduce((n, s) => n + result.countsByStage[s], 0), href: link({ stage: undefined, page: 1 }), current: !q.stage },
      stages: STAGES.map((s) => ({ key: s, count: result.countsByStage[s], href: link({ stage: s, page: 1 }), current: q.stage === s })),
      kinds: KINDS,
      page: result.page,
      pagesCount,
      prev: result.page > 1 ? link({ page: result.page - 1 }) : undefined,
      next: result.page < pagesCount ? link({ page: result.page + 1 }) : undefined,
      canCreate: decide(actorOf(req), 'initiative.create', tree) === 'allow',
    });
  });

  const renderForm = async (req: Request, res: Parameters<Parameters<typeof pages.get>[2]>[1], values: Record<string, unknown>, errors: Record<string, string> = {}, status = 200, changed: { field: string; label?: string; value: string }[] = []) => {
    const tree = await officeTree();
    const offices = tree.all().filter((o) => decide(actorOf(req), 'initiative.create', tree, { office: o.id }) === 'allow');
    // Lead and team are chosen from the active people of the owning office and the offices below it. Without
    // client script the create form cannot narrow the list to the office chosen, so it offers the people of
    // every office the user may create in, grouped by office; the server checks them against the office chosen.
    const roots = values.id ? [String((await getInitiative(actorOf(req), String(values.id))).office)] : offices.map((o) => o.id);
    const lead = typeof values.lead === 'string' ? values.lead : '';
    const team = new Set(toList(values.team));
    const candidates = await activePeopleUnder(tree, roots);
    // Whoever is on the initiative now stays offered (and chosen), even if they have moved or left since.
    const assigned = await peopleByIds([lead, ...team].filter((x) => !candidates.some((c) => c.id === x)));
    const groups = new Map<string, { officeName: string; people: { id: string; label: string; isLead: boolean; inTeam: boolean }[] }>();
    for (const p of [...candidates, ...assigned.values()].sort((a, b) => a.nameBn.localeCompare(b.nameBn, 'bn'))) {
      const group = groups.get(p.office) ?? { officeName: officeNameFor(res.locals.lang, tree.get(p.office)) ?? '—', people: [] };
      const designation = res.locals.lang === 'en' ? (p.designationEn ?? p.designationBn) : p.designationBn;
      group.people.push({ id: p.id, label: `${personName(p, res.locals.lang)}, ${designation}`, isLead: p.id === lead, inTeam: team.has(p.id) });
      groups.set(p.office, group);
    }
    const order = new Map(tree.all().map((o, n) => [o.id, n]));
    const peopleGroups = [...groups.entries()].sort(([a], [b]) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9)).map(([, g]) => g);
    res.status(status).render('initiatives/form', { title: res.locals.t(values.id ? 'initiatives.edit' : 'initiatives.new'), values, errors, hasFieldErrors: Object.keys(errors).some((k) => k !== '_'), changed, kinds: KINDS, offices, peopleGroups });
  };
  /** The current value of a field, as text for the conflict notice. */
  const currentValue = (d: InitiativeDoc, field: string, lang: 'bn' | 'en', people: Map<string, Person>): string => {
    const v = (d as unknown as Record<string, unknown>)[field];
    if (field === 'lead' || field === 'team') return toList(v).map((id) => personName(people.get(id), lang) ?? id).join(', ') || '—';
    if (field === 'kind') return (initiativesText[lang].kinds as Record<string, string>)[String(v)] ?? String(v);
    if (field === 'stage') return (initiativesText[lang].stages as Record<string, string>)[String(v)] ?? String(v);
    if (v === undefined || v === null || v === '') return '—';
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') || '—';
    if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null && x !== '').map(([k, x]) => `${k}: ${String(x)}`).join(', ') || '—';
    return String(v);
  };
  const formInput = (body: Record<string, unknown>) => ({
    ...body,
    // The lead picker's empty choice is "nobody"; the team's checkboxes send nothing when none is ticked, so the
    // form also sends teamShown to tell "no team" from "team not on this form".
    lead: body.lead === '' ? null : body.lead,
    team: body.teamShown !== undefined || body.team !== undefined ? toList(body.team) : undefined,
    teamShown: undefined,
    tags: typeof body.tags === 'string' ? body.tags.split(',').map((t) => t.trim()).filter(Boolean) : undefined,
    tcvBaseline: { days: body.baselineDays, taka: body.baselineTaka, visits: body.baselineVisits },
    tcvCurrent: { days: body.currentDays, taka: body.currentTaka, visits: body.currentVisits },
    budget: { needed: body.budgetNeeded, allocated: body.budgetAllocated, code: body.budgetCode },
  });
  const fieldErrors = (err: ValidationError, lang: 'bn' | 'en') => Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.split('.')[0]!, typeof v === 'string' ? v : v[lang]]));

  pages.get('/initiatives/new', 'initiative.create', async (req, res) => renderForm(req, res, {}));
  pages.post('/initiatives/new', 'initiative.create', async (req, res) => {
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    try {
      const doc = await createInitiative(ctxOf(req), parseOrThrow(createInitiativeSchema, formInput(req.body as Record<string, unknown>)));
      flash(req, 'success', { bn: 'উদ্যোগটি নিবন্ধিত হয়েছে।', en: 'The initiative was recorded.' });
      res.redirect(`/initiatives/${String(doc._id)}`);
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, req.body as Record<string, unknown>, fieldErrors(err, lang), 400);
      throw err;
    }
  });
  pages.get('/initiatives/:initiativeId', 'initiative.read', async (req, res) => {
    const actor = actorOf(req);
    const d = await getInitiative(actor, String(req.params.initiativeId));
    const tree = await officeTree();
    const target = { office: String(d.office) };
    // Attachments (all read by _id): the list shows those not removed; evidence may cite any of them.
    const files = (await attachmentsOf(d)).filter((a) => a.state === 'stored').map((a) => ({ ...attachmentView(a), href: `/initiatives/${String(d._id)}/attachments/${a._id}`, sizeText: a.size >= 1024 * 1024 ? `${(a.size / 1024 / 1024).toFixed(1)} ${res.locals.t('attachments.mb')}` : `${Math.max(1, Math.round(a.size / 1024))} ${res.locals.t('attachments.kb')}` }));
    const view = await full(req, d);
    // Names from the in-process directory, the pending proposal from the initiative itself: no filtered reads.
    const people = await peopleByIds([view.lead, ...view.team, ...view.areas.map((a) => a.fieldOfficer)]);
    const nameOf = (id: string | null) => (id ? personName(people.get(id), res.locals.lang) : undefined);
    const fmt = numberFormatFor(res.locals.lang);
    const pt = view.pendingTransition;
    res.render('initiatives/show', {
      title: d.title,
      // The page's text, looked up once: the view reads it as plain data (@root.tx) instead of calling the
      // translator for every label and option, which was a good part of this page's cost under load.
      tx: initiativesText[res.locals.lang === 'en' ? 'en' : 'bn'],
      i: {
        ...view,
        office: { id: view.office.id, name: officeNameFor(res.locals.lang, tree.get(view.office.id)) ?? null },
        areas: view.areas.map((a, n) => ({
          ...a,
          statusDate: { planned: a.plannedAt, orientation_held: a.orientationAt, running: a.startedAt, live: a.liveAt, stopped: a.stoppedAt }[a.status as string] ?? undefined,
          officeName: a.office ? officeNameFor(res.locals.lang, tree.get(a.office)) : undefined,
          fieldOfficerName: nameOf(a.fieldOfficer),
          canUpdate: canUpdateArea(actor, tree, d, d.areas[n] ?? {}),
        })),
      },
      pending: pt ? [{ id: pt.id, from: pt.from, to: pt.to, note: pt.note, reason: pt.reason, by: pt.proposedBy, at: dhakaDateOf(pt.proposedAt), evidence: pt.evidence }] : [],
      leadName: nameOf(view.lead),
      teamNames: view.team.map((id) => nameOf(id)).filter((n): n is string => !!n),
      budgetText: view.budget ? { needed: typeof view.budget.needed === 'number' ? fmt(view.budget.needed) : undefined, allocated: typeof view.budget.allocated === 'number' ? fmt(view.budget.allocated) : undefined } : undefined,
      evaluationText: view.pilotEvaluation
        ? {
            beneficiaries: typeof view.pilotEvaluation.beneficiaries === 'number' ? fmt(view.pilotEvaluation.beneficiaries) : undefined,
            tcvAfter: view.pilotEvaluation.tcvAfter ? (['days', 'taka', 'visits'] as const).map((key) => ({ key, value: typeof view.pilotEvaluation?.tcvAfter?.[key] === 'number' ? fmt(view.pilotEvaluation.tcvAfter[key]) : '—' })) : undefined,
          }
        : undefined,
      attachments: files.filter((a) => !a.removed),
      attachmentsById: Object.fromEntries(files.map((a) => [a.id, { name: a.removed ? `${a.name} (${res.locals.t('attachments.removedMark')})` : a.name, href: a.href }])),
      can: {
        edit: decide(actor, 'initiative.edit', tree, target) === 'allow',
        propose: decide(actor, 'initiative.propose', tree, target) === 'allow',
        decide: decide(actor, 'initiative.decide', tree, target) === 'allow',
        area: canEditDetails(actor, tree, d),
        attach: canEditDetails(actor, tree, d),
      },
      moves: allowedMoves(d.stage as Stage),
      daysInCurrent: Math.max(0, Math.floor((clockOf(req).now().getTime() - new Date(d.stageEnteredAt).getTime()) / 86_400_000)),
      tcvRows: view.tcv.baseline || view.tcv.current ? (['days', 'taka', 'visits'] as const).map((key) => {
        const change = view.tcv.change?.[key];
        const before = view.tcv.baseline?.[key];
        const now = view.tcv.current?.[key];
        return { key, before: typeof before === 'number' ? fmt(before) : null, now: typeof now === 'number' ? fmt(now) : null, change: change ? tcvChangeText(change, fmt) : null };
      }) : undefined,
      hasEvidence: !!(view.institutionalEvidence && (view.institutionalEvidence.policy || view.institutionalEvidence.budgetLine || view.institutionalEvidence.owningAgency)),
      areaStatuses: AREA_STATUSES,
    });
  });
  pages.get('/initiatives/:initiativeId/edit', 'initiative.edit', async (req, res) => {
    const d = await getInitiative(actorOf(req), String(req.params.initiativeId));
    const tree = await officeTree();
    assertCan(actorOf(req), 'initiative.edit', tree, { office: String(d.office) });
    await renderForm(req, res, {
      id: String(d._id),
      version: d.__v,
      title: d.title,
      titleEn: d.titleEn,
      kind: d.kind,
      problem: d.problem,
      solution: d.solution,
      fiscalYear: d.fiscalYear,
      tags: (d.tags ?? []).join(', '),
      baselineDays: d.tcvBaseline?.days,
      baselineTaka: d.tcvBaseline?.taka,
      baselineVisits: d.tcvBaseline?.visits,
      currentDays: d.tcvCurrent?.days,
      currentTaka: d.tcvCurrent?.taka,
      currentVisits: d.tcvCurrent?.visits,
      budgetNeeded: d.budget?.needed,
      budgetAllocated: d.budget?.allocated,
      budgetCode: d.budget?.code,
      lead: d.lead ? String(d.lead) : '',
      team: (d.team ?? []).map(String),
    });
  });
  pages.post('/initiatives/:initiativeId/edit', 'initiative.edit', async (req, res) => {
    const id = String(req.params.initiativeId);
    await getInitiative(actorOf(req), id);
    const lang = res.locals.lang === 'en' ? 'en' : 'bn';
    const body = req.body as Record<string, unknown>;
    try {
      const { office: _o, ...input } = formInput(body) as Record<string, unknown>;
      void _o;
      await updateInitiative(ctxOf(req), id, parseOrThrow(updateInitiativeSchema, input));
      flash(req, 'success', { bn: 'পরিবর্তন সংরক্ষণ করা হয়েছে।', en: 'Changes saved.' });
      res.redirect(`/initiatives/${id}`);
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, { ...body, id }, fieldErrors(err, lang), 400);
      if (err instanceof AppError && err.status === 409) {
        // Show what the other person changed, with today's values; the form keeps what this person typed and now
        // carries the current version, so saving again is a decision taken knowingly, never a silent overwrite.
        const current = await getInitiative(actorOf(req), id);
        const changed = ((err.details?.changed as string[] | undefined) ?? []).map((f) => f.split('.')[0]!);
        const people = await peopleByIds([current.lead, ...(current.team ?? [])]);
        const shown = [...new Set(changed)].map((f) => ({ field: f, label: changedFieldLabels([f], lang)[0], value: currentValue(current, f, lang, people) }));
        return renderForm(req, res, { ...body, id, version: current.__v }, { _: err.messages[lang] }, 409, shown);
      }
      throw err;
    }
  });
  pages.post('/initiatives/:initiativeId/transitions', 'initiative.propose', async (req, res) => {
    const id = String(req.params.initiativeId);
    await getInitiative(actorOf(req), id);
    const body = req.body as Record<string, unknown>;
    // The form always carries the evaluation and evidence boxes; empty ones are "not given".
    const filled = (o: Record<string, unknown>) => (Object.values(o).some((v) => (typeof v === 'object' && v ? Object.values(v).some((x) => x !== undefined && x !== '') : v !== undefined && v !== '')) ? o : undefined);
    try {
      const input = parseOrThrow(transitionSchema, {
        to: body.to,
        note: body.note,
        reason: body.reason,
        pilotEvaluation: filled({ summary: body.evalSummary, beneficiaries: body.evalBeneficiaries, recommendation: body.evalRecommendation, tcvAfter: { days: body.afterDays, taka: body.afterTaka, visits: body.afterVisits } }),
        institutionalEvidence: filled({ policy: body.policy, budgetLine: body.budgetLine, owningAgency: body.owningAgency }),
        // Attachments ticked as evidence (one value or several).
        ...(body.evidence !== undefined && body.evidence !== '' ? { evidence: ([] as unknown[]).concat(body.evidence).filter((e) => e !== '') } : {}),
      });
      const out = await proposeTransition(ctxOf(req), id, input);
      flash(req, 'success', out.status === 'pending' ? { bn: 'প্রস্তাবটি অফিস প্রধানের অনুমোদনের জন্য পাঠানো হয়েছে।', en: 'The proposal was sent to the office head for approval.' } : { bn: 'ধাপ পরিবর্তন করা হয়েছে।', en: 'The stage was changed.' });
    } catch (err) {
      // A gate not met or a move not allowed: back to the page, saying what is missing.
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      flash(req, 'error', messageWithFields(err));
    }
    res.redirect(`/initiatives/${id}`);
  });
  for (const verdict of ['approve', 'reject'] as const) {
    pages.post(`/initiatives/:initiativeId/transitions/:transitionId/${verdict}`, 'initiative.decide', async (req, res) => {
      const id = String(req.params.initiativeId);
      await getInitiative(actorOf(req), id);
      try {
        const { note } = parseOrThrow(decisionSchema, { note: (req.body as { note?: string }).note });
        await decideTransition(ctxOf(req), id, String(req.params.transitionId), verdict === 'approve', note);
        flash(req, 'success', verdict === 'approve' ? { bn: 'প্রস্তাব অনুমোদিত হয়েছে।', en: 'Approved.' } : { bn: 'প্রস্তাব ফেরত দেওয়া হয়েছে।', en: 'Rejected.' });
      } catch (err) {
        // The gate no longer holds, or someone decided first: back to the page, saying why.
        if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
        flash(req, 'error', messageWithFields(err));
      }
      res.redirect(`/initiatives/${id}`);
    });
  }
  pages.post('/initiatives/:initiativeId/areas', 'initiative.area', async (req, res) => {
    const id = String(req.params.initiativeId);
    await getInitiative(actorOf(req), id);
    const { _csrf: _c, ...body } = req.body as Record<string, unknown>;
    void _c;
    await addArea(ctxOf(req), id, parseOrThrow(areaSchema, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== ''))));
    flash(req, 'success', { bn: 'রেপ্লিকেশন এলাকা যুক্ত হয়েছে।', en: 'Replication area added.' });
    res.redirect(`/initiatives/${id}#areas`);
  });
  pages.post('/initiatives/:initiativeId/areas/:areaId', 'initiative.area', async (req, res) => {
    const id = String(req.params.initiativeId);
    await getInitiative(actorOf(req), id);
    await updateArea(ctxOf(req), id, String(req.params.areaId), parseOrThrow(areaPatchSchema, { status: (req.body as { status?: string }).status }));
    flash(req, 'success', { bn: 'এলাকার অবস্থা হালনাগাদ হয়েছে।', en: 'Area status updated.' });
    res.redirect(`/initiatives/${id}#areas`);
  });

  const err = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });
  deps.api.add({ method: 'post', path: '/api/v1/initiatives', summary: 'Log an initiative (stage idea)', tags: ['initiatives'], auth: true, body: createInitiativeSchema, responses: { 201: { description: 'The initiative, with id, version and stage "idea"' }, 400: { description: 'Invalid input', schema: err } } });
  deps.api.add({ method: 'get', path: '/api/v1/initiatives', summary: 'Initiatives in your scope: filters, search (NFC), sort, pages, counts per stage', tags: ['initiatives'], auth: true, query: listQuerySchema, responses: { 200: { description: '{ items, total, page, pageSize, countsByStage }' } } });
  deps.api.add({ method: 'get', path: '/api/v1/initiatives/{initiativeId}', summary: 'One initiative with its version, stage history, time in stages, areas, and pendingTransition (the proposal waiting for the head, or null)', tags: ['initiatives'], auth: true, responses: { 200: { description: 'The initiative' }, 404: { description: 'Not found or outside your scope' } } });
  deps.api.add({ method: 'patch', path: '/api/v1/initiatives/{initiativeId}', summary: 'Edit details; send the version you read', tags: ['initiatives'], auth: true, body: updateInitiativeSchema, responses: { 200: { description: 'Saved' }, 409: { description: 'Stale version: details.changed lists the fields changed since' } } });
  deps.api.add({ method: 'get', path: '/api/v1/initiatives/{initiativeId}/transitions', summary: 'Stage change proposals and decisions', tags: ['initiatives'], auth: true, responses: { 200: { description: '{ items }' } } });
  deps.api.add({ method: 'post', path: '/api/v1/initiatives/{initiativeId}/transitions', summary: 'Propose a stage change (officer: pending; head: applied at once). to = idea|pilot|replication|institutionalised|paused|dropped|resume', tags: ['initiatives'], auth: true, body: transitionSchema, responses: { 201: { description: '{ id, status: pending | approved }' }, 400: { description: 'Gate not met (fields say what is missing)' }, 409: { description: 'Move not allowed from the current stage, a proposal is already pending, or another stage change of this initiative happened at the same moment (nothing was changed)' } } });
  deps.api.add({ method: 'post', path: '/api/v1/initiatives/{initiativeId}/transitions/{transitionId}/approve', summary: 'Approve a pending proposal (office head)', tags: ['initiatives'], auth: true, body: decisionSchema, responses: { 200: { description: '{ id, status: approved }' }, 409: { description: 'Already decided, or the stage changed since' } } });
  deps.api.add({ method: 'post', path: '/api/v1/initiatives/{initiativeId}/transitions/{transitionId}/reject', summary: 'Reject a pending proposal (office head)', tags: ['initiatives'], auth: true, body: decisionSchema, responses: { 200: { description: '{ id, status: rejected }' } } });
  deps.api.add({ method: 'post', path: '/api/v1/initiatives/{initiativeId}/areas', summary: 'Add a replication area', tags: ['initiatives'], auth: true, body: areaSchema, responses: { 201: { description: 'The initiative with its areas' } } });
  deps.api.add({ method: 'patch', path: '/api/v1/initiatives/{initiativeId}/areas/{areaId}', summary: 'Update a replication area (status planned → orientation_held → running → live, or stopped)', tags: ['initiatives'], auth: true, body: areaPatchSchema, responses: { 200: { description: 'The initiative with its areas' } } });
  deps.api.add({ method: 'get', path: '/api/v1/offices/{officeId}/replication', summary: "Replication areas by status across an office subtree's initiatives", tags: ['initiatives'], auth: true, responses: { 200: { description: '{ initiatives, areas: { total, planned, ... } }' } } });
  return { pages, apiRoutes: api };
}
