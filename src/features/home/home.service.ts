// What the home page shows each person: live lists from the features' own service functions (signing queue,
// decisions, meetings, initiatives with the stuck flag), filtered to what this person acts on.
import { dhakaDateOf, type Clock } from '../../lib/index.js';
import { ForbiddenError, NotFoundError } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/actor.js';
import { decide } from '../access/index.js';
import { initiativeReadModel, listQuerySchema, getInitiative, listInitiatives } from '../initiatives/index.js';
import { isOverdue, listDecisions, listMeetings, signingQueue, type ActionItemDoc, type MeetingDoc } from '../meetings/index.js';
import { officeTree } from '../offices/index.js';

/** How many rows a home-page card lists (the count says how many there are in all). */
export const CARD_ROWS = 8;
/** "Decisions due": open decisions whose deadline is within this many days (overdue ones included). */
export const DUE_WITHIN_DAYS = 14;

export interface PendingProposal {
  readonly id: string;
  readonly initiative: string;
  readonly title: string;
  readonly from: string;
  readonly to: string;
  readonly by: string | null;
  readonly at: Date;
}

/**
 * Stage moves waiting for a decision: `awaiting` those the actor may approve (their office subtree, as head),
 * `mine` those the actor proposed. Oldest first.
 */
export async function pendingProposals(actor: Actor, which: 'awaiting' | 'mine'): Promise<PendingProposal[]> {
  const tree = await officeTree();
  // From the in-process read model (each initiative keeps its pending proposal): no scan of the transitions.
  const out: PendingProposal[] = [];
  for (const s of await initiativeReadModel.all()) {
    const p = s.pending;
    // A proposal whose initiative has moved on is not waiting for anyone.
    if (!p || s.stage !== p.from) continue;
    const ok = which === 'mine' ? p.byId === actor.userId : decide(actor, 'initiative.decide', tree, { office: s.office }) === 'allow';
    if (!ok) continue;
    out.push({ id: p.id, initiative: s.id, title: s.title, from: p.from, to: p.to, by: p.byName ?? null, at: new Date(p.at) });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Minutes the innovation officer is working on: drafts and returned minutes of meetings they manage. */
export async function minutesInProgress(actor: Actor): Promise<MeetingDoc[]> {
  const tree = await officeTree();
  const { items } = await listMeetings(actor, { status: 'draft,returned', page: 1, pageSize: 1000 });
  return items.filter((m) => decide(actor, 'meeting.manage', tree, { office: String(m.office) }) === 'allow').sort((a, b) => (a.status === b.status ? a.startsAt.getTime() - b.startsAt.getTime() : a.status === 'returned' ? -1 : 1));
}

/** Minutes waiting for this actor's signature (the meetings feature's signing queue). */
export function minutesToSign(actor: Actor): Promise<MeetingDoc[]> {
  return signingQueue(actor);
}

const open = (d: Pick<ActionItemDoc, 'status'>) => d.status === 'open' || d.status === 'in_progress';

/** Overdue decisions the actor can see (their subtree, or assigned to them). */
export function overdueDecisions(actor: Actor, clock: Clock): Promise<ActionItemDoc[]> {
  return listDecisions(actor, clock, { overdue: true });
}

/** Open decisions due within DUE_WITHIN_DAYS days, overdue ones first. */
export async function decisionsDue(actor: Actor, clock: Clock): Promise<ActionItemDoc[]> {
  const until = dhakaDateOf(new Date(clock.now().getTime() + DUE_WITHIN_DAYS * 86_400_000));
  return (await listDecisions(actor, clock, {})).filter((d) => open(d) && !!d.deadline && d.deadline <= until);
}

/** Open decisions assigned to the actor (or their office). */
export async function myDecisions(actor: Actor, clock: Clock): Promise<ActionItemDoc[]> {
  return (await listDecisions(actor, clock, { mine: true })).filter(open);
}

/** Stuck pilots the actor can see: how many, and the first few. */
export async function stuckPilots(actor: Actor, now: Date, stuckMonths: number): Promise<{ total: number; items: { id: string; title: string; office: string }[] }> {
  const r = await listInitiatives(actor, listQuerySchema.parse({ stuck: 'true', sort: 'stage', order: 'asc', pageSize: CARD_ROWS }), now, stuckMonths);
  return { total: r.total, items: r.items.map((s) => ({ id: s.id, title: s.title, office: s.office })) };
}

/** Replication areas run by the actor (as the area's field officer). */
export async function myAreas(actor: Actor): Promise<{ initiative: string; title: string; area: string; status: string }[]> {
  const out: { initiative: string; title: string; area: string; status: string }[] = [];
  for (const s of await initiativeReadModel.all()) {
    if (!s.people.includes(actor.userId) || s.areasTotal === 0) continue;
    // An initiative gone from view since the read model was built is skipped; an engine error is not.
    const d = await getInitiative(actor, s.id).catch((err: unknown) => {
      if (err instanceof NotFoundError || err instanceof ForbiddenError) return undefined;
      throw err;
    });
    for (const a of d?.areas ?? []) if (a.fieldOfficer && String(a.fieldOfficer) === actor.userId) out.push({ initiative: s.id, title: s.title, area: a.nameBn, status: a.status });
    if (out.length >= 50) break;
  }
  return out;
}

export { isOverdue };
