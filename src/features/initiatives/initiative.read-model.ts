// An in-process read model of initiative summaries, so lists, filters, counts and search do not read the
// whole collection per request (on the embedded engine every filter but {_id} does). Every write inserts a
// row in initiative_changes; each instance catches up from that small, pruned log at most every 500 ms and
// re-reads only the changed initiatives by _id. An instance idle for longer than the log keeps reloads all.
import { Types } from 'mongoose';
import { searchKey } from '../../lib/index.js';
import { Initiative, InitiativeChange, type Kind, type Stage } from './initiative.model.js';

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

const CHECK_EVERY_MS = 500;
/** How far behind the newest applied change each catch-up looks again (see applyChanges). */
const OVERLAP_MS = 10_000;
/** Changes older than this are deleted; an instance that has not caught up for this long reloads all. */
export const CHANGE_LOG_KEEP_MS = 15 * 60_000;

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

class ReadModel {
  private byId = new Map<string, InitiativeSummary>();
  private loaded = false;
  /** Time (ms) of the newest change applied; catch-up re-reads from OVERLAP_MS before it. */
  private lastChangeAt: number | undefined;
  /** Changes already applied within the overlap window (id → time), so each is applied once. */
  private applied = new Map<string, number>();
  private checkedAt = 0;
  private pending: Promise<void> | undefined;

  async all(): Promise<Iterable<InitiativeSummary>> {
    await this.catchUp();
    return this.byId.values();
  }

  /** One initiative's summary (after catching up), or undefined when there is none. */
  async summary(id: string): Promise<InitiativeSummary | undefined> {
    await this.catchUp();
    return this.byId.get(id);
  }

  /** Reflects this instance's own write at once (others see it within CHECK_EVERY_MS). */
  async refresh(id: string): Promise<void> {
    await this.reloadOne(id);
  }

  /** Forgets everything (tests reset the database under it). */
  reset(): void {
    this.byId = new Map();
    this.loaded = false;
    this.lastChangeAt = undefined;
    this.applied = new Map();
    this.checkedAt = 0;
  }

  private async catchUp(): Promise<void> {
    const now = Date.now();
    if (this.loaded && now - this.checkedAt < CHECK_EVERY_MS) return;
    this.pending ??= (async () => {
      try {
        const stale = !this.loaded || now - this.checkedAt > CHANGE_LOG_KEEP_MS - 60_000;
        if (stale) await this.loadAll();
        else await this.applyChanges();
        this.checkedAt = Date.now();
      } finally {
        this.pending = undefined;
      }
    })();
    await this.pending;
  }

  private async loadAll(): Promise<void> {
    // Note where the log stands first, so changes made during the load are applied afterwards.
    const newest = await InitiativeChange.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean();
    const docs = (await Initiative.find({}, PROJECTION).lean()) as unknown as Raw[];
    this.byId = new Map(docs.map((d) => [String(d._id), summarise(d)]));
    this.lastChangeAt = newest?._id.getTimestamp().getTime();
    this.applied = new Map();
    this.loaded = true;
  }

  /**
   * Change ids are made by each instance (seconds, a per-process random part, a counter) and inserts become
   * visible in any order, so a change of another instance can sort below the newest one already seen. Each
   * catch-up therefore re-reads the log from OVERLAP_MS before the newest change and applies what it has not
   * applied yet (reloading an initiative twice is harmless; missing one is not).
   */
  private async applyChanges(): Promise<void> {
    const since = this.lastChangeAt === undefined ? undefined : this.lastChangeAt - OVERLAP_MS;
    const filter = since === undefined ? {} : { _id: { $gte: Types.ObjectId.createFromTime(Math.floor(since / 1000)) } };
    const changes = await InitiativeChange.find(filter, { initiative: 1 }).lean();
    const fresh = changes.filter((c) => !this.applied.has(String(c._id)));
    for (const c of fresh) {
      const at = c._id.getTimestamp().getTime();
      this.applied.set(String(c._id), at);
      if (this.lastChangeAt === undefined || at > this.lastChangeAt) this.lastChangeAt = at;
    }
    for (const [id, at] of this.applied) if (this.lastChangeAt !== undefined && at < this.lastChangeAt - 2 * OVERLAP_MS) this.applied.delete(id);
    const ids = [...new Set(fresh.map((c) => String(c.initiative)))];
    await Promise.all(ids.map((id) => this.reloadOne(id)));
  }

  private async reloadOne(id: string): Promise<void> {
    const d = (await Initiative.findById(id, PROJECTION).lean()) as unknown as Raw | null;
    if (d) this.byId.set(id, summarise(d));
    else this.byId.delete(id);
  }
}

export const initiativeReadModel = new ReadModel();

let lastPrune = 0;
/**
 * Records a change for every instance's read model; prunes old rows now and then. Uses real time, not the
 * business clock: the log is plumbing, and tests that travel in time must not prune it.
 */
export async function recordInitiativeChange(id: string | Types.ObjectId): Promise<void> {
  const at = new Date();
  await InitiativeChange.create({ initiative: id, at });
  await initiativeReadModel.refresh(String(id));
  if (Date.now() - lastPrune > 60_000) {
    lastPrune = Date.now();
    await InitiativeChange.deleteMany({ at: { $lt: new Date(at.getTime() - CHANGE_LOG_KEEP_MS) } });
  }
}
