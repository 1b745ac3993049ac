// Optimistic concurrency that holds on this engine. A save names the version it was read at; mongoose's version
// check (a conditional update) is not atomic on FerretDB 1.24, so 20 simultaneous saves of one version let 1 to 9
// through (shared database.md). The winner of a version is therefore decided here, before the write, by a unique
// insert of `<kind>:<record>:<version>` into `version_claims`: of any number of simultaneous saves from version n,
// exactly one inserts it and writes version n + 1; the others are refused (409) and write nothing.
//
// A process that dies between its claim and its write would leave the record at version n with the claim for n
// taken, so nobody could ever save it again. A claim older than VERSION_CLAIM_STALE_MS whose record is still at
// its version is therefore taken over, by exactly one caller (claimOnce's takeover is itself a unique insert).
// A holder whose write fails releases its claim at once, so a refused write does not hold the record for a minute.
// Claims are kept after the write (one small document per save, read only by `_id`): a late save from an old
// version then loses at its claim instead of relying on the engine's non-atomic version check.
import mongoose from 'mongoose';
import { claimOnce, type ClaimCollection } from './claim.js';

const COLLECTION = 'version_claims';

/** How long a claim may stand on a record still at its version before it counts as left by a dead process. */
export const VERSION_CLAIM_STALE_MS = 60_000;

export interface VersionClaim {
  /** `<kind>:<record>:<version>`: "the move of this record out of this version". */
  _id: string;
  kind: string;
  record: string;
  version: number;
  /** Wall-clock time (not the business clock): tells a save in progress from one left by a dead process. */
  claimedAt: Date;
  /** The fields the winner changes, so a loser's 409 can name them before the winner's audit entry exists. */
  changed: string[];
}

export type VersionClaimResult =
  | {
      readonly won: true;
      /** True when a claim left by a dead process was taken over. */
      readonly takenOver: boolean;
      /** Gives the version back (the holder's write failed), so the next save need not wait for the claim to age. */
      release(): Promise<void>;
    }
  | {
      readonly won: false;
      /** What the holder of the version said it changes (empty when it did not say). */
      readonly changed: readonly string[];
    };

export interface ClaimVersionOptions {
  /** The record's version as stored now (null: no record). Asked only when the claim is taken and old enough. */
  readonly currentVersion: () => Promise<number | null>;
  /** The fields this save changes (for the losers' 409). */
  readonly changed?: readonly string[];
  /** Wall-clock now (tests only); default `new Date()`. */
  readonly now?: Date;
}

function claims(): ClaimCollection<VersionClaim> & { deleteOne(filter: { _id: string }): Promise<unknown> } {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<VersionClaim>(COLLECTION);
}

/** The claim key of a record's version. */
export function versionClaimKey(kind: string, record: string, version: number): string {
  return `${kind}:${record}:${version}`;
}

/**
 * Claims the move of record `kind`/`record` out of `version`. Won: the caller (alone) writes version + 1 and
 * releases the claim if that write fails. Lost: someone else saved, or is saving, from this version: answer 409.
 */
export async function claimVersion(kind: string, record: string, version: number, options: ClaimVersionOptions): Promise<VersionClaimResult> {
  const collection = claims();
  const now = options.now ?? new Date();
  const doc: VersionClaim = { _id: versionClaimKey(kind, record, version), kind, record, version, claimedAt: now, changed: [...(options.changed ?? [])] };
  const won = (takenOver: boolean): VersionClaimResult => ({
    won: true,
    takenOver,
    release: async () => {
      await collection.deleteOne({ _id: doc._id });
    },
  });
  const first = await claimOnce(collection, doc);
  if (first.outcome !== 'taken') return won(false);
  const held = first.existing;
  const lost: VersionClaimResult = { won: false, changed: held?.changed ?? [] };
  if (!held || now.getTime() - new Date(held.claimedAt).getTime() < VERSION_CLAIM_STALE_MS) return lost;
  // Old enough: left by a dead process only if its record never moved past the version.
  if ((await options.currentVersion()) !== version) return lost;
  const again = await claimOnce(collection, doc, {
    isStale: (existing) => new Date(existing.claimedAt).getTime() === new Date(held.claimedAt).getTime(),
    takeover: () => ({ claimedAt: now, changed: doc.changed }),
  });
  return again.outcome === 'taken' ? lost : won(again.outcome === 'takenOver');
}

/**
 * Runs the write of a won claim. If the write throws, the claim is released: nothing was written from this version
 * (or, if the reply alone was lost, the record has moved on and a later claim of this version fails its write).
 */
export async function writeClaimed<T>(claim: VersionClaimResult, write: () => Promise<T>): Promise<T> {
  if (!claim.won) throw new Error('writeClaimed needs a won claim');
  try {
    return await write();
  } catch (err) {
    // The error of the write is the one to report; a claim that could not be released ages out instead.
    await claim.release().catch(() => undefined);
    throw err;
  }
}

/** A mongoose document of a schema with `optimisticConcurrency` (its version in `__v`). */
export interface VersionedDocument {
  _id: unknown;
  __v?: number;
  save(): Promise<unknown>;
  isModified(): boolean;
}

/**
 * Claims the version `doc` was read at (`kind`: the record type), then saves it. A save from a version someone
 * else claimed, or moved past, calls `lost` (the feature's 409) and writes nothing. A document with nothing
 * modified is not saved and claims nothing: its save would raise no version, and a claim never followed by a
 * new version holds the record for VERSION_CLAIM_STALE_MS.
 */
export async function saveVersioned(kind: string, doc: VersionedDocument, options: { readonly changed?: readonly string[]; readonly lost: (changed: readonly string[]) => Promise<never> }): Promise<void> {
  if (!doc.isModified()) return;
  const model = doc.constructor as unknown as { findById(id: unknown, projection: object): { lean(): Promise<{ __v?: number } | null> } };
  const version = doc.__v ?? 0;
  const claim = await claimVersion(kind, String(doc._id), version, {
    changed: options.changed,
    currentVersion: async () => {
      const stored = await model.findById(doc._id, { __v: 1 }).lean();
      return stored ? (stored.__v ?? 0) : null;
    },
  });
  if (!claim.won) return options.lost(claim.changed);
  try {
    await writeClaimed(claim, () => doc.save());
  } catch (err) {
    // Saved without a claim by code that predates claims, or a takeover beside a holder that was only slow.
    if (err instanceof mongoose.Error.VersionError) return options.lost([]);
    throw err;
  }
  // A save whose changes raised no version leaves the record where it was: give the version back.
  if ((doc.__v ?? 0) === version) await claim.release();
}

/**
 * What the saves from `version` onward said they change, read from their claims (by `_id`, one per version, up to
 * `limit` versions). A 409 for an old version names these fields even while the winner's audit entry is not yet
 * written: the claim is inserted before the write, the audit entry only after it.
 */
export async function changedInClaimsSince(kind: string, record: string, version: number, limit = 50): Promise<string[]> {
  const collection = claims();
  const out = new Set<string>();
  for (let v = version; v < version + limit; v += 1) {
    const claim = await collection.findOne({ _id: versionClaimKey(kind, record, v) });
    if (!claim) break;
    for (const field of claim.changed ?? []) out.add(field);
  }
  return [...out];
}
