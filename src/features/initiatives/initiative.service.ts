// Initiatives: the pipeline idea → pilot → replication → institutionalised (or paused / dropped), with every
// move recorded (who, when, why, evidence), proposals approved by the office head, gates checked, replication
// areas, and stuck pilots in plain sight.
import mongoose, { Types } from 'mongoose';
import { dhakaDateOf, fiscalYearOf, searchKey } from '../../lib/index.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { saveVersioned } from '../../platform/db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Message } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import { assertCan, decide, permittedPosts, scopeOffices, type Target } from '../access/policy.js';
import { diff, fieldsChangedSince, recordAudit, type RequestContext } from '../audit/audit.service.js';
import { officeTree, type OfficeTree } from '../offices/office-tree.js';
import { User } from '../users/user.model.js';
import { Initiative, STAGES, StageClaim, Transition, type AreaStatus, type InitiativeDoc, type Stage } from './initiative.model.js';
import { initiativeReadModel, recordInitiativeChange, type InitiativeSummary } from './initiative.read-model.js';
import { checkEvidence } from './attachment.store.js';
import { isStuck } from './stuck.js';
import type { AreaInput, AreaPatch, CreateInitiativeInput, ListQuery, TransitionInput, UpdateInitiativeInput } from './initiative.schemas.js';

type Ctx = RequestContext & { actor: Actor };

export { addDhakaMonths, isStuck } from './stuck.js';

export const EDITABLE = ['title', 'titleEn', 'kind', 'problem', 'solution', 'lead', 'team', 'fiscalYear', 'partners', 'budget', 'charterService', 'tcvBaseline', 'tcvCurrent', 'tags'] as const;

const FORWARD: Partial<Record<Stage, Stage>> = { idea: 'pilot', pilot: 'replication', replication: 'institutionalised' };
const ACTIVE: readonly Stage[] = ['idea', 'pilot', 'replication', 'institutionalised'];


/** Who may reach an initiative beyond its office subtree: its lead and team, and its area officers and offices. */
export function targetOf(doc: Pick<InitiativeDoc, 'office' | 'lead' | 'team' | 'areas'>): Target {
  return {
    office: String(doc.office),
    assignedUsers: [doc.lead, ...(doc.team ?? []), ...(doc.areas ?? []).map((a) => a.fieldOfficer)].filter(Boolean).map(String),
    assignedOffices: (doc.areas ?? []).map((a) => a.office).filter(Boolean).map(String),
  };
}

