// Issuing signed minutes exactly once. Of simultaneous issue requests only the one that inserts the claim
// `issue:<meeting id>` (a unique insert: the one thing this engine decides atomically; mongoose's version check
// is a conditional update and is not) takes the memo number, writes the status, the audit row and the durable
// `minutes.issued` event, and answers `existing: false`. Every other request answers the issue that exists
// (`existing: true`) or, while the winner is still writing, 409 "try again". A winner that died before saving
// the status leaves a claim that a retry takes over after ISSUE_TAKEOVER_MS.
import crypto from 'node:crypto';
import type mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { dhakaDateOf } from '../../lib/index.js';
import { claimOnce, isDuplicateKey, type ClaimCollection } from '../../platform/db/claim.js';
import { ConflictError } from '../../kernel/errors.js';
import { recordChanges } from '../../platform/db/read-model.js';
import { recordEvent } from '../../platform/events/index.js';
import { claimForDocument } from '../memo-numbers/index.js';
import { ActionItem, DECISION_LOG, Meeting, MeetingClaim, VerifyCode, type MeetingDoc } from './meeting.model.js';
import type { MeetingEventBus } from './meeting.event-types.js';

type Hydrated = mongoose.HydratedDocument<MeetingDoc>;

/** A claim this old whose meeting is still not issued belonged to a request that died: a retry takes it over. */
export const ISSUE_TAKEOVER_MS = 60_000;

export interface IssueResult {
  readonly memoNumber: string;
  readonly issuedAt: Date;
  readonly verifyCode: string;
  readonly status: 'issued';
  /** True when the minutes were already issued (an idempotent retry, or a request that lost the race). */
  readonly existing: boolean;
  readonly meeting: MeetingDoc;
}

/** What the issue fixes besides the number, validated before anything is claimed. */
export interface IssuePlan {
  readonly register: string | undefined;
  readonly distribution: unknown[];
  readonly notBySeniority: boolean;
  readonly issuer: { id: string; name: string; designation: string; office: string };
}

interface IssueCtx {
  readonly actor: { userId: string; nameBn: string };
  readonly clock: { now(): Date };
  readonly events?: MeetingEventBus | undefined;
}

interface IssueClaimDoc {
  _id: string;
  meeting: Types.ObjectId;
  at: Date;
}

/** How long a request that lost the issue claim waits for the winner's status before answering 409. */
const LOSER_WAIT_MS = 10_000;

const BEING_ISSUED = { bn: 'অন্য একটি অনুরোধ এই কার্যবিবরণী এখন জারি করছে; একটু পরে আবার চেষ্টা করুন।', en: 'Another request is issuing these minutes right now; try again in a moment.' };

/**
 * The issue of a signed meeting whose content and plan are already checked. `transition` saves the status
 * and writes the audit row; `reload` reads the meeting again.
 */
