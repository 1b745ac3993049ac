// The minutes of a meeting: draft → submitted → (returned → submitted …) → signed → issued.
// Signing freezes the content (SHA-256 of its canonical form); issuing claims a memo number, fixes the
// distribution and turns the decisions into action items. Nothing signed ever changes: corrections are a
// corrigendum, a new version with its own number that names the original.
import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { canonicalize } from 'json-canonicalize';
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../kernel/errors.js';
import { officeTree, type OfficeTree } from '../offices/index.js';
import { assertCan, permittedPosts } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { User } from '../users/index.js';
import type { Actor, Post } from '../../kernel/actor.js';
import { Meeting, MeetingClaim, type MeetingDoc, type MeetingStatus } from './meeting.model.js';
import { savedListEntries } from './distribution.service.js';
import { checkVersion, EDITABLE_STATUSES, load, loadFor, refuseIfFrozen, targetOf, wrongStatus, type Ctx, type Hydrated } from './meeting-guards.js';
import { parties } from './meeting-people.js';
import { issuedResult, issueOnce, type IssueResult } from './minutes-issue.js';
import { MEETING_CHANGED, MINUTES_CHANGED, saveWon } from './meeting-versions.js';
import type { IssueInput, MinutesInput } from './meeting.schemas.js';

export async function saveMinutes(ctx: Ctx, id: string, input: MinutesInput): Promise<MeetingDoc> {
  const doc = await loadFor(ctx, id, 'meeting.manage');
  await refuseIfFrozen(ctx, doc, 'minutes');
  checkVersion(doc, input.version);
  const items = input.items;
  const decisions = [];
  for (const [i, d] of input.decisions.entries()) {
    if (d.item !== undefined && d.item !== null && d.item >= items.length) {
      throw new ValidationError({ [`decisions.${i}.item`]: { bn: `আলোচ্য বিষয় ${d.item} নেই (আছে ${items.length}টি; গণনা ০ থেকে)।`, en: `There is no discussion item ${d.item} (there are ${items.length}; counted from 0).` } });
    }
    decisions.push({
      _id: d.id && doc.minutes?.decisions?.some((x) => String(x._id) === d.id) ? new Types.ObjectId(d.id) : new Types.ObjectId(),
      text: d.text,
      implementers: await parties(d.implementers, `decisions.${i}.implementers`),
      deadline: d.deadline ?? undefined,
      initiatives: d.initiatives.map((x) => new Types.ObjectId(x)),
      item: d.item ?? null,
    });
  }
  doc.minutes = { opening: input.opening, confirmation: input.confirmation, items, decisions, closing: input.closing } as never;
  await saveWon('meeting', doc, ['minutes'], MEETING_CHANGED);
  await recordAudit(ctx, { action: 'meeting.minutes', entity: { type: 'meeting', id, label: doc.subject, office: String(doc.office) }, version: doc.__v });
  return doc.toObject() as unknown as MeetingDoc;
}

// ---------------------------------------------------------------------------------------------- workflow

async function transition(ctx: Ctx, doc: Hydrated, to: MeetingStatus, action: string, comment?: string): Promise<MeetingDoc> {
  doc.status = to;
  doc.history.push({ status: to, at: ctx.clock.now(), by: { id: ctx.actor.userId, name: ctx.actor.nameBn }, comment } as never);
  await saveWon('meeting', doc, ['status'], MINUTES_CHANGED);
  await recordAudit(ctx, { action, entity: { type: 'meeting', id: String(doc._id), label: doc.subject, office: String(doc.office) }, note: comment, version: doc.__v });
  return doc.toObject() as unknown as MeetingDoc;
}

export async function submitMinutes(ctx: Ctx, id: string): Promise<MeetingDoc> {
  const doc = await loadFor(ctx, id, 'meeting.manage');
  if (!EDITABLE_STATUSES.includes(doc.status as MeetingStatus)) throw wrongStatus(doc.status, { bn: 'দাখিল করা', en: 'submitted' });
  const m = doc.minutes;
  if (!m || (!m.opening && !(m.items ?? []).length && !(m.decisions ?? []).length)) {
    throw new ValidationError({ minutes: { bn: 'দাখিলের আগে কার্যবিবরণী লিখুন (সূচনা, আলোচনা বা সিদ্ধান্ত)।', en: 'Write the minutes (opening, discussion or decisions) before submitting.' } });
  }
  return transition(ctx, doc, 'submitted', 'meeting.submit');
}

/**
 * The post with which the actor may sign: a head post over the meeting's office (own or acting charge), or,
 * when the chair is this user, their own post. Undefined: may not sign.
 */
