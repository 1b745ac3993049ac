// Meetings: scheduling (create), editing the details while the minutes are a draft, and the meeting notice.
// The minutes and their workflow are in minutes.service.ts, decisions (action items) in decisions.service.ts,
// saved distribution lists in distribution.service.ts; listings come from meeting.read-model.ts.
import { Types } from 'mongoose';
import { searchKey } from '../../lib/index.js';
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.js';
import { officeTree } from '../offices/index.js';
import { assertCan, permittedPosts } from '../access/index.js';
import { claimForDocument } from '../memo-numbers/index.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../../kernel/actor.js';
import { Meeting, type MeetingDoc } from './meeting.model.js';
import { checkVersion, loadFor, refuseIfFrozen, targetOf, wrongStatus, type Ctx } from './meeting-guards.js';
import { plannedMove } from './meeting-move.js';
import { chairOf, parties, people } from './meeting-people.js';
import { claimThenSave, MEETING_CHANGED, saveWon } from './meeting-versions.js';
import type { CreateMeetingInput, DistributionInput, UpdateMeetingInput } from './meeting.schemas.js';

/** A meeting the actor may see (404 otherwise). */
export async function getMeeting(actor: Actor, id: string): Promise<MeetingDoc> {
  const doc = (await Meeting.findById(asId(id)).lean()) as unknown as MeetingDoc | null;
  if (!doc) throw new NotFoundError();
  assertCan(actor, 'meeting.read', await officeTree(), targetOf(doc));
  return doc;
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