export async function issueOnce(
  ctx: IssueCtx & Parameters<typeof claimForDocument>[0],
  doc: Hydrated,
  plan: IssuePlan,
  deps: { transition: (doc: Hydrated) => Promise<MeetingDoc>; reload: () => Promise<Hydrated> },
): Promise<IssueResult> {
  const id = String(doc._id);
  const now = ctx.clock.now();
  const claim = await claimOnce(MeetingClaim.collection as unknown as ClaimCollection<IssueClaimDoc>, { _id: `issue:${id}`, meeting: doc._id, at: now }, {
    isStale: (c) => now.getTime() - new Date(c.at).getTime() > ISSUE_TAKEOVER_MS,
    takeover: () => ({ at: now }),
    generationOf: (c) => String(new Date(c.at).getTime()),
  });
  if (claim.outcome === 'taken') {
    // The winner saves the status within moments (the PDF and mail come after it): wait for it, so that a
    // double click still answers the issue; only a winner that takes too long yields 409.
    const waitUntil = Date.now() + LOSER_WAIT_MS;
    for (;;) {
      const again = await deps.reload();
      if (again.status === 'issued') return issuedResult(again.toObject() as unknown as MeetingDoc, true);
      if (Date.now() > waitUntil) throw new ConflictError(BEING_ISSUED, { status: again.status });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (claim.outcome === 'takenOver') {
    // The previous winner may have saved the status after all (and died later): then it stands.
    const again = await deps.reload();
    if (again.status === 'issued') return issuedResult(again.toObject() as unknown as MeetingDoc, true);
    doc = again;
  }

  const claimed = await claimForDocument(ctx, { office: String(doc.office), register: plan.register, documentKey: `minutes:${id}`, document: { kind: doc.corrects ? 'corrigendum' : 'minutes', id, label: doc.subject } });
  doc.memoNumber = claimed.number;
  doc.register = claimed.register._id;
  doc.issuedAt = claimed.issuedAt;
  doc.distribution = plan.distribution as never;
  doc.notBySeniority = plan.notBySeniority;
  doc.issuer = plan.issuer as never;
  doc.verifyCode = await verifyCodeFor(doc._id);
  // The event is written before the status: a crash between them leaves an event whose handlers wait for the
  // status (RetryLater), never issued minutes that nobody mails.
  await recordEvent('minutes.issued', id, { meetingId: id }, now);
  let meeting: MeetingDoc;
  try {
    meeting = await deps.transition(doc);
  } catch (err) {
    const again = await deps.reload();
    if (again.status === 'issued') return issuedResult(again.toObject() as unknown as MeetingDoc, true);
    // Nothing was issued: free the claim so a retry need not wait for the takeover.
    await MeetingClaim.deleteOne({ _id: `issue:${id}` }).catch(() => undefined);
    throw err;
  }
  await createActionItems(meeting);
  // The PDF and the mail are the event's handlers; without a bus (the seed) drain() runs them.
  await ctx.events?.publish('minutes.issued', { meetingId: id });
  return issuedResult(meeting, false);
}

/** What an issued meeting answers to an issue request (the first one or any retry). */
export async function issuedResult(meeting: MeetingDoc, existing: boolean): Promise<IssueResult> {
  // A retry also finishes what a crash may have cut short after the status was saved.
  if (existing) await createActionItems(meeting);
  return { memoNumber: meeting.memoNumber!, issuedAt: meeting.issuedAt!, verifyCode: meeting.verifyCode!, status: 'issued', existing, meeting };
}

function randomCode(): string {
  // 12 characters of Crockford base32 (no I, L, O, U): 60 bits, easy to type from paper.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = crypto.randomBytes(12);
  return [...bytes].map((b) => alphabet[b % 32]).join('');
}

/**
 * The meeting's public verification code, one per meeting: the unique index on `meeting` lets one insert win
 * (a winner taken over after a crash may find its predecessor's), and the others read the winner's code.
 */
async function verifyCodeFor(meetingId: Types.ObjectId): Promise<string> {
  try {
    return (await VerifyCode.create({ _id: randomCode(), meeting: meetingId }))._id;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const held = await VerifyCode.findOne({ meeting: meetingId }).lean();
    if (!held) throw err;
    return held._id;
  }
}

/** Decisions of issued minutes become action items (same ids; a retry finds them already there). */
async function createActionItems(m: MeetingDoc): Promise<void> {
  const decisions = m.minutes?.decisions ?? [];
  if (!decisions.length) return;
  const docs = decisions.map((d, i) => ({
    _id: d._id,
    meeting: m._id,
    office: m.office,
    meetingSubject: m.subject,
    meetingDate: dhakaDateOf(m.startsAt),
    memoNumber: m.memoNumber,
    number: i + 1,
    text: d.text,
    implementers: d.implementers,
    deadline: d.deadline,
    initiatives: d.initiatives,
    status: 'open',
    updates: [],
    assignedUsers: (d.implementers ?? []).map((p) => p.user).filter(Boolean).map(String),
    assignedOffices: (d.implementers ?? []).map((p) => p.office).filter(Boolean).map(String),
    __v: 0,
    createdAt: m.issuedAt,
    updatedAt: m.issuedAt,
  }));
  try {
    await ActionItem.collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  // A raw insert passes the model's write hooks by: log the items for every instance's decisions listing (a
  // retry that creates them long after the issue would otherwise show only after a full reload).
  await recordChanges(DECISION_LOG, docs.map((d) => d._id));
}

/** Whether the meeting exists issued (used by handlers that must wait for the status). */
export async function issuedMeeting(meetingId: string): Promise<MeetingDoc | null> {
  const m = (await Meeting.findById(meetingId).lean()) as unknown as MeetingDoc | null;
  return m && m.status === 'issued' ? m : null;
}