export function signingPost(actor: Actor, doc: Pick<MeetingDoc, 'office' | 'chair'>, tree: OfficeTree): Post | undefined {
  const head = actor.posts.find((p) => p.roles.includes('head') && tree.contains(p.office, String(doc.office)));
  if (head) return head;
  if (doc.chair?.user && String(doc.chair.user) === actor.userId) return actor.posts[0];
  return undefined;
}

async function loadForSigner(ctx: Ctx, id: string): Promise<{ doc: Hydrated; post: Post | undefined; tree: OfficeTree }> {
  const doc = await load(id);
  const tree = await officeTree();
  assertCan(ctx.actor, 'meeting.read', tree, targetOf(doc));
  return { doc, post: signingPost(ctx.actor, doc, tree), tree };
}

const NOT_SIGNER: { bn: string; en: string } = {
  bn: 'এই কার্যবিবরণীতে স্বাক্ষর করতে পারেন সভার দপ্তর বা তার ঊর্ধ্বতন দপ্তরের প্রধান (চলতি দায়িত্বসহ) অথবা সভাপতি নিজে।',
  en: 'Only the head of the meeting’s office or an office above it (or one holding that post in acting charge), or the chair, may sign these minutes.',
};

export async function returnMinutes(ctx: Ctx, id: string, comment: string): Promise<MeetingDoc> {
  const { doc, post } = await loadForSigner(ctx, id);
  if (doc.status !== 'submitted') throw wrongStatus(doc.status, { bn: 'ফেরত পাঠানো', en: 'returned' });
  if (!post) throw new ForbiddenError(NOT_SIGNER);
  return transition(ctx, doc, 'returned', 'meeting.return', comment);
}

/** The content that signing freezes, in a canonical form (RFC 8785) whose SHA-256 is recorded. */
export function canonicalContent(d: MeetingDoc): string {
  const plain = JSON.parse(
    JSON.stringify({
      office: d.office,
      kind: d.kind,
      subject: d.subject,
      chair: d.chair,
      venue: d.venue,
      startsAt: d.startsAt,
      attendance: d.attendance,
      observers: d.observers,
      agendaItems: d.agendaItems,
      minutes: d.minutes,
      corrects: d.corrects ?? null,
    }),
  ) as unknown;
  return canonicalize(plain);
}

export function contentHashOf(d: MeetingDoc): string {
  return crypto.createHash('sha256').update(canonicalContent(d), 'utf8').digest('hex');
}

export async function signMinutes(ctx: Ctx, id: string): Promise<MeetingDoc> {
  const { doc, post, tree } = await loadForSigner(ctx, id);
  if (doc.status !== 'submitted') throw wrongStatus(doc.status, { bn: 'স্বাক্ষর করা', en: 'signed' });
  if (!post) throw new ForbiddenError(NOT_SIGNER);
  const now = ctx.clock.now();
  // The signer's name and designation as they are today (an acting charge says so).
  doc.signedBy = { id: ctx.actor.userId, name: ctx.actor.nameBn, designation: post.acting ? `${post.designationBn} (চলতি দায়িত্ব)` : post.designationBn, office: tree.get(post.office)?.nameBn ?? '' } as never;
  doc.signedAt = now;
  doc.contentHash = contentHashOf(doc.toObject() as unknown as MeetingDoc);
  return transition(ctx, doc, 'signed', 'meeting.sign');
}

export type { IssueResult } from './minutes-issue.js';

async function issuerStamp(ctx: Ctx, issuer: string | undefined, tree: OfficeTree): Promise<{ id: string; name: string; designation: string; office: string }> {
  if (!issuer || issuer === ctx.actor.userId) {
    const p = permittedPosts(ctx.actor, 'meeting.manage')[0] ?? ctx.actor.posts[0]!;
    return { id: ctx.actor.userId, name: ctx.actor.nameBn, designation: p.acting ? `${p.designationBn} (চলতি দায়িত্ব)` : p.designationBn, office: tree.get(p.office)?.nameBn ?? '' };
  }
  const u = await User.findById(asId(issuer), { nameBn: 1, designationBn: 1, office: 1 }).lean();
  if (!u) throw new ValidationError({ issuer: { bn: 'জারিকারী কর্মকর্তাকে পাওয়া যায়নি।', en: 'The issuing officer was not found.' } });
  return { id: String(u._id), name: u.nameBn, designation: u.designationBn, office: tree.get(String(u.office))?.nameBn ?? '' };
}

