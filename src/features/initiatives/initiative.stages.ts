// The stage rules of an initiative: which moves may be proposed from a stage, whether a move is allowed and its
// gate met (pilot evaluation, institutional evidence), the gate data a move records, and whether a transition is
// already in the stage history. Pure: no database reads or writes.
import type { Types } from 'mongoose';
import { ConflictError, ValidationError, type Message } from '../../kernel/errors.js';
import type { InitiativeDoc, Stage } from './initiative.model.js';
import type { TransitionInput } from './initiative.schemas.js';

const FORWARD: Partial<Record<Stage, Stage>> = { idea: 'pilot', pilot: 'replication', replication: 'institutionalised' };
const ACTIVE: readonly Stage[] = ['idea', 'pilot', 'replication', 'institutionalised'];

const msg = (bn: string, en: string): Message => ({ bn, en });

/** Where a move goes: 'resume' (or the stage it left) from paused returns to the stage it left. */
export function resolveTarget(doc: InitiativeDoc, to: Stage | 'resume'): Stage {
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
export function gateOf(doc: InitiativeDoc, from: Stage, to: Stage, input: Pick<TransitionInput, 'pilotEvaluation' | 'institutionalEvidence'>): Pick<TransitionInput, 'pilotEvaluation' | 'institutionalEvidence'> {
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
export function checkMove(doc: InitiativeDoc, to: Stage, input: TransitionInput): void {
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

/** True when the transition has already been applied (it is in the stage history). */
export function applied(doc: Pick<InitiativeDoc, 'history'>, transition: Types.ObjectId | string): boolean {
  return (doc.history ?? []).some((h) => h.transition && String(h.transition) === String(transition));
}
