// Initiatives: the pipeline idea → pilot → replication → institutionalised (or paused / dropped), with every
// move recorded (who, when, why, evidence), proposals approved by the office head, gates checked, replication
// areas, and stuck pilots in plain sight. This file: registering and editing initiatives, replication areas,
// and the reads (detail, lists, roll-ups); the stage rules are in initiative.stages.ts, stage changes (proposals,
// decisions, the claim protocol) in initiative.transitions.ts.
import mongoose from 'mongoose';
import { dhakaDateOf, fiscalYearOf, searchKey } from '../../lib/index.js';
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { changedInClaimsSince, saveVersioned } from '../../platform/db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Message } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/actor.js';
import { assertCan, decide, permittedPosts, scopeOffices, type Target } from '../access/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { diff, fieldsChangedSince, recordAudit } from '../audit/index.js';
import { officeTree, type OfficeTree } from '../offices/index.js';
import { User } from '../users/index.js';
import { Initiative, STAGES, Transition, type AreaStatus, type InitiativeDoc, type Stage } from './initiative.model.js';
import { initiativeReadModel, recordInitiativeChange, type InitiativeSummary } from './initiative.read-model.js';
import { applied } from './initiative.stages.js';
import { isStuck } from './stuck.js';
import type { AreaInput, AreaPatch, CreateInitiativeInput, ListQuery, UpdateInitiativeInput } from './initiative.schemas.js';

export type Ctx = RequestContext & { actor: Actor };

export { addDhakaMonths, isStuck } from './stuck.js';

export const EDITABLE = ['title', 'titleEn', 'kind', 'problem', 'solution', 'lead', 'team', 'fiscalYear', 'partners', 'budget', 'charterService', 'tcvBaseline', 'tcvCurrent', 'tags'] as const;

/** Who may reach an initiative beyond its office subtree: its lead and team, and its area officers and offices. */
export function targetOf(doc: Pick<InitiativeDoc, 'office' | 'lead' | 'team' | 'areas'>): Target {
  return {
    office: String(doc.office),
    assignedUsers: [doc.lead, ...(doc.team ?? []), ...(doc.areas ?? []).map((a) => a.fieldOfficer)].filter(Boolean).map(String),
    assignedOffices: (doc.areas ?? []).map((a) => a.office).filter(Boolean).map(String),
  };
}

/** The initiative as a document to change (NotFoundError when there is none); no access check. */
export async function load(id: string): Promise<mongoose.HydratedDocument<InitiativeDoc>> {
  const doc = await Initiative.findById(asId(id));
  if (!doc) throw new NotFoundError();
  return doc as unknown as mongoose.HydratedDocument<InitiativeDoc>;
}

/** An initiative the actor may see (NotFoundError otherwise). */
// Full documents for the detail page, kept while the read model says they are unchanged (same updatedAt):
// a detail view then costs no database read (the read model follows other instances within 500 ms).
const detailCache = new Map<string, InitiativeDoc>();
const DETAIL_CACHE_MAX = 20_000;

async function readDetail(id: string): Promise<InitiativeDoc | undefined> {
  const summary = await initiativeReadModel.summary(id);
  const hit = detailCache.get(id);
  if (summary && hit && hit.updatedAt?.getTime() === summary.updatedAt) return hit;
  const doc = (await Initiative.findById(asId(id)).lean()) as unknown as InitiativeDoc | null;
  if (!doc) {
    detailCache.delete(id);
    return undefined;
  }
  if (summary && doc.updatedAt?.getTime() === summary.updatedAt) {
    if (detailCache.size >= DETAIL_CACHE_MAX) detailCache.clear();
    detailCache.set(id, doc);
  }
  return doc;
}

/** An initiative the actor may see (NotFoundError otherwise). The result is shared: do not change it. */
export async function getInitiative(actor: Actor, id: string): Promise<InitiativeDoc> {
  asId(id);
  const doc = await readDetail(id);
  if (!doc) throw new NotFoundError();
  assertCan(actor, 'initiative.read', await officeTree(), targetOf(doc));
  return doc;
}

function searchTextOf(d: { title?: string | null; titleEn?: string | null; problem?: string | null; solution?: string | null; tags?: string[] | null }): string {
  return searchKey([d.title, d.titleEn, d.problem, d.solution, ...(d.tags ?? [])].filter(Boolean).join(' '));
}