export async function issueMinutes(ctx: Ctx, id: string, input: IssueInput): Promise<IssueResult> {
  const doc = await loadFor(ctx, id, 'meeting.manage');
  // Already issued: the same answer as any retry, and nothing runs again.
  if (doc.status === 'issued') return issuedResult(doc.toObject() as unknown as MeetingDoc, true);
  if (doc.status !== 'signed') throw wrongStatus(doc.status, { bn: 'জারি করা', en: 'issued' });
  if (contentHashOf(doc.toObject() as unknown as MeetingDoc) !== doc.contentHash) {
    throw new ConflictError({ bn: 'স্বাক্ষরের পর কার্যবিবরণীর বিষয়বস্তু বদলেছে; জারি করা যাবে না।', en: 'The content changed after signing; it cannot be issued.' });
  }
  const tree = await officeTree();
  const { entries, notBySeniority } = await savedListEntries(ctx, tree, input);
  const distribution = (await parties(entries, 'distribution')).map((p, i) => ({ ...p, purpose: entries[i]!.purpose }));
  const issuer = await issuerStamp(ctx, input.issuer, tree);
  return issueOnce(ctx, doc, { register: input.register, distribution, notBySeniority: notBySeniority ?? false, issuer }, {
    transition: (d) => transition(ctx, d, 'issued', 'meeting.issue'),
    reload: () => load(id),
  });
}

/** A corrigendum: a new draft version of issued minutes, with its own number once issued, naming the original. */
/** A corrigendum claim older than this whose draft was never written is taken over (its request died). */
const CLAIM_TAKEOVER_MS = 60_000;

function corrigendumExists(meeting: unknown): ConflictError {
  return new ConflictError({ bn: 'এই কার্যবিবরণীর একটি সংশোধনী ইতিমধ্যে আছে; সেটিই সংশোধন করুন।', en: 'These minutes already have a corrigendum; correct that one.' }, { corrigendum: meeting ? String(meeting) : null });
}

export async function createCorrigendum(ctx: Ctx, id: string): Promise<MeetingDoc> {
  const orig = await loadFor(ctx, id, 'meeting.manage');
  if (orig.status !== 'issued') throw wrongStatus(orig.status, { bn: 'সংশোধনী করা', en: 'corrected' });
  const o = orig.toObject() as unknown as MeetingDoc;
  // Only one corrigendum per issued minutes, even for two clicks at the same moment: the claim is an insert
  // under a unique key. A claim whose draft was never written (a crash between the two) is finished now.
  const key = `corrigendum:${id}`;
  let newId = new Types.ObjectId();
  try {
    await MeetingClaim.create({ _id: key, meeting: newId, at: ctx.clock.now() });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const held = await MeetingClaim.findById(key).lean();
    // A fresh claim is another request still writing its draft; only an old one whose draft never appeared
    // is taken over.
    const abandoned = !!held && ctx.clock.now().getTime() - (held.at ? new Date(held.at).getTime() : 0) > CLAIM_TAKEOVER_MS && !(await Meeting.exists({ _id: held.meeting }));
    if (!held || !abandoned) throw corrigendumExists(held?.meeting);
    newId = held.meeting;
  }
  const now = ctx.clock.now();
  const doc = await new Meeting({
    _id: newId,
    office: o.office,
    kind: o.kind,
    subject: o.subject,
    chair: o.chair,
    venue: o.venue,
    startsAt: o.startsAt,
    durationMinutes: o.durationMinutes,
    series: o.series,
    previous: o.previous,
    agendaItems: o.agendaItems,
    attendance: o.attendance,
    observers: o.observers,
    // New decision ids: the corrigendum's decisions are its own action items.
    minutes: { ...o.minutes, decisions: (o.minutes?.decisions ?? []).map((d) => ({ ...d, _id: new Types.ObjectId() })) },
    corrects: o._id,
    status: 'draft',
    history: [{ status: 'draft', at: now, by: { id: ctx.actor.userId, name: ctx.actor.nameBn }, comment: `সংশোধনী: ${o.memoNumber}` }],
    searchText: o.searchText,
    createdBy: { id: ctx.actor.userId, name: ctx.actor.nameBn },
  })
    .save()
    .catch((err: unknown) => {
      // Two requests taking over the same abandoned claim: the draft's _id lets only one write it.
      throw (err as { code?: number }).code === 11000 ? corrigendumExists(newId) : err;
    });
  await Meeting.updateOne({ _id: o._id }, { $set: { correctedBy: doc._id } });
  await recordAudit(ctx, { action: 'meeting.corrigendum', entity: { type: 'meeting', id: String(doc._id), label: doc.subject, office: String(doc.office) }, note: `corrects ${o.memoNumber}` });
  return doc.toObject() as unknown as MeetingDoc;
}
