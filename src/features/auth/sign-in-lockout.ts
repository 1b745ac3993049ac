// Account lockout by claims. On the embedded engine neither `$inc` nor a conditional update is atomic, so "count
// the failures, then compare" lets a burst of simultaneous wrong passwords all be checked (measured: 20 of 20).
// Instead a request inserts a numbered slot under a unique _id BEFORE its password is checked: of any burst only
// the winners of slots 1..LOCKOUT_ATTEMPTS are checked; the others find every slot taken and are refused as
// locked. The count starts again only in a new generation, itself started by an insert (never by resetting a
// counter): after a successful sign-in, once a lock has run its time, or after LOCKOUT_MINUTES without attempts.
// Everything here is read by _id; nothing scans the attempts.
// A released slot (a database error during its check) leaves a gap that a later attempt fills, so the lock is never
// judged from one slot's number: after a wrong password the whole generation is read, and it is locked when all
// LOCKOUT_ATTEMPTS slots are held, until the newest of them plus LOCKOUT_MINUTES.
import crypto from 'node:crypto';
import { claimOnce, insertClaim, isDuplicateKey, type ClaimCollection } from '../../platform/db/claim.js';
import { SignInSlot, SignInState } from './auth.model.js';

export interface LockoutSettings {
  readonly lockoutAttempts: number;
  readonly lockoutMinutes: number;
}

interface SlotDoc {
  _id: string;
  kind: 'slot' | 'generation' | 'lock';
  username: string;
  generation: number;
  n?: number;
  ip?: string;
  at: Date;
  reason?: string;
}

/** A won slot: this request, and no other, may have its password checked as attempt `n` of the generation. */
export interface Slot {
  readonly id: string;
  readonly key: string;
  readonly username: string;
  readonly generation: number;
  readonly n: number;
  readonly at: Date;
}

export type SlotGrant = { readonly granted: true; readonly slot: Slot } | { readonly granted: false; readonly lockedUntil: Date };

type SlotCollection = ClaimCollection<SlotDoc> & { deleteOne(filter: { _id: string }): Promise<unknown> };
const slots = (): SlotCollection => SignInSlot.collection as unknown as SlotCollection;
const states = () =>
  SignInState.collection as unknown as {
    findOne(filter: { _id: string }): Promise<{ _id: string; generation: number } | null>;
    updateOne(filter: { _id: string }, update: object, options?: { upsert: boolean }): Promise<unknown>;
  };

/** The username as an _id part: '#' separates the parts, so it is escaped; an over-long name is hashed. */
export function userKey(username: string): string {
  return username.length <= 100 ? encodeURIComponent(username) : `sha256-${crypto.createHash('sha256').update(username).digest('hex')}`;
}
const generationId = (key: string, g: number): string => `${key}#${g}`;
const slotId = (key: string, g: number, n: number): string => `${key}#${g}#${n}`;
const lockId = (key: string, g: number): string => `${key}#${g}#locked`;

async function exists(id: string): Promise<boolean> {
  return (await slots().findOne({ _id: id })) !== null;
}

/** Raises the hint; a lost race between two writers only leaves it lower, which the probe makes up for. */
async function raiseHint(key: string, g: number): Promise<void> {
  try {
    await states().updateOne({ _id: key }, { $max: { generation: g } }, { upsert: true });
  } catch (err) {
    // Two first upserts at once: one inserts, the other meets the unique _id and updates instead.
    if (!isDuplicateKey(err)) throw err;
    await states().updateOne({ _id: key }, { $max: { generation: g } });
  }
}

/** The newest generation: the hint, then `<key>#<g+1>`, … by _id until one is missing. */
export async function currentGeneration(key: string): Promise<number> {
  const from = (await states().findOne({ _id: key }))?.generation ?? 0;
  let g = from;
  while (await exists(generationId(key, g + 1))) g += 1;
  if (g > from) await raiseHint(key, g);
  return g;
}

/** Starts generation `g` (or finds it started by a simultaneous request); returns the newest generation. */
async function startGeneration(key: string, username: string, g: number, at: Date, reason: string): Promise<number> {
  await claimOnce(slots(), { _id: generationId(key, g), kind: 'generation', username, generation: g, at, reason });
  await raiseHint(key, g);
  let newest = g;
  while (await exists(generationId(key, newest + 1))) newest += 1;
  return newest;
}

/** The end of the lock reached by a full generation: its newest attempt plus LOCKOUT_MINUTES. */
function lockEnd(taken: readonly SlotDoc[], settings: LockoutSettings): Date {
  const newest = Math.max(...taken.map((s) => new Date(s.at).getTime()));
  return new Date(newest + settings.lockoutMinutes * 60_000);
}

