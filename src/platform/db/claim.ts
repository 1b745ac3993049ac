// Claim by unique insert: the one way on this engine (and on MongoDB) to decide which of several simultaneous
// requests, instances or passes does a thing. FerretDB 1.24 does not make `$inc` or a filtered update atomic
// (shared database.md), but a unique index is enforced: of N simultaneous inserts of one `_id`, exactly one
// succeeds. Every "exactly once" in the code goes through this file instead of its own 11000 check.
//
// An insert can fail without a duplicate key and still have been applied (its reply lost when the engine restarts):
// left there, such a phantom claim would block the key for everyone. Each inserted claim therefore carries a random
// nonce; after such an error the record is read by `_id` and removed if, and only if, the nonce is this caller's.
import crypto from 'node:crypto';

/** The parts of a driver collection (or a mongoose model's `.collection`) a claim needs. */
export interface ClaimCollection<T extends { _id: string }> {
  insertOne(doc: T): Promise<unknown>;
  findOne(filter: { _id: string }): Promise<T | null>;
  updateOne(filter: { _id: string }, update: { $set: Partial<T> }): Promise<unknown>;
  /** Removes a phantom claim of this caller (see above); without it a phantom stays until it ages out. */
  deleteOne?(filter: { _id: string }): Promise<unknown>;
}

/** The field of an inserted claim that names its inserter. */
export const CLAIM_NONCE_FIELD = 'claimNonce';

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
 * Inserts `doc` (with a fresh nonce) as a claim. True: inserted; false: the key is taken (duplicate key). Any other
 * error is thrown after removing the record if it landed all the same (its nonce is ours), so a failed claim never
 * holds the key.
 */
export async function insertClaim<T extends { _id: string }>(
  collection: Pick<ClaimCollection<T>, 'insertOne' | 'findOne' | 'deleteOne'>,
  doc: T,
): Promise<boolean> {
  const nonce = crypto.randomBytes(12).toString('base64url');
  try {
    await collection.insertOne({ ...doc, [CLAIM_NONCE_FIELD]: nonce });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    await removeIfOurs(collection, doc._id, nonce);
    throw err;
  }
}

async function removeIfOurs<T extends { _id: string }>(
  collection: Pick<ClaimCollection<T>, 'findOne' | 'deleteOne'>,
  id: string,
  nonce: string,
): Promise<void> {
  if (!collection.deleteOne) return;
  try {
    const found = (await collection.findOne({ _id: id })) as Record<string, unknown> | null;
    if (found && found[CLAIM_NONCE_FIELD] === nonce) await collection.deleteOne({ _id: id });
  } catch {
    // The engine is still away: the original error is the one to report; the phantom (if any) ages out.
  }
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
  if (await insertClaim(collection, doc)) return { outcome: 'won', doc };
  const existing = await collection.findOne({ _id: doc._id });
  if (!existing || !options.isStale?.(existing)) return { outcome: 'taken', existing };
  const generation = (options.generationOf ?? defaultGeneration)(existing);
  if (!(await insertClaim(collection, { ...doc, _id: `${doc._id}~takeover~${generation}` }))) return { outcome: 'taken', existing };
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
  collection: Pick<ClaimCollection<T>, 'insertOne'> & Partial<Pick<ClaimCollection<T>, 'findOne' | 'deleteOne'>>,
  start: number,
  makeDoc: (n: number) => T,
  limit = 10_000,
): Promise<{ n: number; doc: T }> {
  for (let n = start; n < start + limit; n += 1) {
    const doc = makeDoc(n);
    if (collection.findOne && collection.deleteOne) {
      if (await insertClaim(collection as Pick<ClaimCollection<T>, 'insertOne' | 'findOne' | 'deleteOne'>, doc)) return { n, doc };
      continue;
    }
    try {
      await collection.insertOne(doc);
      return { n, doc };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`no free number in ${start}..${start + limit - 1}`);
}
