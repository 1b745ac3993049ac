// What every meeting step shares: the request context, loading a meeting with its access checks, and the
// refusals (wrong status, signed content frozen, stale version).
import mongoose from 'mongoose';
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { ConflictError, NotFoundError } from '../../kernel/errors.js';
import { officeTree } from '../offices/index.js';
import { assertCan, type Target } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../../kernel/actor.js';
import type { RequestContext } from '../../kernel/context.js';
import { Meeting, type MeetingDoc, type MeetingStatus } from './meeting.model.js';
import type { MeetingEventBus } from './meeting.event-types.js';
import { MEETING_CHANGED } from './meeting-versions.js';

/** A request's context; `events` is the app's bus (absent in the seed: durable events then wait for drain()). */
export type Ctx = RequestContext & { actor: Actor; events?: MeetingEventBus | undefined };
export type Hydrated = mongoose.HydratedDocument<MeetingDoc>;

export const EDITABLE_STATUSES: readonly MeetingStatus[] = ['draft', 'returned'];
const STATUS_BN: Record<MeetingStatus, string> = { draft: 'খসড়া', submitted: 'স্বাক্ষরের জন্য দাখিলকৃত', returned: 'ফেরত', signed: 'স্বাক্ষরিত', issued: 'জারিকৃত' };
const STATUS_EN: Record<MeetingStatus, string> = { draft: 'draft', submitted: 'submitted for signature', returned: 'returned', signed: 'signed', issued: 'issued' };

export function wrongStatus(status: string, action: { bn: string; en: string }): ConflictError {
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

export async function load(id: string): Promise<Hydrated> {
  const doc = await Meeting.findById(asId(id));
  if (!doc) throw new NotFoundError();
  return doc as unknown as Hydrated;
}

export async function loadFor(ctx: Ctx, id: string, action: 'meeting.manage' | 'meeting.read'): Promise<Hydrated> {
  const doc = await load(id);
  const tree = await officeTree();
  assertCan(ctx.actor, 'meeting.read', tree, targetOf(doc));
  if (action !== 'meeting.read') assertCan(ctx.actor, action, tree, { office: String(doc.office) });
  return doc;
}

/** Signed content never changes: every attempt is refused (409) and the attempt is audited. */
export async function refuseIfFrozen(ctx: Ctx, doc: Hydrated, what: string): Promise<void> {
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

export function checkVersion(doc: Hydrated, version: number | undefined): void {
  if (version !== undefined && version !== doc.__v) {
    throw new ConflictError(MEETING_CHANGED, { version: doc.__v });
  }
}