function readGeneration(key: string, g: number, limit: number): Promise<(SlotDoc | null)[]> {
  return Promise.all(Array.from({ length: limit }, (_, i) => slots().findOne({ _id: slotId(key, g, i + 1) })));
}

/**
 * Claims the next password check for `username`, or answers when the account is locked. A database error is
 * thrown as it is (never taken for a taken slot), so it cannot count as an attempt.
 */
export async function claimSignInSlot(username: string, at: Date, ip: string | undefined, settings: LockoutSettings): Promise<SlotGrant> {
  const key = userKey(username);
  const limit = settings.lockoutAttempts;
  const windowMs = settings.lockoutMinutes * 60_000;
  let g = await currentGeneration(key);
  let lastTaken: SlotDoc[] = [];
  // Each round claims, refuses, moves to a newer generation, or loses every free slot it saw to simultaneous
  // requests (so at least one more slot is taken): `limit + 3` rounds always end in a claim or a full
  // generation unless generations keep starting meanwhile, a storm that is refused like a lock.
  for (let round = 0; round < limit + 3; round += 1) {
    const held = await readGeneration(key, g, limit);
    const taken = held.filter((s): s is SlotDoc => s !== null);
    if (taken.length) lastTaken = taken;
    if (taken.length === limit) {
      const until = lockEnd(taken, settings);
      if (at < until) return { granted: false, lockedUntil: until };
      g = await startGeneration(key, username, g + 1, at, 'lock-ended');
      continue;
    }
    const newest = Math.max(0, ...taken.map((s) => new Date(s.at).getTime()));
    if (taken.length > 0 && newest <= at.getTime() - windowMs) {
      g = await startGeneration(key, username, g + 1, at, 'quiet');
      continue;
    }
    for (let n = 1; n <= limit; n += 1) {
      if (held[n - 1]) continue;
      const doc: SlotDoc = { _id: slotId(key, g, n), kind: 'slot', username, generation: g, n, ip, at };
      if (await insertClaim(slots(), doc)) return { granted: true, slot: { id: doc._id, key, username, generation: g, n, at } };
    }
    // Every free slot went to a simultaneous request: read again (the last slot now decides the lock).
  }
  return { granted: false, lockedUntil: lastTaken.length ? lockEnd(lastTaken, settings) : new Date(at.getTime() + windowMs) };
}

/** After a successful sign-in the count starts again: a new generation after the newest, started by an insert. */
export async function startAfterSuccess(slot: Slot, at: Date): Promise<void> {
  const newest = Math.max(slot.generation, await currentGeneration(slot.key));
  await startGeneration(slot.key, slot.username, newest + 1, at, 'signed-in');
}

/** Gives a slot back when the check could not finish (a database error): it must not count as a wrong password. */
export async function releaseSlot(slot: Slot): Promise<void> {
  await slots().deleteOne({ _id: slot.id });
}

export interface AttemptOutcome {
  /** Slots of the generation held now (this attempt's included). */
  readonly held: number;
  /** Every slot is held: the account is locked until `lockedUntil`. */
  readonly locked: boolean;
  readonly lockedUntil: Date | null;
  /** True for exactly one of the attempts that see the generation full: it records the lock. */
  readonly recordsLock: boolean;
}

/**
 * After a wrong password: where the generation of `slot` stands, read from all its slots (a slot released by a
 * failed check may have been filled since by a later attempt, so the slot's own number decides nothing).
 */
export async function afterWrongAttempt(slot: Slot, settings: LockoutSettings): Promise<AttemptOutcome> {
  const taken = (await readGeneration(slot.key, slot.generation, settings.lockoutAttempts)).filter((s): s is SlotDoc => s !== null);
  // This attempt's own slot counts even if a read missed it.
  if (!taken.some((s) => s._id === slot.id)) taken.push({ _id: slot.id, kind: 'slot', username: slot.username, generation: slot.generation, n: slot.n, at: slot.at });
  const locked = taken.length >= settings.lockoutAttempts;
  if (!locked) return { held: taken.length, locked, lockedUntil: null, recordsLock: false };
  const lockedUntil = lockEnd(taken, settings);
  const recordsLock = await insertClaim(slots(), { _id: lockId(slot.key, slot.generation), kind: 'lock', username: slot.username, generation: slot.generation, at: slot.at });
  return { held: taken.length, locked, lockedUntil, recordsLock };
}

/**
 * Nightly: removes slots and generation records older than `before`. Hints are brought up to date first, so that
 * removing old generation records can never hide a newer generation from the probe.
 */
export async function cleanUpSignInSlots(before: Date): Promise<{ records: number }> {
  for await (const state of SignInState.find().lean().cursor()) {
    await currentGeneration(String(state._id));
  }
  const res = await SignInSlot.deleteMany({ at: { $lt: before } });
  return { records: res.deletedCount };
}