export async function createInitiative(ctx: Ctx, input: CreateInitiativeInput): Promise<InitiativeDoc> {
  const tree = await officeTree();
  const office = input.office ?? permittedPosts(ctx.actor, 'initiative.create')[0]?.office;
  if (!office) throw new ForbiddenError();
  if (!tree.get(office)) throw new ValidationError({ office: { bn: 'দপ্তরটি পাওয়া যায়নি।', en: 'The office was not found.' } });
  assertCan(ctx.actor, 'initiative.create', tree, { office });
  await checkPeople(tree, office, input);
  const now = ctx.clock.now();
  const doc = await new Initiative({
    ...dropEmptyGroups(input),
    office,
    fiscalYear: input.fiscalYear ?? fiscalYearOf(dhakaDateOf(now)),
    stage: 'idea',
    stageEnteredAt: now,
    history: [{ from: null, to: 'idea', at: now, by: { id: ctx.actor.userId, name: ctx.actor.nameBn }, note: 'নিবন্ধন' }],
    searchText: searchTextOf(input),
    createdBy: ctx.actor.userId,
  }).save();
  await recordInitiativeChange(doc._id);
  await recordAudit(ctx, { action: 'initiative.create', entity: { type: 'initiative', id: String(doc._id), label: doc.title, office }, changes: diff({}, doc.toObject() as Record<string, unknown>, EDITABLE), version: doc.__v });
  return doc.toObject() as unknown as InitiativeDoc;
}

/**
 * The lead and team must be active people of the owning office or an office below it (an unknown id would
 * silently grant nobody access, and someone elsewhere would gain access the office did not mean to give).
 * People already on the initiative may stay even if they have moved since.
 */
