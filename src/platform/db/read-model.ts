// In-process read models: a collection held in memory, so listings, filters and counts do not read the whole
// collection per request (on the embedded engine every filter but {_id} does). A read model loads everything
// once, then catches up from a small, pruned change log that every writer appends to. A change marker (one
// _id read at most every CHECK_EVERY_MS) says whether the log has anything new, so an idle instance reads
// one small document per half second and several instances agree within about that time.
import mongoose, { Types, type Schema } from 'mongoose';
import { changeMarker } from './change-marker.js';

const CHECK_EVERY_MS = 500;
/** How far behind the newest applied change each catch-up looks again (see applyChanges). */
const OVERLAP_MS = 10_000;
/** Changes older than this are deleted; an instance that has not caught up for this long reloads all. */
export const CHANGE_LOG_KEEP_MS = 15 * 60_000;
/** The key a change carries when the records it touched are not known (a filtered updateMany): reload all. */
export const ALL = '*';
/**
 * A logged record that is not there yet (its writer logs just before a raw insert) is looked for again at
 * each catch-up for this long; a deleted record simply stops being looked for.
 */
const MISSING_WATCH_MS = 2 * 60_000;

/** Where a topic's changes are logged: a collection of `{ _id: ObjectId, [keyField]: record id, at }`. */
export interface ChangeLog {
  readonly topic: string;
  readonly collection: string;
  readonly keyField: string;
}

/** The log of a topic (`<topic>_changes`, key field `key`), unless a feature already has its own. */
export function changeLog(topic: string, collection = `${topic.replace(/-/g, '_')}_changes`, keyField = 'key'): ChangeLog {
  return { topic, collection, keyField };
}

export interface ReadModelSource<T> {
  readonly log: ChangeLog;
  /** Every record, as [id, row]. */
  loadAll(): Promise<Iterable<readonly [string, T]>>;
  /** One record by _id, or undefined when it is gone. */
  loadOne(id: string): Promise<T | undefined>;
}

type LogRow = Record<string, unknown> & { _id: Types.ObjectId };

function logCollection(log: ChangeLog) {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<LogRow>(log.collection);
}

export class ReadModel<T> {
  private byId = new Map<string, T>();
  private loaded = false;
  /** Time (ms) of the newest change applied; catch-up re-reads from OVERLAP_MS before it. */
  private lastChangeAt: number | undefined;
  /** Changes already applied within the overlap window (id → time), so each is applied once. */
  private applied = new Map<string, number>();
  /** The marker token the rows are current with. */
  private seen: string | undefined;
  /** When the rows were last known current (a marker check or a log read). */
  private syncedAt = 0;
  private pending: Promise<void> | undefined;
  /** Logged ids not found when re-read (id → first miss), looked for again until MISSING_WATCH_MS. */
  private missing = new Map<string, number>();
  private probedAt = 0;

  constructor(private readonly source: ReadModelSource<T>) {}

  /** Every row (after catching up). */
  async all(): Promise<Iterable<T>> {
    await this.catchUp();
    return this.byId.values();
  }

  /** One row (after catching up), or undefined when there is none. */
  async get(id: string): Promise<T | undefined> {
    await this.catchUp();
    return this.byId.get(id);
  }

  /** Re-reads one record now (the writer's own instance need not wait for its marker check). */
  async refresh(id: string): Promise<void> {
    const row = await this.source.loadOne(id);
    if (row === undefined) {
      this.byId.delete(id);
      if (!this.missing.has(id)) this.missing.set(id, Date.now());
    } else {
      this.byId.set(id, row);
      this.missing.delete(id);
    }
  }

  /** Forgets everything (tests reset the database under it). */
  reset(): void {
    this.byId = new Map();
    this.loaded = false;
    this.lastChangeAt = undefined;
    this.applied = new Map();
    this.seen = undefined;
    this.syncedAt = 0;
    this.missing = new Map();
  }

  private async catchUp(): Promise<void> {
    // A catch-up already under way may have read the marker before the caller's own write: wait for it, then
    // join or start one that began after the call (read-your-writes within this instance).
    if (this.pending) await this.pending.catch(() => undefined);
    this.pending ??= this.sync().finally(() => {
      this.pending = undefined;
    });
    await this.pending;
  }

  private async sync(): Promise<void> {
    const now = Date.now();
    if (this.missing.size && now - this.probedAt >= CHECK_EVERY_MS) {
      this.probedAt = now;
      for (const [id, since] of this.missing) if (now - since > MISSING_WATCH_MS) this.missing.delete(id);
      await Promise.all([...this.missing.keys()].map((id) => this.refresh(id)));
    }
    const marker = await changeMarker(this.source.log.topic).version();
    // An instance idle for longer than the log keeps reloads all: its log may have been pruned.
    const idle = now - this.syncedAt > CHANGE_LOG_KEEP_MS - 60_000;
    if (this.loaded && !idle && marker === this.seen) {
      this.syncedAt = now;
      return;
    }
    if (!this.loaded || idle) await this.loadAll();
    else await this.applyChanges();
    this.seen = marker;
    this.syncedAt = now;
  }

