// Stage changes of an initiative: proposals, the head's decisions and the moves they apply, each first claiming
// the one change out of the initiative's current state (the claim protocol below). The stage rules themselves
// are in initiative.stages.ts.
import mongoose, { Types } from 'mongoose';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { saveVersioned } from '../../platform/db/versioned.js';
import { ConflictError, NotFoundError, type Message } from '../../kernel/errors.js';
import { assertCan, decide } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { officeTree } from '../offices/index.js';
import { Initiative, StageClaim, Transition, type InitiativeDoc, type Stage } from './initiative.model.js';
import { recordInitiativeChange } from './initiative.read-model.js';
import { checkEvidence } from './attachment.store.js';
import { load, type Ctx } from './initiative.service.js';
import { applied, checkMove, gateOf, resolveTarget } from './initiative.stages.js';
import type { TransitionInput } from './initiative.schemas.js';

const msg = (bn: string, en: string): Message => ({ bn, en });

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
