// Listings of meetings, decisions (action items) and saved distribution lists, served from in-process read
// models (platform/db/read-model.ts) instead of a scan of the collection per request: each is loaded once,
// then kept current from its change log, which every write through the models fills (meeting.model.ts).
import { dhakaDateOf, type Clock } from '../../lib/index.js';
import { sharedReadModel, type ReadModel } from '../../platform/db/read-model.js';
import type { Actor } from '../../kernel/actor.js';
import { decide, scopeOffices, type Target } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import { ActionItem, DECISION_LOG, DISTRIBUTION_LIST_LOG, DistributionList, MEETING_LOG, Meeting, type ActionItemDoc, type DistributionListDoc, type MeetingDoc } from './meeting.model.js';
import { isOverdue } from './decisions.service.js';
import { targetOf } from './meeting-guards.js';
import { signingPost } from './minutes.service.js';

/** What a meeting listing needs: everything but the minutes and the history (as the scan it replaces read). */
const MEETING_PROJECTION = { minutes: 0, history: 0 } as const;

function leanSource<T>(model: { find(f: object, p?: object): { lean(): PromiseLike<unknown> }; findById(id: string, p?: object): { lean(): PromiseLike<unknown> } }, projection?: object) {
  return {
    async loadAll(): Promise<(readonly [string, T])[]> {
      const docs = (await model.find({}, projection).lean()) as (T & { _id: unknown })[];
      return docs.map((d) => [String(d._id), d] as const);
    },
    async loadOne(id: string): Promise<T | undefined> {
      if (!/^[0-9a-f]{24}$/i.test(id)) return undefined;
      return ((await model.findById(id, projection).lean()) as T | null) ?? undefined;
    },
  };
}

const meetings = (): ReadModel<MeetingDoc> => sharedReadModel<MeetingDoc>({ log: MEETING_LOG, ...leanSource<MeetingDoc>(Meeting, MEETING_PROJECTION) });
const decisions = (): ReadModel<ActionItemDoc> => sharedReadModel<ActionItemDoc>({ log: DECISION_LOG, ...leanSource<ActionItemDoc>(ActionItem) });
const distributionLists = (): ReadModel<DistributionListDoc> => sharedReadModel<DistributionListDoc>({ log: DISTRIBUTION_LIST_LOG, ...leanSource<DistributionListDoc>(DistributionList) });

function decisionTarget(d: Pick<ActionItemDoc, 'office' | 'assignedUsers' | 'assignedOffices'>): Target {
  return { office: String(d.office), assignedUsers: d.assignedUsers ?? [], assignedOffices: d.assignedOffices ?? [] };
}

export async function listMeetings(actor: Actor, q: { office?: string | undefined; status?: string | undefined; from?: string | undefined; to?: string | undefined; page: number; pageSize: number }): Promise<{ items: MeetingDoc[]; total: number }> {
  const tree = await officeTree();
  const scope = scopeOffices(actor, 'meeting.read', tree);
  const statuses = q.status ? q.status.split(',') : undefined;
  const visible: MeetingDoc[] = [];
  for (const m of await meetings().all()) {
    if (!(scope.has(String(m.office)) || targetOf(m).assignedUsers!.includes(actor.userId))) continue;
    if (q.office && !tree.contains(q.office, String(m.office))) continue;
    if (statuses && !statuses.includes(m.status)) continue;
    if (q.from || q.to) {
      const day = dhakaDateOf(m.startsAt);
      if (q.from && day < q.from) continue;
      if (q.to && day > q.to) continue;
    }
    visible.push(m);
  }
  // Ties (same start) keep a fixed order, so pages do not overlap.
  visible.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime() || String(b._id).localeCompare(String(a._id)));
  return { items: visible.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: visible.length };
}

/** Minutes waiting for this actor's signature, oldest meeting first. */
export async function signingQueue(actor: Actor): Promise<MeetingDoc[]> {
  const tree = await officeTree();
  const out: MeetingDoc[] = [];
  for (const m of await meetings().all()) if (m.status === 'submitted' && signingPost(actor, m, tree)) out.push(m);
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || String(a._id).localeCompare(String(b._id)));
}

export async function listDecisions(actor: Actor, clock: Clock, q: { status?: string | undefined; overdue?: boolean; office?: string | undefined; user?: string | undefined; mine?: boolean }): Promise<ActionItemDoc[]> {
  const tree = await officeTree();
  const out: ActionItemDoc[] = [];
  for (const d of await decisions().all()) {
    if (q.status && d.status !== q.status) continue;
    if (q.overdue && !isOverdue(d, clock)) continue;
    if (q.office && !(tree.contains(q.office, String(d.office)) || (d.assignedOffices ?? []).some((o) => tree.contains(q.office!, o)))) continue;
    if (q.user && !(d.assignedUsers ?? []).includes(q.user)) continue;
    if (q.mine && !((d.assignedUsers ?? []).includes(actor.userId) || (d.assignedOffices ?? []).some((o) => actor.posts.some((p) => p.office === o)))) continue;
    if (decide(actor, 'decision.read', tree, decisionTarget(d)) !== 'allow') continue;
    out.push(d);
  }
  // Equal deadlines keep a fixed order (by id: a meeting's decisions in their order in the minutes).
  return out.sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || String(a._id).localeCompare(String(b._id)));
}

export async function listDistributionLists(actor: Actor): Promise<DistributionListDoc[]> {
  const tree = await officeTree();
  const scope = scopeOffices(actor, 'meeting.read', tree);
  const all = [...(await distributionLists().all())].sort((a, b) => String(a._id).localeCompare(String(b._id)));
  // Lists of the actor's offices and of offices above them (a head office's list serves its branches).
  return all.filter((l) => scope.has(String(l.office)) || actor.posts.some((p) => tree.contains(String(l.office), p.office)));
}