  private async loadAll(): Promise<void> {
    // Note where the log stands first, so changes made during the load are applied afterwards.
    const newest = await logCollection(this.source.log).find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).next();
    this.byId = new Map(await this.source.loadAll());
    this.lastChangeAt = newest?._id.getTimestamp().getTime();
    this.applied = new Map();
    this.missing = new Map();
    this.loaded = true;
  }

  /**
   * Change ids are made by each instance (seconds, a per-process random part, a counter) and inserts become
   * visible in any order, so a change of another instance can sort below the newest one already seen. Each
   * catch-up therefore re-reads the log from OVERLAP_MS before the newest change and applies what it has not
   * applied yet (reloading a record twice is harmless; missing one is not).
   */
  private async applyChanges(): Promise<void> {
    const since = this.lastChangeAt === undefined ? undefined : this.lastChangeAt - OVERLAP_MS;
    const filter = since === undefined ? {} : { _id: { $gte: Types.ObjectId.createFromTime(Math.floor(since / 1000)) } };
    const changes = await logCollection(this.source.log).find(filter, { projection: { [this.source.log.keyField]: 1 } }).toArray();
    const fresh = changes.filter((c) => !this.applied.has(String(c._id)));
    const ids = [...new Set(fresh.map((c) => String(c[this.source.log.keyField])))];
    // Load first, then count the changes as applied: a load that fails (the engine going away mid-catch-up)
    // leaves them to be applied by the next catch-up instead of marking records as current that were never read.
    if (ids.includes(ALL)) this.byId = new Map(await this.source.loadAll());
    else await Promise.all(ids.map((id) => this.refresh(id)));
    for (const c of fresh) {
      const at = c._id.getTimestamp().getTime();
      this.applied.set(String(c._id), at);
      if (this.lastChangeAt === undefined || at > this.lastChangeAt) this.lastChangeAt = at;
    }
    for (const [id, at] of this.applied) if (this.lastChangeAt !== undefined && at < this.lastChangeAt - 2 * OVERLAP_MS) this.applied.delete(id);
  }
}

const lastPrune = new Map<string, number>();

/**
 * Logs a change of the given records for every instance's read model, bumps the topic's marker (this
 * instance's read models see it at once, others within CHECK_EVERY_MS), and prunes old rows now and then.
 * Uses real time, not the business clock: the log is plumbing, and tests that travel in time must not prune it.
 */
export async function recordChanges(log: ChangeLog, ids: readonly (string | Types.ObjectId)[]): Promise<void> {
  if (!ids.length) return;
  let at = new Date();
  // A change id carries the time it was made, and catch-ups look back OVERLAP_MS before the newest change they
  // applied. An insert held up longer than that (the engine restarting: the driver waits for it) becomes visible
  // after newer changes were applied and would be skipped for good, so a slow one is logged again with fresh ids.
  for (let attempt = 0; ; attempt += 1) {
    await logCollection(log).insertMany(ids.map((id) => ({ _id: new Types.ObjectId(), [log.keyField]: id, at })));
    if (Date.now() - at.getTime() < OVERLAP_MS / 2 || attempt >= 4) break;
    at = new Date();
  }
  await changeMarker(log.topic).bump();
  if (Date.now() - (lastPrune.get(log.topic) ?? 0) > 60_000) {
    lastPrune.set(log.topic, Date.now());
    await logCollection(log).deleteMany({ at: { $lt: new Date(at.getTime() - CHANGE_LOG_KEEP_MS) } });
  }
}

const DOCUMENT_WRITES = ['save', 'deleteOne'] as const;
const QUERY_WRITES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndDelete', 'findOneAndReplace'] as const;

/** The one record a write's filter names by _id, or ALL when the filter could match others. */
function keyOfFilter(filter: Record<string, unknown> | undefined): string | Types.ObjectId {
  const id = filter?._id;
  if (typeof id === 'string' || id instanceof Types.ObjectId) return id;
  return ALL;
}

/**
 * Logs every write made through this schema's model (declare before the model is built). Writes around
 * mongoose (`Model.collection.*`) are not seen: call recordChanges after them.
 */
export function recordChangesOnWrite(schema: Schema, log: ChangeLog): void {
  for (const op of DOCUMENT_WRITES) {
    schema.post(op as 'save', { document: true, query: false }, async function (this: { _id: Types.ObjectId }) {
      await recordChanges(log, [this._id]);
    });
  }
  for (const op of QUERY_WRITES) {
    schema.post(op as 'updateOne', { document: false, query: true }, async function (this: { getFilter(): Record<string, unknown> }) {
      await recordChanges(log, [keyOfFilter(this.getFilter())]);
    });
  }
  schema.post('insertMany', async function (docs: unknown) {
    const list = (Array.isArray(docs) ? docs : [docs]) as { _id: Types.ObjectId }[];
    await recordChanges(log, list.map((d) => d._id));
  });
}

const shared = new Map<string, ReadModel<unknown>>();

/**
 * The process's read model of a topic, made on first use. Process-wide on purpose: the marker that tells a
 * read model about this process's own writes is process-wide too, and every app in the process shares one
 * connection.
 */
export function sharedReadModel<T>(source: ReadModelSource<T>): ReadModel<T> {
  let m = shared.get(source.log.topic) as ReadModel<T> | undefined;
  if (!m) shared.set(source.log.topic, (m = new ReadModel(source) as ReadModel<unknown> as ReadModel<T>));
  return m;
}

/** Forgets every read model's rows (tests reset the database under them). */
export function resetReadModels(): void {
  for (const m of shared.values()) m.reset();
}
