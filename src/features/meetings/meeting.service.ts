// Meetings and their minutes: draft → submitted → (returned → submitted …) → signed → issued.
// Signing freezes the content (SHA-256 of its canonical form); issuing claims a memo number, fixes the
// distribution and turns the decisions into action items. Nothing signed ever changes: corrections are a
// corrigendum, a new version with its own number that names the original.
import crypto from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { canonicalize } from 'json-canonicalize';
import { dhakaDateOf, searchKey, type Clock } from '../../lib/index.js';
import { findByIds, idOrNotFound as asId } from '../../platform/db/ids.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import type { Actor, Post } from '../access/actor.js';
import { assertCan, decide, permittedPosts, type Target } from '../access/policy.js';
import { recordAudit, type RequestContext } from '../audit/audit.service.js';
import { claimForDocument } from '../memo-numbers/memo.service.js';
import { officeTree, type OfficeTree } from '../offices/office-tree.js';
import { User } from '../users/user.model.js';
import { ActionItem, DistributionList, Meeting, MeetingClaim, type ActionItemDoc, type MeetingDoc, type MeetingStatus } from './meeting.model.js';
import type { MeetingEventBus } from './meeting.events.js';
import { plannedMove } from './meeting-move.js';
import { issuedResult, issueOnce, type IssueResult } from './minutes-issue.js';
import { claimThenSave, MEETING_CHANGED, MINUTES_CHANGED, saveWon } from './meeting-versions.js';
import type { CreateMeetingInput, DistributionInput, IssueInput, MinutesInput, PartyInput, PersonInput, UpdateMeetingInput } from './meeting.schemas.js';

/** A request's context; `events` is the app's bus (absent in the seed: durable events then wait for drain()). */
export type Ctx = RequestContext & { actor: Actor; events?: MeetingEventBus | undefined };
type Hydrated = mongoose.HydratedDocument<MeetingDoc>;

const EDITABLE_STATUSES: readonly MeetingStatus[] = ['draft', 'returned'];
const STATUS_BN: Record<MeetingStatus, string> = { draft: 'খসড়া', submitted: 'স্বাক্ষরের জন্য দাখিলকৃত', returned: 'ফেরত', signed: 'স্বাক্ষরিত', issued: 'জারিকৃত' };
const STATUS_EN: Record<MeetingStatus, string> = { draft: 'draft', submitted: 'submitted for signature', returned: 'returned', signed: 'signed', issued: 'issued' };


function wrongStatus(status: string, action: { bn: string; en: string }): ConflictError {
  return new ConflictError(
    { bn: `কার্যবিবরণী এখন "${STATUS_BN[status as MeetingStatus] ?? status}" অবস্থায়; ${action.bn} যায় না।`, en: `The minutes are ${STATUS_EN[status as MeetingStatus] ?? status}; they cannot be ${action.en} now.` },
    { status },
  );
}

/** Who may reach a meeting beyond its office subtree: its chair and the users in its attendance. */
export function targetOf(d: Pick<MeetingDoc, 'office' | 'chair' | 'attendance' | 'observers'>): Target {
  return {
    office: String(d.office),
    assignedUsers: [d.chair?.user, ...(d.attendance ?? []).map((a) => a.user), ...(d.observers ?? []).map((a) => a.user)].filter(Boolean).map(String),
  };
}

async function load(id: string): Promise<Hydrated> {
  const doc = await Meeting.findById(asId(id));
  if (!doc) throw new NotFoundError();
  return doc as unknown as Hydrated;
}

/** A meeting the actor may see (404 otherwise). */
export async function getMeeting(actor: Actor, id: string): Promise<MeetingDoc> {
  const doc = (await Meeting.findById(asId(id)).lean()) as unknown as MeetingDoc | null;
  if (!doc) throw new NotFoundError();
  assertCan(actor, 'meeting.read', await officeTree(), targetOf(doc));
  return doc;
}