async function checkPeople(tree: OfficeTree, office: string, input: { lead?: string | null; team?: string[] }, current?: Pick<InitiativeDoc, 'lead' | 'team'>): Promise<void> {
  const had = new Set([current?.lead, ...(current?.team ?? [])].filter(Boolean).map(String));
  const fits = async (userId: string): Promise<boolean> => {
    if (had.has(userId)) return true;
    const u = await User.findById(userId, { office: 1, active: 1 }).lean();
    return !!u && u.active !== false && tree.contains(office, String(u.office));
  };
  const fields: Record<string, Message> = {};
  if (input.lead && !(await fits(input.lead))) {
    fields.lead = msg('দলনেতা হিসেবে এই দপ্তর বা এর অধীন কোনো দপ্তরের একজন সক্রিয় কর্মকর্তাকে বাছাই করুন।', 'Choose as lead an active officer of this office or of an office below it.');
  }
  const team = [...new Set(input.team ?? [])];
  const misfits = (await Promise.all(team.map(async (u) => ((await fits(u)) ? undefined : u)))).filter(Boolean);
  if (misfits.length) {
    fields.team = msg('দলে শুধু এই দপ্তর বা এর অধীন দপ্তরের সক্রিয় কর্মকর্তাদের রাখা যায়; বাছাই করা একজন বা একাধিক ব্যক্তি তা নন।', 'The team may hold only active officers of this office or of offices below it; one or more of those chosen are not.');
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/** Names of the fields of an initiative, for messages that say what changed. */
const FIELD_LABELS: Record<string, Message> = {
  title: { bn: 'শিরোনাম', en: 'title' },
  titleEn: { bn: 'ইংরেজি শিরোনাম', en: 'English title' },
  kind: { bn: 'ধরন', en: 'kind' },
  problem: { bn: 'সমস্যা', en: 'problem' },
  solution: { bn: 'সমাধান', en: 'solution' },
  lead: { bn: 'দলনেতা', en: 'lead' },
  team: { bn: 'দল', en: 'team' },
  fiscalYear: { bn: 'অর্থবছর', en: 'fiscal year' },
  partners: { bn: 'অংশীদার', en: 'partners' },
  budget: { bn: 'বাজেট', en: 'budget' },
  charterService: { bn: 'সিটিজেন চার্টারের সেবা', en: 'charter service' },
  tcvBaseline: { bn: 'TCV: শুরুর অবস্থা', en: 'TCV baseline' },
  tcvCurrent: { bn: 'TCV: বর্তমান অবস্থা', en: 'current TCV' },
  tags: { bn: 'ট্যাগ', en: 'tags' },
  stage: { bn: 'ধাপ', en: 'stage' },
  areas: { bn: 'রেপ্লিকেশন এলাকা', en: 'replication areas' },
};

/** "সমস্যা, ধাপ" for changed fields like ['problem', 'stage', 'areas.<id>.status']. */
export function changedFieldLabels(changed: readonly string[], lang: keyof Message): string[] {
  return [...new Set(changed.map((f) => FIELD_LABELS[f.split('.')[0]!]?.[lang] ?? f))];
}

async function stale(id: string, version: number, claimed: readonly string[] = []): Promise<never> {
  // The winner's audit entry may not be written yet: what its claim says it changes counts too.
  const changed = [...new Set([...(await fieldsChangedSince('initiative', id, version)), ...claimed, ...(await changedInClaimsSince('initiative', id, version))])].sort();
  const bn = changedFieldLabels(changed, 'bn');
  const en = changedFieldLabels(changed, 'en');
  throw new ConflictError(
    {
      bn: `আপনি খোলার পর অন্য কেউ এই উদ্যোগটি পরিবর্তন করেছেন${bn.length ? ` (${bn.join(', ')})` : ''}। নতুন তথ্য দেখে আবার সংরক্ষণ করুন; আপনার পরিবর্তন সংরক্ষিত হয়নি।`,
      en: `Someone else changed this initiative after you opened it${en.length ? ` (${en.join(', ')})` : ''}. Review and save again; your change was not saved.`,
    },
    { changed },
  );
}

/** A TCV or budget group with nothing in it is "not given" (forms send every box, empty or not). */
function dropEmptyGroups<T extends Record<string, unknown>>(input: T): T {
  const out: Record<string, unknown> = { ...input };
  for (const key of ['tcvBaseline', 'tcvCurrent', 'budget'] as const) {
    const v = out[key];
    if (key in out && (v === null || (typeof v === 'object' && Object.values(v as object).every((x) => x === undefined || x === null || x === '')))) out[key] = undefined;
  }
  return out as T;
}

/** Edits the details; the version it was read at must still be current (else 409 with the fields changed since). */
export async function updateInitiative(ctx: Ctx, id: string, input: UpdateInitiativeInput): Promise<InitiativeDoc> {
  const doc = await load(id);
  assertCan(ctx.actor, 'initiative.edit', await officeTree(), { office: String(doc.office) });
  if (doc.__v !== input.version) await stale(id, input.version);
  await checkPeople(await officeTree(), String(doc.office), input, doc);
  const before = doc.toObject() as Record<string, unknown>;
  const { version: _v, ...fields } = dropEmptyGroups(input);
  void _v;
  doc.set(fields);
  doc.searchText = searchTextOf(doc);
  const changes = diff(before, doc.toObject() as Record<string, unknown>, EDITABLE);
  await saveVersioned('initiative', doc, { changed: changes.map((c) => c.field), lost: (claimed) => stale(id, input.version, claimed) });
  await recordInitiativeChange(doc._id);
  await recordAudit(ctx, { action: 'initiative.update', entity: { type: 'initiative', id, label: doc.title, office: String(doc.office) }, changes, version: doc.__v });
  return doc.toObject() as unknown as InitiativeDoc;
}

const msg = (bn: string, en: string): Message => ({ bn, en });

/** Every proposal and decision on an initiative, newest first (a write-side page: it searches the transitions). */
export async function listTransitions(actor: Actor, id: string) {
  const doc = await getInitiative(actor, id);
  const items = await Transition.find({ initiative: doc._id }).lean();
  // A move applied by a process that stopped before recording its approval is approved all the same.
  return items.map((t) => (t.status === 'pending' && applied(doc, t._id) ? { ...t, status: 'approved' as const } : t)).sort((a, b) => b.proposedAt.getTime() - a.proposedAt.getTime());
}

/** Adds a replication area (an innovation officer or head of the owning office). */
export async function addArea(ctx: Ctx, id: string, input: AreaInput): Promise<InitiativeDoc> {
  const doc = await load(id);
  const tree = await officeTree();
  // Adding areas belongs to the owning office's officers and head; a field officer (who may see the initiative
  // because they run one of its areas) cannot. The caller has already been shown the initiative, so 403.
  if (!canEditDetails(ctx.actor, tree, doc)) throw new ForbiddenError();
  await checkAreaRefs(tree, input);
  const version = doc.__v;
  doc.areas.push({ ...input, status: input.status ?? 'planned', plannedAt: input.plannedAt ?? dhakaDateOf(ctx.clock.now()) });
  await saveVersioned('initiative', doc, { changed: ['areas'], lost: (claimed) => stale(id, version, claimed) });
  await recordInitiativeChange(doc._id);
  const area = doc.areas.at(-1)!;
  await recordAudit(ctx, { action: 'initiative.area.add', entity: { type: 'initiative', id, label: doc.title, office: String(doc.office) }, changes: [{ field: `areas.${String(area._id)}`, before: null, after: `${area.nameBn} (${area.status})` }], version: doc.__v });
  return doc.toObject() as unknown as InitiativeDoc;
}

const STATUS_DATE: Partial<Record<AreaStatus, 'orientationAt' | 'startedAt' | 'liveAt' | 'stoppedAt'>> = {
  orientation_held: 'orientationAt',
  running: 'startedAt',
  live: 'liveAt',
  stopped: 'stoppedAt',
};

/** The office and field officer named for an area must exist (an unknown id would silently grant nobody access). */
async function checkAreaRefs(tree: OfficeTree, input: { office?: string | null; fieldOfficer?: string | null }): Promise<void> {
  const fields: Record<string, Message> = {};
  if (input.office && !tree.get(input.office)) fields.office = msg('দপ্তরটি পাওয়া যায়নি।', 'The office was not found.');
  if (input.fieldOfficer && !(await User.exists({ _id: input.fieldOfficer, active: true }))) fields.fieldOfficer = msg('কর্মকর্তাকে পাওয়া যায়নি।', 'The officer was not found.');
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/** True when the actor may edit the initiative's details and areas (its office's innovation officer or head). */
export function canEditDetails(actor: Actor, tree: OfficeTree, doc: Pick<InitiativeDoc, 'office'>): boolean {
  const target = { office: String(doc.office) };
  return decide(actor, 'initiative.edit', tree, target) === 'allow' || decide(actor, 'initiative.decide', tree, target) === 'allow';
}

/** True when the actor may update this area: the owning office, or the field officer / office that runs it. */
export function canUpdateArea(actor: Actor, tree: OfficeTree, doc: Pick<InitiativeDoc, 'office'>, area: { fieldOfficer?: unknown; office?: unknown }): boolean {
  return decide(actor, 'initiative.area', tree, { office: String(doc.office), assignedUsers: area.fieldOfficer ? [String(area.fieldOfficer)] : [], assignedOffices: area.office ? [String(area.office)] : [] }) === 'allow';
}

/** Updates a replication area: the owning office, or the field officer / office that runs it. */
export async function updateArea(ctx: Ctx, id: string, areaId: string, patch: AreaPatch): Promise<InitiativeDoc> {
  const doc = await load(id);
  const area = doc.areas.find((a) => String(a._id) === areaId);
  if (!area) throw new NotFoundError();
  const tree = await officeTree();
  // The caller may see the initiative (checked by the route): someone else's area is forbidden, not hidden.
  if (!canUpdateArea(ctx.actor, tree, doc, area)) throw new ForbiddenError();
  // Whoever runs an area reports on it (status, dates, note); who runs it and where is the owning office's call.
  if (!canEditDetails(ctx.actor, tree, doc) && (patch.fieldOfficer !== undefined || patch.office !== undefined || patch.nameBn !== undefined)) throw new ForbiddenError();
  await checkAreaRefs(tree, patch);
  const before = { ...area.toObject() } as Record<string, unknown>;
  const { version, ...fields } = patch;
  if (version !== undefined && version !== doc.__v) await stale(id, version);
  area.set(fields);
  const dateField = patch.status ? STATUS_DATE[patch.status as AreaStatus] : undefined;
  if (dateField && !area.get(dateField)) area.set(dateField, dhakaDateOf(ctx.clock.now()));
  const from = doc.__v;
  await saveVersioned('initiative', doc, { changed: [`areas.${areaId}`], lost: (claimed) => stale(id, version ?? from, claimed) });
  await recordInitiativeChange(doc._id);
  await recordAudit(ctx, { action: 'initiative.area.update', entity: { type: 'initiative', id, label: doc.title, office: String(doc.office) }, changes: diff(before, area.toObject() as Record<string, unknown>, ['status', 'fieldOfficer', 'office', 'nameBn', 'orientationAt', 'startedAt', 'liveAt', 'stoppedAt', 'note']).map((c) => ({ ...c, field: `areas.${areaId}.${c.field}` })), version: doc.__v });
  return doc.toObject() as unknown as InitiativeDoc;
}

export interface ListResult {
  readonly items: InitiativeSummary[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly countsByStage: Record<Stage, number>;
}

function visibleTo(actor: Actor, tree: OfficeTree): (s: InitiativeSummary) => boolean {
  const offices = scopeOffices(actor, 'initiative.read', tree);
  return (s) => offices.has(s.office) || s.people.includes(actor.userId) || s.areaOffices.some((o) => offices.has(o));
}

/** Filtered, searched, sorted page of the initiatives the actor may see, with counts per stage. */
export async function listInitiatives(actor: Actor, q: ListQuery, now: Date, stuckMonths: number): Promise<ListResult> {
  const tree = await officeTree();
  const visible = visibleTo(actor, tree);
  const under = q.office ? new Set(tree.subtreeIds(q.office)) : undefined;
  const words = q.q ? searchKey(q.q).split(' ').filter(Boolean) : [];
  const base: InitiativeSummary[] = [];
  for (const s of await initiativeReadModel.all()) {
    if (!visible(s)) continue;
    if (q.kind && s.kind !== q.kind) continue;
    if (q.fiscalYear && s.fiscalYear !== q.fiscalYear) continue;
    if (under && !under.has(s.office)) continue;
    if (q.area && !s.areaCodes.includes(q.area) && !s.areaOffices.includes(q.area)) continue;
    if (q.stuck !== undefined && isStuck(s, now, stuckMonths) !== q.stuck) continue;
    if (words.length && !words.every((w) => s.search.includes(w))) continue;
    base.push(s);
  }
  const countsByStage = { idea: 0, pilot: 0, replication: 0, institutionalised: 0, paused: 0, dropped: 0 } as Record<Stage, number>;
  for (const s of base) countsByStage[s.stage] += 1;
  const rows = q.stage ? base.filter((s) => s.stage === q.stage) : base;
  const dir = q.order === 'asc' ? 1 : -1;
  const key: (s: InitiativeSummary) => string | number =
    q.sort === 'title' ? (s) => s.title : q.sort === 'created' ? (s) => s.createdAt : q.sort === 'stage' ? (s) => STAGES.indexOf(s.stage) * 1e13 + s.stageEnteredAt : q.sort === 'fiscalYear' ? (s) => s.fiscalYear ?? '' : (s) => s.updatedAt;
  rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (typeof x === 'string' ? x.localeCompare(y as string, 'bn') : x - (y as number)) * dir || a.id.localeCompare(b.id);
  });
  const start = (q.page - 1) * q.pageSize;
  return { items: rows.slice(start, start + q.pageSize), total: rows.length, page: q.page, pageSize: q.pageSize, countsByStage };
}

/** Area counts by status for the initiatives of an office subtree (the office's replication roll-up). */
export async function areaRollup(actor: Actor, officeId: string): Promise<{ initiatives: number; areas: Record<AreaStatus | 'total', number> }> {
  const tree = await officeTree();
  assertCan(actor, 'initiative.read', tree, { office: officeId });
  const under = new Set(tree.subtreeIds(officeId));
  const visible = visibleTo(actor, tree);
  // From the read model's per-initiative counts: no document reads.
  const rows = [...(await initiativeReadModel.all())].filter((s) => under.has(s.office) && visible(s) && s.areasTotal > 0);
  const areas = { total: 0, planned: 0, orientation_held: 0, running: 0, live: 0, stopped: 0 } as Record<AreaStatus | 'total', number>;
  for (const s of rows) {
    areas.total += s.areasTotal;
    for (const [status, n] of Object.entries(s.areaStatuses)) areas[status as AreaStatus] += n;
  }
  return { initiatives: rows.length, areas };
}

/** Days spent in each stage, from the history (the current stage counts up to `now`). */
export function timeInStages(history: readonly { to: string; at: Date }[], now: Date): Record<string, number> {
  const out: Record<string, number> = {};
  history.forEach((h, i) => {
    const end = history[i + 1]?.at ?? now;
    out[h.to] = (out[h.to] ?? 0) + Math.max(0, Math.round((end.getTime() - h.at.getTime()) / 86_400_000));
  });
  return out;
}
