// An in-process read model of initiative summaries, so lists, filters, counts and search do not read the
// whole collection per request (on the embedded engine every filter but {_id} does). The mechanism (load all
// once, catch up from the pruned change log initiative_changes, invalidated by a change marker) is the
// generic one of platform/db/read-model.ts; this file says what an initiative's summary holds.
import { Types } from 'mongoose';
import { searchKey } from '../../lib/index.js';
import { changeLog, recordChanges, sharedReadModel } from '../../platform/db/read-model.js';
import { Initiative, type Kind, type Stage } from './initiative.model.js';

export interface InitiativeSummary {
  readonly id: string;
  readonly title: string;
  readonly titleEn: string | undefined;
  readonly kind: Kind;
  readonly stage: Stage;
  readonly fiscalYear: string | undefined;
  readonly office: string;
  readonly lead: string | undefined;
  readonly people: readonly string[];
  readonly areaOffices: readonly string[];
  readonly areaCodes: readonly string[];
  readonly areasTotal: number;
  readonly areasLive: number;
  /** Replication areas by status (planned, orientation_held, running, live, stopped). */
  readonly areaStatuses: Readonly<Record<string, number>>;
  readonly stageEnteredAt: number;
  readonly lastDecisionAt: number | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly search: string;
  /** The proposal waiting for a head's decision, as kept on the initiative (home pages list these). */
  readonly pending: { readonly id: string; readonly from: Stage; readonly to: Stage; readonly byId: string | undefined; readonly byName: string | undefined; readonly at: number } | undefined;
}

const PROJECTION = { title: 1, titleEn: 1, kind: 1, stage: 1, fiscalYear: 1, office: 1, lead: 1, team: 1, areas: 1, stageEnteredAt: 1, lastDecisionAt: 1, createdAt: 1, updatedAt: 1, searchText: 1, pendingTransition: 1 } as const;

type Raw = Record<string, unknown> & { _id: Types.ObjectId };

function pendingOf(p: { id?: unknown; from?: Stage; to?: Stage; proposedBy?: { id?: unknown; name?: string }; proposedAt?: Date } | null | undefined): InitiativeSummary['pending'] {
  if (!p?.id || !p.from || !p.to) return undefined;
  return { id: String(p.id), from: p.from, to: p.to, byId: p.proposedBy?.id ? String(p.proposedBy.id) : undefined, byName: p.proposedBy?.name ?? undefined, at: p.proposedAt instanceof Date ? p.proposedAt.getTime() : 0 };
}

function summarise(d: Raw): InitiativeSummary {
  const areas = (d.areas as { office?: unknown; districtIso?: string; upazilaGeo?: string; status?: string; fieldOfficer?: unknown }[] | undefined) ?? [];
  const time = (v: unknown) => (v instanceof Date ? v.getTime() : undefined);
  return {
    id: String(d._id),
    title: String(d.title),
    titleEn: (d.titleEn as string | undefined) ?? undefined,
    kind: d.kind as Kind,
    stage: d.stage as Stage,
    fiscalYear: (d.fiscalYear as string | undefined) ?? undefined,
    office: String(d.office),
    lead: d.lead ? String(d.lead) : undefined,
    people: [...new Set([...(d.lead ? [String(d.lead)] : []), ...((d.team as unknown[] | undefined) ?? []).map(String), ...areas.filter((a) => a.fieldOfficer).map((a) => String(a.fieldOfficer))])],
    areaOffices: areas.filter((a) => a.office).map((a) => String(a.office)),
    areaCodes: areas.flatMap((a) => [a.districtIso, a.upazilaGeo].filter((c): c is string => !!c)),
    areasTotal: areas.length,
    areasLive: areas.filter((a) => a.status === 'live').length,
    areaStatuses: areas.reduce<Record<string, number>>((acc, a) => ((acc[a.status ?? 'planned'] = (acc[a.status ?? 'planned'] ?? 0) + 1), acc), {}),
    stageEnteredAt: time(d.stageEnteredAt) ?? 0,
    lastDecisionAt: time(d.lastDecisionAt),
    createdAt: time(d.createdAt) ?? 0,
    updatedAt: time(d.updatedAt) ?? 0,
    search: String(d.searchText ?? searchKey(String(d.title))),
    pending: pendingOf(d.pendingTransition as { id?: unknown; from?: Stage; to?: Stage; proposedBy?: { id?: unknown; name?: string }; proposedAt?: Date } | null | undefined),
  };
}

const LOG = changeLog('initiatives', 'initiative_changes', 'initiative');

const model = sharedReadModel<InitiativeSummary>({
  log: LOG,
  async loadAll() {
    const docs = (await Initiative.find({}, PROJECTION).lean()) as unknown as Raw[];
    return docs.map((d) => [String(d._id), summarise(d)] as const);
  },
  async loadOne(id) {
    const d = (await Initiative.findById(id, PROJECTION).lean()) as unknown as Raw | null;
    return d ? summarise(d) : undefined;
  },
});

export const initiativeReadModel = {
  /** Every initiative's summary (after catching up). */
  all: () => model.all(),
  /** One initiative's summary (after catching up), or undefined when there is none. */
  summary: (id: string) => model.get(id),
  /** Reflects this instance's own write at once (others see it within half a second). */
  refresh: (id: string) => model.refresh(id),
  /** Forgets everything (tests reset the database under it). */
  reset: () => model.reset(),
};

/** Records a change for every instance's read model (this one's sees it at once). */
export async function recordInitiativeChange(id: string | Types.ObjectId): Promise<void> {
  await recordChanges(LOG, [typeof id === 'string' ? new Types.ObjectId(id) : id]);
}