async function loadFor(ctx: Ctx, id: string, action: 'meeting.manage' | 'meeting.read'): Promise<Hydrated> {
  const doc = await load(id);
  const tree = await officeTree();
  assertCan(ctx.actor, 'meeting.read', tree, targetOf(doc));
  if (action !== 'meeting.read') assertCan(ctx.actor, action, tree, { office: String(doc.office) });
  return doc;
}

// ---------------------------------------------------------------------------------------------- people

async function userCards(ids: string[]): Promise<Map<string, { name: string; designation: string; office: string; email?: string | null }>> {
  const out = new Map<string, { name: string; designation: string; office: string; email?: string | null }>();
  const unique = [...new Set(ids)].filter((id) => /^[0-9a-f]{24}$/i.test(id));
  if (!unique.length) return out;
  const tree = await officeTree();
  const users = await findByIds<{ _id: Types.ObjectId; nameBn: string; designationBn: string; office: Types.ObjectId; email?: string | null }>(User, unique, { nameBn: 1, designationBn: 1, office: 1, email: 1 });
  for (const u of users) out.set(String(u._id), { name: u.nameBn, designation: u.designationBn, office: tree.get(String(u.office))?.nameBn ?? '', email: u.email ?? null });
  return out;
}

async function people(input: PersonInput[]): Promise<{ user: Types.ObjectId | null; name: string; designation: string; office: string; present: boolean; reason?: string | undefined }[]> {
  const cards = await userCards(input.map((p) => p.user).filter((u): u is string => !!u));
  return input.map((p, i) => {
    const card = p.user ? cards.get(p.user) : undefined;
    if (p.user && !card) throw new ValidationError({ [`attendance.${i}.user`]: { bn: 'ব্যবহারকারীকে পাওয়া যায়নি।', en: 'User not found.' } });
    return {
      user: p.user ? new Types.ObjectId(p.user) : null,
      name: p.name ?? card!.name,
      designation: p.designation ?? card?.designation ?? '',
      office: p.office ?? card?.office ?? '',
      present: p.present,
      reason: p.present ? undefined : p.reason,
    };
  });
}

/** Implementers and recipients as stored: a user or office is kept with the text that prints for it. */
async function parties(input: (PartyInput | DistributionInput)[], field: string): Promise<{ user: Types.ObjectId | null; office: Types.ObjectId | null; text: string }[]> {
  const tree = await officeTree();
  const cards = await userCards(input.map((p) => ('user' in p ? p.user : undefined)).filter((u): u is string => !!u));
  return input.map((p, i) => {
    const user = 'user' in p && p.user ? p.user : undefined;
    const office = 'office' in p && p.office ? p.office : undefined;
    const given = 'text' in p ? p.text : undefined;
    if (user) {
      const card = cards.get(user);
      if (!card) throw new ValidationError({ [`${field}.${i}`]: { bn: 'ব্যবহারকারীকে পাওয়া যায়নি।', en: 'User not found.' } });
      return { user: new Types.ObjectId(user), office: null, text: given ?? [card.designation, card.office].filter(Boolean).join(', ') };
    }
    if (office) {
      const node = tree.get(office);
      if (!node) throw new ValidationError({ [`${field}.${i}`]: { bn: 'দপ্তরটি পাওয়া যায়নি।', en: 'Office not found.' } });
      return { user: null, office: new Types.ObjectId(office), text: given ?? node.nameBn };
    }
    return { user: null, office: null, text: given! };
  });
}

async function chairOf(input: CreateMeetingInput['chair']): Promise<{ user: Types.ObjectId | null; name?: string; designation?: string; text: string }> {
  if ('user' in input) {
    const card = (await userCards([input.user])).get(input.user);
    if (!card) throw new ValidationError({ chair: { bn: 'সভাপতিকে পাওয়া যায়নি।', en: 'The chair was not found.' } });
    const designation = input.designation ?? card.designation;
    return { user: new Types.ObjectId(input.user), name: card.name, designation, text: [designation, card.office].filter(Boolean).join(', ') };
  }
  return { user: null, name: input.name, designation: input.designation, text: input.text };
}

// ---------------------------------------------------------------------------------------------- series

