// Claim by unique insert: the one way on this engine (and on MongoDB) to decide which of several simultaneous
// requests, instances or passes does a thing. FerretDB 1.24 does not make `$inc` or a filtered update atomic
// (shared database.md), but a unique index is enforced: of N simultaneous inserts of one `_id`, exactly one
// succeeds. Every "exactly once" in the code goes through this file instead of its own 11000 check.

/** The parts of a driver collection (or a mongoose model's `.collection`) a claim needs. */
export interface ClaimCollection<T extends { _id: string }> {
  insertOne(doc: T): Promise<unknown>;
  findOne(filter: { _id: string }): Promise<T | null>;
  updateOne(filter: { _id: string }, update: { $set: Partial<T> }): Promise<unknown>;
}

/** True for a duplicate-key error (E11000), however the driver or the engine reports it. */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; writeErrors?: { code?: unknown }[] };
  if (e.code === 11000 || e.code === 11001) return true;
  if (Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w?.code === 11000)) return true;
  return typeof e.message === 'string' && e.message.includes('E11000');
}

export type ClaimOutcome<T> =
  /** This caller inserted the record: it does the work. */
  | { readonly outcome: 'won'; readonly doc: T }
  /** Someone else holds it (finished or still working): this caller does not do the work. */
  | { readonly outcome: 'taken'; readonly existing: T | null }
  /** The holder left it unfinished for too long (a crash): this caller, alone, takes it over. */
  | { readonly outcome: 'takenOver'; readonly previous: T; readonly doc: T };

export interface ClaimOptions<T> {
  /**
   * When given and it returns true for the existing record, the claim may be taken over. The takeover itself
   * is a unique insert (`<key>~takeover~<generation>`), so of simultaneous takeovers exactly one wins.
   */
  readonly isStale?: (existing: T) => boolean;
  /** What a takeover writes onto the existing record (e.g. a new `claimedAt`, which starts a new generation). */
  readonly takeover?: (existing: T) => Partial<T>;
  /** Names the existing record's generation (default: its `claimedAt` time, else 0). */
  readonly generationOf?: (existing: T) => string;
}

function defaultGeneration(existing: unknown): string {
  const at = (existing as { claimedAt?: unknown }).claimedAt;
  return at instanceof Date ? String(at.getTime()) : typeof at === 'string' || typeof at === 'number' ? String(at) : '0';
}

/**
 * Inserts `doc` under its `_id`. Won: the caller does the work. Taken: someone else has. With `isStale`, a record
 * left behind by a crash is taken over by exactly one caller.
 */
export async function claimOnce<T extends { _id: string }>(
  collection: ClaimCollection<T>,
  doc: T,
  options: ClaimOptions<T> = {},
): Promise<ClaimOutcome<T>> {
  try {
    await collection.insertOne(doc);
    return { outcome: 'won', doc };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const existing = await collection.findOne({ _id: doc._id });
  if (!existing || !options.isStale?.(existing)) return { outcome: 'taken', existing };
  const generation = (options.generationOf ?? defaultGeneration)(existing);
  try {
    await collection.insertOne({ ...doc, _id: `${doc._id}~takeover~${generation}` });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { outcome: 'taken', existing };
  }
  const change = options.takeover?.(existing) ?? ({ ...doc } as Partial<T>);
  delete (change as { _id?: unknown })._id;
  await collection.updateOne({ _id: doc._id }, { $set: change });
  return { outcome: 'takenOver', previous: existing, doc: { ...existing, ...change } };
}

/**
 * Tries `makeKey(n)` for n = start, start+1, … until an insert succeeds: numbers that must never repeat (attachment
 * numbers, attempt slots). Returns the number taken. Gives up after `limit` taken numbers.
 */
export async function claimNextNumber<T extends { _id: string }>(
  collection: Pick<ClaimCollection<T>, 'insertOne'>,
  start: number,
  makeDoc: (n: number) => T,
  limit = 10_000,
): Promise<{ n: number; doc: T }> {
  for (let n = start; n < start + limit; n += 1) {
    const doc = makeDoc(n);
    try {
      await collection.insertOne(doc);
      return { n, doc };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`no free number in ${start}..${start + limit - 1}`);
}
