// The time of a person's last sign-in, kept in a record of its own (`last_sign_ins`, `_id`: the user id) rather than
// on the user. The engine applies an update as "read the whole document, apply, write it all back", so writing
// `lastLoginAt` onto the user at every sign-in could write back a password hash and stamp that a simultaneous
// reset had just replaced (the old password and its tokens would work again), or undo an admin's edit.
import mongoose from 'mongoose';
import { isDuplicateKey } from '../../platform/db/claim.js';

interface LastSignIn {
  _id: string;
  at: Date;
}

function records() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<LastSignIn>('last_sign_ins');
}

/** Records a sign-in (informative only: of two simultaneous ones either time may stay). */
export async function recordSignIn(userId: unknown, at: Date): Promise<void> {
  try {
    await records().replaceOne({ _id: String(userId) }, { at }, { upsert: true });
  } catch (err) {
    // Two first sign-ins at once (the engine's upsert is read-then-insert): the other one's time is as good.
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The last sign-in, or `fallback` (the `lastLoginAt` stored on users before this record existed). */
export async function lastSignInOf(userId: unknown, fallback: Date | null): Promise<Date | null> {
  return (await records().findOne({ _id: String(userId) }))?.at ?? fallback;
}

/** A user's detail with its last sign-in time from the record. */
export async function withLastSignIn<T extends { id: string; lastLoginAt: Date | null }>(detail: T): Promise<T> {
  return { ...detail, lastLoginAt: await lastSignInOf(detail.id, detail.lastLoginAt) };
}