async function load(id: string): Promise<mongoose.HydratedDocument<InitiativeDoc>> {
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
  const changed = [...new Set([...(await fieldsChangedSince('initiative', id, version)), ...claimed])].sort();
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

/** Where a move goes: 'resume' (or the stage it left) from paused returns to the stage it left. */
function resolveTarget(doc: InitiativeDoc, to: Stage | 'resume'): Stage {
  if (to === 'resume') {
    if (doc.stage !== 'paused' || !doc.pausedFrom) throw new ConflictError(msg('শুধু স্থগিত উদ্যোগ পুনরায় শুরু করা যায়।', 'Only a paused initiative can be resumed.'));
    return doc.pausedFrom as Stage;
  }
  return to;
}

/** True when a value holds something: not empty, and for an object, some part of it not empty. */
function hasAny(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  return typeof v === 'object' ? Object.values(v).some(hasAny) : true;
}

/** What was stored, with the parts the proposal gives on top (an empty form box does not erase a stored value). */
function mergeGate<T extends object>(stored: unknown, given: T | undefined): T | undefined {
  const out: Record<string, unknown> = hasAny(stored) ? (JSON.parse(JSON.stringify(stored)) as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(given ?? {})) if (hasAny(v)) out[k] = v;
  return hasAny(out) ? (out as T) : undefined;
}

/** The gate data a move needs, from the proposal and what the initiative already holds; nothing for other moves. */
function gateOf(doc: InitiativeDoc, from: Stage, to: Stage, input: Pick<TransitionInput, 'pilotEvaluation' | 'institutionalEvidence'>): Pick<TransitionInput, 'pilotEvaluation' | 'institutionalEvidence'> {
  if (from === 'pilot' && to === 'replication') return { pilotEvaluation: mergeGate(doc.pilotEvaluation, input.pilotEvaluation) };
  if (from === 'replication' && to === 'institutionalised') return { institutionalEvidence: mergeGate(doc.institutionalEvidence, input.institutionalEvidence) };
  return {};
}

/** The moves that may be proposed from a stage ('resume' from paused), for the proposal form. */
export function allowedMoves(stage: Stage): (Stage | 'resume')[] {
  if (stage === 'paused') return ['resume', 'dropped'];
  if (!ACTIVE.includes(stage)) return [];
  return [...(FORWARD[stage] ? [FORWARD[stage]] : []), 'paused', 'dropped'];
}

/** Checks that a move is allowed from the current stage and that its gate is met; returns field errors. */
function checkMove(doc: InitiativeDoc, to: Stage, input: TransitionInput): void {
  const from = doc.stage as Stage;
  const ok =
    FORWARD[from] === to ||
    ((to === 'paused' || to === 'dropped') && ACTIVE.includes(from)) ||
    (from === 'paused' && (to === doc.pausedFrom || to === 'dropped'));
  if (!ok) {
    throw new ConflictError(msg(`"${from}" ধাপ থেকে "${to}" ধাপে যাওয়া যায় না।`, `An initiative cannot move from "${from}" to "${to}".`), { from, to });
  }
  const fields: Record<string, Message> = {};
  if ((to === 'paused' || to === 'dropped') && !input.reason) fields.reason = msg('স্থগিত বা বাদ দেওয়ার কারণ লিখুন।', 'Give the reason for pausing or dropping.');
  if (from === 'pilot' && to === 'replication') {
    const ev = gateOf(doc, from, to, input).pilotEvaluation;
    if (!ev?.summary) fields['pilotEvaluation.summary'] = msg('পাইলটিং মূল্যায়নের সারসংক্ষেপ দিন।', 'Give the pilot evaluation summary.');
    if (!ev?.tcvAfter || [ev.tcvAfter.days, ev.tcvAfter.taka, ev.tcvAfter.visits].every((v) => v === undefined || v === null)) fields['pilotEvaluation.tcvAfter'] = msg('পাইলটিং-পরবর্তী TCV (সময়, খরচ, যাতায়াত) দিন।', 'Give the TCV after the pilot (time, cost, visits).');
    if (ev?.beneficiaries === undefined || ev?.beneficiaries === null) fields['pilotEvaluation.beneficiaries'] = msg('উপকারভোগীর সংখ্যা দিন।', 'Give the number of beneficiaries.');
    if (!ev?.recommendation) fields['pilotEvaluation.recommendation'] = msg('সুপারিশ লিখুন।', 'Give the recommendation.');
  }
  if (from === 'replication' && to === 'institutionalised') {
    if (!(doc.areas ?? []).some((a) => a.status === 'live')) fields.areas = msg('অন্তত একটি রেপ্লিকেশন এলাকা লাইভ হতে হবে।', 'At least one replication area must be live.');
    const ev = gateOf(doc, from, to, input).institutionalEvidence;
    if (!ev?.policy && !ev?.budgetLine && !ev?.owningAgency) fields.institutionalEvidence = msg('প্রাতিষ্ঠানিকীকরণের প্রমাণ দিন: নীতি, বাজেট লাইন বা দায়িত্বপ্রাপ্ত সংস্থা।', 'Give institutional evidence: a policy, a budget line or an owning agency.');
  }
  if (Object.keys(fields).length) throw new ValidationError(fields, msg('এই ধাপ পরিবর্তনের শর্ত পূরণ হয়নি।', 'The requirements of this stage change are not met.'));
}

// --- Stage changes under concurrency -------------------------------------------------------------------------
// The engine has no transactions and its conditional updates are not atomic, so "at most one pending proposal"
// and "one move out of a stage" are enforced by inserting claims under a unique _id (see StageClaim):
// - every proposal or head's move first claims `move:<initiative>:<stageGen>`; whoever inserts it first goes
//   ahead, every other simultaneous attempt gets 409 and writes nothing;
// - the write that settles the claim (the move applied, the proposal rejected, a failed move withdrawn) raises
//   the initiative's stageGen in the same document write, so the next change claims a fresh key;
// - a claim whose transition is no longer pending, or was never written (a process died in between) and is
//   older than CLAIM_GRACE_MS, is stale: the next attempt raises stageGen past it and claims the next key.
// The initiative carries the pending proposal (pendingTransition), so reading it needs no filtered query.

/** How long a claim may stand without its transition before it counts as left behind by a dead process. */
export const CLAIM_GRACE_MS = 2 * 60_000;

const moveKey = (initiative: Types.ObjectId | string, gen: number) => `move:${String(initiative)}:${gen}`;
const decideKey = (transition: Types.ObjectId | string) => `decide:${String(transition)}`;

const ALREADY_PENDING = msg('এই উদ্যোগের একটি ধাপ পরিবর্তনের প্রস্তাব ইতিমধ্যে অনুমোদনের অপেক্ষায় আছে।', 'A stage change for this initiative is already waiting for approval.');
const BUSY = msg(
  'এই মুহূর্তে অন্য কেউ এই উদ্যোগের ধাপ পরিবর্তন করছেন। পাতাটি আবার খুলে দেখুন; আপনার পরিবর্তন সংরক্ষিত হয়নি।',
  'Someone else is changing the stage of this initiative at this moment. Reload the page and check; your change was not saved.',
);
const STAGE_MOVED = msg(
  'এইমাত্র অন্য কেউ এই উদ্যোগের ধাপ পরিবর্তন করেছেন বা প্রস্তাবের সিদ্ধান্ত নিয়েছেন। পাতাটি আবার খুলে দেখুন; আপনার পরিবর্তন সংরক্ষিত হয়নি।',
  'Someone else has just changed the stage of this initiative or decided a proposal on it. Reload the page and check; your change was not saved.',
);

type Pending = NonNullable<InitiativeDoc['pendingTransition']>;

function pendingOf(t: { _id: Types.ObjectId; from: string; to: string; note?: string | null; reason?: string | null; evidence?: string[] | null; proposedBy?: { id?: unknown; name?: string | null } | null; proposedAt: Date }): Pending {
  return { id: t._id, from: t.from, to: t.to, note: t.note ?? undefined, reason: t.reason ?? undefined, evidence: [...(t.evidence ?? [])], proposedBy: { id: t.proposedBy?.id as Types.ObjectId | undefined, name: t.proposedBy?.name ?? undefined }, proposedAt: t.proposedAt } as Pending;
}

/** True when the transition has already been applied (it is in the stage history). */
function applied(doc: Pick<InitiativeDoc, 'history'>, transition: Types.ObjectId | string): boolean {
  return (doc.history ?? []).some((h) => h.transition && String(h.transition) === String(transition));
}

/**
 * Claims the one change out of the initiative's current state (generation `gen`) for transition `tid`, and
 * returns the generation claimed. 409 when a pending proposal or another move in progress holds it, or when
 * the state has moved on since the caller read it; a stale claim is passed over (stageGen raised) and the next
 * generation claimed.
 */
async function claimMove(initiative: Types.ObjectId, gen: number, tid: Types.ObjectId): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await StageClaim.create({ _id: moveKey(initiative, gen), initiative, transition: tid, at: new Date() });
      return gen;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const [fresh, held] = await Promise.all([
      Initiative.findById(initiative, { stageGen: 1, pendingTransition: 1 }).lean(),
      StageClaim.findById(moveKey(initiative, gen)).lean(),
    ]);
    if (!fresh) throw new NotFoundError();
    if ((fresh.stageGen ?? 0) !== gen) throw new ConflictError(STAGE_MOVED);
    if (!held) continue;
    const holder = await Transition.findById(held.transition).lean();
    const young = Date.now() - held.at.getTime() < CLAIM_GRACE_MS;
    if (holder?.status === 'pending') {
      if (fresh.pendingTransition?.id && String(fresh.pendingTransition.id) === String(holder._id)) throw new ConflictError(ALREADY_PENDING);
      if (young) throw new ConflictError(BUSY);
      // A proposal whose process died before copying it onto the initiative: show it, so the head can decide it.
      await Initiative.updateOne({ _id: initiative }, { $set: { pendingTransition: pendingOf(holder) } });
      await recordInitiativeChange(initiative);
      throw new ConflictError(ALREADY_PENDING);
    }
    if (!holder && young) throw new ConflictError(BUSY);
    // Decided or withdrawn without the generation raised, or never written: pass over it.
    await Initiative.updateOne({ _id: initiative, stageGen: gen }, { $set: { stageGen: gen + 1 } });
    gen += 1;
  }
  throw new ConflictError(BUSY);
}