/** The latest earlier meeting of the same series (corrigenda are versions, not meetings). */
async function previousOf(series: string, startsAt: Date, self?: Types.ObjectId): Promise<Types.ObjectId | null> {
  const all = (await Meeting.find({ series }, { startsAt: 1, corrects: 1 }).lean()) as unknown as { _id: Types.ObjectId; startsAt: Date; corrects: unknown }[];
  const earlier = all.filter((m) => !m.corrects && m.startsAt < startsAt && (!self || !m._id.equals(self))).sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  return earlier[0]?._id ?? null;
}

function searchTextOf(d: { subject?: string | null; venue?: string | null }): string {
  return searchKey([d.subject, d.venue].filter(Boolean).join(' '));
}

// ---------------------------------------------------------------------------------------------- create / edit

export async function createMeeting(ctx: Ctx, input: CreateMeetingInput): Promise<MeetingDoc> {
  const tree = await officeTree();
  const office = input.office ?? permittedPosts(ctx.actor, 'meeting.manage')[0]?.office;
  if (!office) throw new ForbiddenError();
  if (!tree.get(office)) throw new ValidationError({ office: { bn: 'দপ্তরটি পাওয়া যায়নি।', en: 'The office was not found.' } });
  assertCan(ctx.actor, 'meeting.manage', tree, { office });
  const series = input.series ?? `${office}:${input.kind}`;
  const now = ctx.clock.now();
  const doc = await new Meeting({
    office,
    kind: input.kind,
    subject: input.subject,
    chair: await chairOf(input.chair),
    venue: input.venue,
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes ?? 120,
    series,
    previous: await previousOf(series, input.startsAt),
    agendaItems: input.agendaItems,
    attendance: await people(input.attendance),
    observers: await people(input.observers),
    status: 'draft',
    history: [{ status: 'draft', at: now, by: { id: ctx.actor.userId, name: ctx.actor.nameBn } }],
    searchText: searchTextOf(input),
    createdBy: { id: ctx.actor.userId, name: ctx.actor.nameBn },
  }).save();
  await recordAudit(ctx, { action: 'meeting.create', entity: { type: 'meeting', id: String(doc._id), label: doc.subject, office }, version: doc.__v });
  return doc.toObject() as unknown as MeetingDoc;
}

/** Signed content never changes: every attempt is refused (409) and the attempt is audited. */
async function refuseIfFrozen(ctx: Ctx, doc: Hydrated, what: string): Promise<void> {
  if (EDITABLE_STATUSES.includes(doc.status as MeetingStatus)) return;
  if (doc.status === 'signed' || doc.status === 'issued') {
    await recordAudit(ctx, { action: 'meeting.edit-refused', entity: { type: 'meeting', id: String(doc._id), label: doc.subject, office: String(doc.office) }, note: what });
    throw new ConflictError(
      { bn: 'স্বাক্ষরিত কার্যবিবরণী আর পরিবর্তন করা যায় না। সংশোধনের জন্য সংশোধনী (corrigendum) জারি করুন।', en: 'Signed minutes cannot be changed. Issue a corrigendum to correct them.' },
      { status: doc.status },
    );
  }
  throw wrongStatus(doc.status, { bn: 'সম্পাদনা করা', en: 'edited' });
}

function checkVersion(doc: Hydrated, version: number | undefined): void {
  if (version !== undefined && version !== doc.__v) {
    throw new ConflictError(MEETING_CHANGED, { version: doc.__v });
  }
}

