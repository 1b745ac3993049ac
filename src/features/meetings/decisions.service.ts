// Decisions of issued minutes as action items: who must act, by when, and their progress updates.
import type { Types } from 'mongoose';
import { dhakaDateOf, type Clock } from '../../lib/index.js';
import { findByIds, idOrNotFound as asId } from '../../platform/db/ids.js';
import { ConflictError, NotFoundError } from '../../kernel/errors.js';
import { officeTree } from '../offices/index.js';
import { assertCan, type Target } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../../kernel/actor.js';
import { ActionItem, Meeting, type ActionItemDoc, type MeetingDoc } from './meeting.model.js';
import type { Ctx } from './meeting-guards.js';
import { saveWon } from './meeting-versions.js';

export async function actionItemsOf(meetingId: Types.ObjectId | null | undefined): Promise<ActionItemDoc[]> {
  if (!meetingId) return [];
  const m = (await Meeting.findById(meetingId, { minutes: 1 }).lean()) as unknown as MeetingDoc | null;
  const ids = (m?.minutes?.decisions ?? []).map((d) => d._id);
  if (!ids.length) return [];
  const items = await findByIds<ActionItemDoc>(ActionItem, ids);
  return items.sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
}

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