/** Lets the next change go ahead after a claimed move failed (only the claim's holder calls it). */
async function releaseMove(initiative: Types.ObjectId, gen: number): Promise<void> {
  await Initiative.updateOne({ _id: initiative, stageGen: gen }, { $set: { stageGen: gen + 1 } });
  await recordInitiativeChange(initiative);
}

/** Claims the one decision of a proposal; a claim left by a process that died while deciding is taken over. */
async function claimDecision(initiative: Types.ObjectId, tid: Types.ObjectId): Promise<void> {
  const key = decideKey(tid);
  const take = async () => {
    try {
      await StageClaim.create({ _id: key, initiative, transition: tid, at: new Date() });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
  };
  if (await take()) return;
  const held = await StageClaim.findById(key).lean();
  if (held && Date.now() - held.at.getTime() >= CLAIM_GRACE_MS) {
    await StageClaim.deleteOne({ _id: key, at: held.at });
    if (await take()) return;
  }
  throw new ConflictError(msg('এই প্রস্তাবের সিদ্ধান্ত এই মুহূর্তে অন্য কেউ নিচ্ছেন বা আগেই নেওয়া হয়েছে।', 'Someone else is deciding this proposal at this moment, or has already decided it.'));
}

/** Applies an approved move to the initiative (idempotent: a move already in the history is not applied twice). */
async function applyMove(ctx: Ctx, doc: mongoose.HydratedDocument<InitiativeDoc>, t: { _id: Types.ObjectId; to: Stage; from: Stage; note?: string | null; reason?: string | null; evidence?: string[] | null; decision?: Types.ObjectId | null; proposedBy: { id?: unknown; name?: string | null } }, gate: TransitionInput, gen: number, approvalNote?: string): Promise<void> {
  if (applied(doc, t._id)) return;
  const now = ctx.clock.now();
  const before = { stage: doc.stage };
  // Only the gate of this move is recorded, so a later move (pause, drop...) never erases an earlier evaluation.
  const data = gateOf(doc, t.from, t.to, gate);
  if (data.pilotEvaluation) doc.set('pilotEvaluation', data.pilotEvaluation);
  if (data.institutionalEvidence) doc.set('institutionalEvidence', data.institutionalEvidence);
  doc.pausedFrom = t.to === 'paused' ? t.from : null;
  doc.stage = t.to;
  doc.stageEnteredAt = now;
  doc.lastDecisionAt = now;
  // In the same write: no proposal is pending any more, and the claim of this move is settled.
  doc.pendingTransition = null;
  doc.stageGen = gen + 1;
  doc.history.push({
    from: t.from,
    to: t.to,
    at: now,
    by: { id: t.proposedBy.id, name: t.proposedBy.name },
    approvedBy: { id: ctx.actor.userId, name: ctx.actor.nameBn },
    note: t.note,
    approvalNote,
    reason: t.reason,
    evidence: t.evidence ?? [],
    decision: t.decision ?? null,
    transition: t._id,
  });
  // Someone saving the initiative from the version we read: refuse rather than overwrite.
  const changedMeanwhile = async (): Promise<never> => {
    throw new ConflictError(msg('এই মুহূর্তে অন্য কেউ উদ্যোগটি পরিবর্তন করেছেন; আবার চেষ্টা করুন।', 'Someone changed the initiative at the same moment; try again.'));
  };
  await saveVersioned('initiative', doc, { changed: ['stage'], lost: changedMeanwhile });
  await recordInitiativeChange(doc._id);
  await recordAudit(ctx, { action: 'initiative.stage', entity: { type: 'initiative', id: String(doc._id), label: doc.title, office: String(doc.office) }, changes: [{ field: 'stage', before: before.stage, after: t.to }], note: t.reason ?? t.note ?? undefined, version: doc.__v });
}

/** Proposes a stage move: pending for the head, or applied at once when the proposer may decide. */
export async function proposeTransition(ctx: Ctx, id: string, input: TransitionInput): Promise<{ id: string; status: 'pending' | 'approved' }> {
  const doc = await load(id);
  const tree = await officeTree();
  assertCan(ctx.actor, 'initiative.propose', tree, { office: String(doc.office) });
  const to = resolveTarget(doc, input.to);
  checkMove(doc, to, input);
  // Evidence may cite this initiative's attachments by id; an id of another initiative's file is refused.
  await checkEvidence(String(doc._id), input.evidence);
  if (doc.pendingTransition?.id) {
    // The copy on the initiative is a convenience; the proposal itself says whether it is still pending.
    const shown = await Transition.findById(doc.pendingTransition.id, { status: 1 }).lean();
    if (shown?.status === 'pending') throw new ConflictError(ALREADY_PENDING);
    // Decided, but the write that should have cleared the copy was lost (a process stopped): clear it now.
    await Initiative.updateOne({ _id: doc._id }, { $set: { pendingTransition: null } });
    await recordInitiativeChange(doc._id);
  }
  // An initiative stored before claims existed (no stageGen yet) may have a proposal known only to
  // initiative_transitions: search for it, once per such initiative (a write path; every later one has stageGen).
  if (doc.$isDefault('stageGen') && (await Transition.exists({ initiative: doc._id, status: 'pending', gen: { $exists: false } }))) throw new ConflictError(ALREADY_PENDING);
  const now = ctx.clock.now();
  const canDecide = decide(ctx.actor, 'initiative.decide', tree, { office: String(doc.office) }) === 'allow';
  const tid = new Types.ObjectId();
  // From here on this request is the only change out of the initiative's current state.
  const gen = await claimMove(doc._id, doc.stageGen ?? 0, tid);
  let t;
  try {
    t = await Transition.create({
      _id: tid,
      initiative: doc._id,
      office: doc.office,
      from: doc.stage,
      to,
      note: input.note,
      reason: input.reason,
      evidence: input.evidence ?? [],
      decision: input.decision ?? null,
      gate: { pilotEvaluation: input.pilotEvaluation, institutionalEvidence: input.institutionalEvidence },
      status: 'pending',
      proposedBy: { id: ctx.actor.userId, name: ctx.actor.nameBn },
      proposedAt: now,
      gen,
    });
  } catch (err) {
    await releaseMove(doc._id, gen);
    throw err;
  }
  await recordAudit(ctx, { action: 'initiative.transition.propose', entity: { type: 'initiative', id, label: doc.title, office: String(doc.office) }, note: `${doc.stage} → ${to}` });
  if (!canDecide) {
    // A plain $set: a proposal changes nothing an editor works on, so nobody's open edit is refused because of it.
    await Initiative.updateOne({ _id: doc._id }, { $set: { pendingTransition: pendingOf(t) } });
    await recordInitiativeChange(doc._id);
    return { id: String(t._id), status: 'pending' };
  }
  try {
    await applyMove(ctx, doc, { _id: t._id, from: doc.stage as Stage, to, note: t.note, reason: t.reason, evidence: t.evidence, decision: t.decision, proposedBy: t.proposedBy ?? {} }, input, gen);
  } catch (err) {
    // A head's move that could not be applied must not stay pending and block every later proposal.
    await Transition.updateOne({ _id: t._id, status: 'pending' }, { $set: { status: 'withdrawn', decidedAt: now } });
    await releaseMove(doc._id, gen);
    throw err;
  }
  await Transition.updateOne({ _id: t._id }, { $set: { status: 'approved', decidedBy: { id: ctx.actor.userId, name: ctx.actor.nameBn }, decidedAt: now } });
  return { id: String(t._id), status: 'approved' };
}

/** The head approves (applies) or rejects a pending proposal. */
export async function decideTransition(ctx: Ctx, id: string, transitionId: string, approve: boolean, note?: string): Promise<{ id: string; status: 'approved' | 'rejected' }> {
  const doc = await load(id);
  assertCan(ctx.actor, 'initiative.decide', await officeTree(), { office: String(doc.office) });
  const t = await Transition.findById(asId(transitionId));
  if (!t || String(t.initiative) !== String(doc._id)) throw new NotFoundError();
  if (t.status !== 'pending' || applied(doc, t._id)) throw new ConflictError(msg('এই প্রস্তাবের সিদ্ধান্ত আগেই হয়েছে।', 'This proposal has already been decided.'), { status: applied(doc, t._id) ? 'approved' : t.status });
  const now = ctx.clock.now();
  const gen = doc.stageGen ?? 0;
  // A proposal holds the claim of the generation it was made in; once that has moved on, the stage has too.
  const current = t.gen === undefined || t.gen === null || t.gen === gen;
  const gate = (t.gate ?? {}) as TransitionInput;
  if (approve) {
    if (doc.stage !== t.from || !current) throw new ConflictError(msg('প্রস্তাবের পর উদ্যোগের ধাপ বদলেছে; নতুন প্রস্তাব দিন।', 'The stage changed since the proposal; propose again.'));
    checkMove(doc, t.to as Stage, { ...gate, to: t.to as Stage, reason: t.reason ?? undefined });
  }
  await claimDecision(doc._id, t._id);
  try {
    if (approve) {
      // A proposal from before claims existed claims its move now, so no simultaneous move can also apply.
      const claimed = t.gen === undefined || t.gen === null ? await claimMove(doc._id, gen, t._id) : gen;
      await applyMove(ctx, doc, { _id: t._id, from: t.from as Stage, to: t.to as Stage, note: t.note, reason: t.reason, evidence: t.evidence, decision: t.decision, proposedBy: t.proposedBy ?? {} }, gate, claimed, note);
    } else {
      // A rejection is a decision (the pilot is not stuck) but changes nothing an editor works on: a plain $set,
      // so the version stays and nobody's open edit is refused because of it. It settles the proposal's claim.
      const set: Record<string, unknown> = { lastDecisionAt: now };
      if (doc.pendingTransition?.id && String(doc.pendingTransition.id) === String(t._id)) set.pendingTransition = null;
      if (t.gen !== undefined && t.gen !== null && current) set.stageGen = gen + 1;
      await Initiative.updateOne({ _id: doc._id }, { $set: set });
      await recordInitiativeChange(doc._id);
    }
  } catch (err) {
    // Nothing was decided (a gate, a simultaneous save): the proposal stays pending and may be decided again.
    await StageClaim.deleteOne({ _id: decideKey(t._id) });
    throw err;
  }
  t.status = approve ? 'approved' : 'rejected';
  t.decidedBy = { id: new Types.ObjectId(ctx.actor.userId), name: ctx.actor.nameBn };
  t.decidedAt = now;
  t.decisionNote = note;
  await t.save();
  await recordAudit(ctx, { action: approve ? 'initiative.transition.approve' : 'initiative.transition.reject', entity: { type: 'initiative', id, label: doc.title, office: String(doc.office) }, note: `${t.from} → ${t.to}${note ? `: ${note}` : ''}` });
  return { id: transitionId, status: approve ? 'approved' : 'rejected' };
}

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