export async function updateMeeting(ctx: Ctx, id: string, input: UpdateMeetingInput): Promise<MeetingDoc> {
  const doc = await loadFor(ctx, id, 'meeting.manage');
  await refuseIfFrozen(ctx, doc, 'details');
  checkVersion(doc, input.version);
  const before = { startsAt: doc.startsAt.getTime(), venue: doc.venue, office: String(doc.office) };
  const move = input.office ? await plannedMove(ctx.actor, doc, { office: input.office, kind: input.kind, series: input.series }) : undefined;
  if (move) {
    doc.office = new Types.ObjectId(move.office) as never;
    doc.series = move.series;
  }
  if (input.kind) doc.kind = input.kind;
  if (input.subject) doc.subject = input.subject;
  if (input.chair) doc.chair = (await chairOf(input.chair)) as never;
  if (input.venue !== undefined) doc.venue = input.venue;
  if (input.startsAt) doc.startsAt = input.startsAt;
  if (input.durationMinutes) doc.durationMinutes = input.durationMinutes;
  if (input.series && !move) doc.series = input.series;
  if (input.attendance) doc.attendance = (await people(input.attendance)) as never;
  if (input.observers) doc.observers = (await people(input.observers)) as never;
  if (input.agendaItems) doc.agendaItems = input.agendaItems as never;
  if (input.startsAt || input.series || move) doc.previous = await previousOf(doc.series, doc.startsAt, doc._id);
  doc.searchText = searchTextOf(doc);
  // Attendees already invited get the change (same UID, next sequence), in the same versioned write.
  const reNotice = !!doc.notice?.memoNumber && (before.startsAt !== doc.startsAt.getTime() || before.venue !== doc.venue);
  if (reNotice) doc.set('notice.sequence', (doc.notice!.sequence ?? 0) + 1);
  const changed = Object.entries(input).flatMap(([k, v]) => (k !== 'version' && v !== undefined ? [k] : []));
  await saveWon('meeting', doc, changed, MEETING_CHANGED);
  await recordAudit(ctx, { action: 'meeting.edit', entity: { type: 'meeting', id, label: doc.subject, office: String(doc.office) }, changes: move ? [{ field: 'office', before: before.office, after: move.office }] : [], version: doc.__v });
  const out = doc.toObject() as unknown as MeetingDoc;
  if (reNotice) await ctx.events?.publish('meeting.noticeChanged', { meetingId: id, method: 'REQUEST' });
  return out;
}

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
  let entries: DistributionInput[] = input.distribution;
  let notBySeniority = input.notBySeniority;
  if (input.distributionList) {
    const list = await DistributionList.findById(asId(input.distributionList)).lean();
    if (!list || decide(ctx.actor, 'meeting.read', tree, { office: String(list.office) }) !== 'allow') throw new ValidationError({ distributionList: { bn: 'বিতরণ তালিকাটি পাওয়া যায়নি।', en: 'The distribution list was not found.' } });
    entries = [...list.entries.map((e) => (e.user ? { user: String(e.user), purpose: e.purpose, text: e.text } : e.office ? { office: String(e.office), purpose: e.purpose, text: e.text } : { text: e.text, purpose: e.purpose })), ...entries] as DistributionInput[];
    notBySeniority ??= list.notBySeniority ?? false;
  }
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

/** The meeting notice (সভার নোটিশ): a letter with its own memo number and distribution, sent with an invitation. */
export async function issueNotice(ctx: Ctx, id: string, input: { distribution: DistributionInput[]; register?: string | undefined }): Promise<MeetingDoc> {
  const doc = await loadFor(ctx, id, 'meeting.manage');
  if (doc.status === 'issued' || doc.status === 'signed') throw wrongStatus(doc.status, { bn: 'নোটিশ জারি করা', en: 'noticed' });
  const distribution = (await parties(input.distribution, 'distribution')).map((p, i) => ({ ...p, purpose: input.distribution[i]!.purpose }));
  const sequence = doc.notice?.memoNumber ? (doc.notice.sequence ?? 0) + 1 : 0;
  // The version is claimed before the number: a request that loses to a move (or another notice) uses none up.
  const claimed = await claimThenSave(doc, ['notice'], MEETING_CHANGED, async () => {
    const c = await claimForDocument(ctx, { office: String(doc.office), register: input.register, documentKey: `notice:${id}`, document: { kind: 'notice', id, label: `সভার নোটিশ: ${doc.subject}` } });
    doc.notice = { memoNumber: c.number, issuedAt: c.issuedAt, distribution, sequence } as never;
    return c;
  });
  await recordAudit(ctx, { action: 'meeting.notice', entity: { type: 'meeting', id, label: claimed.number, office: String(doc.office) }, version: doc.__v });
  const out = doc.toObject() as unknown as MeetingDoc;
  await ctx.events?.publish('meeting.noticeChanged', { meetingId: id, method: 'REQUEST' });
  return out;
}

// ---------------------------------------------------------------------------------------------- lists

// Listings come from in-process read models, not a scan per request.
export { listDecisions, listDistributionLists, listMeetings, signingQueue } from './meeting.read-model.js';

export async function actionItemsOf(meetingId: Types.ObjectId | null | undefined): Promise<ActionItemDoc[]> {
  if (!meetingId) return [];
  const m = (await Meeting.findById(meetingId, { minutes: 1 }).lean()) as unknown as MeetingDoc | null;
  const ids = (m?.minutes?.decisions ?? []).map((d) => d._id);
  if (!ids.length) return [];
  const items = await findByIds<ActionItemDoc>(ActionItem, ids);
  return items.sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
}

// ---------------------------------------------------------------------------------------------- decisions

function decisionTarget(d: ActionItemDoc): Target {
  return { office: String(d.office), assignedUsers: d.assignedUsers ?? [], assignedOffices: d.assignedOffices ?? [] };
}

export function isOverdue(d: Pick<ActionItemDoc, 'deadline' | 'status'>, clock: Clock): boolean {
  return !!d.deadline && (d.status === 'open' || d.status === 'in_progress') && d.deadline < dhakaDateOf(clock.now());
}

export async function getDecision(actor: Actor, id: string): Promise<ActionItemDoc> {
  const d = (await ActionItem.findById(asId(id)).lean()) as unknown as ActionItemDoc | null;
  if (!d) throw new NotFoundError();
  assertCan(actor, 'decision.read', await officeTree(), decisionTarget(d));
  return d;
}

export async function updateDecision(ctx: Ctx, id: string, input: { status?: ActionItemDoc['status'] | undefined; update?: string | undefined; version?: number | undefined }): Promise<ActionItemDoc> {
  const d = await ActionItem.findById(asId(id));
  if (!d) throw new NotFoundError();
  const tree = await officeTree();
  assertCan(ctx.actor, 'decision.read', tree, decisionTarget(d as unknown as ActionItemDoc));
  assertCan(ctx.actor, 'decision.update', tree, decisionTarget(d as unknown as ActionItemDoc));
  if (input.version !== undefined && input.version !== d.__v) throw new ConflictError(undefined, { version: d.__v });
  const before = d.status;
  if (input.status) d.status = input.status;
  d.updates.push({ at: ctx.clock.now(), by: { id: ctx.actor.userId, name: ctx.actor.nameBn }, status: d.status, text: input.update } as never);
  await saveWon('decision', d, ['status', 'updates']);
  await recordAudit(ctx, { action: 'decision.update', entity: { type: 'decision', id, label: d.text.slice(0, 80), office: String(d.office) }, changes: before !== d.status ? [{ field: 'status', before, after: d.status }] : [], note: input.update, version: d.__v });
  return d.toObject() as unknown as ActionItemDoc;
}

// ---------------------------------------------------------------------------------------------- saved distribution lists

export async function createDistributionList(ctx: Ctx, input: { office?: string | undefined; name: string; entries: DistributionInput[]; notBySeniority: boolean }) {
  const tree = await officeTree();
  const office = input.office ?? permittedPosts(ctx.actor, 'meeting.manage')[0]?.office;
  if (!office) throw new ForbiddenError();
  assertCan(ctx.actor, 'meeting.manage', tree, { office });
  const entries = (await parties(input.entries, 'entries')).map((p, i) => ({ ...p, purpose: input.entries[i]!.purpose }));
  const doc = await DistributionList.create({ office, name: input.name, entries, notBySeniority: input.notBySeniority, createdBy: { id: ctx.actor.userId, name: ctx.actor.nameBn } });
  return doc.toObject();
}
