// People by username without a scan. On the embedded engine only `{_id}` filters use an index, so
// `User.findOne({ username })` reads the whole users collection, on every sign-in, before the lockout claim.
// Instead each user has a record `{ _id: <username>, user: <id> }` in `usernames`, written before the user is
// first saved (user.model.ts) and read by `_id` at sign-in. A username is normalised (trimmed, lower case) before
// it gets here, as the schema stores it.
//
// Databases from before these records migrate themselves: the first lookup that misses while the marker
// `#complete` is absent writes a record for every user (one scan) and then the marker; after it, a miss means
// "no such user" without a scan. Usernames cannot contain '#', so the marker never names a user.
// No model is imported here (the user model imports this file for its save hook).
import mongoose, { type Types } from 'mongoose';
import { isDuplicateKey } from '../../platform/db/claim.js';

export const USERNAMES_COLLECTION = 'usernames';
const COMPLETE = '#complete';

interface UsernameRecord {
  _id: string;
  user?: unknown;
  at?: Date;
}

function records() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<UsernameRecord>(USERNAMES_COLLECTION);
}

function users() {
  return mongoose.connection.db!.collection<{ _id: Types.ObjectId; username?: string }>('users');
}

function sameId(a: unknown, b: unknown): boolean {
  return String(a) === String(b);
}

/** A duplicate-key error as the driver raises it, so callers that map 11000 to "username taken" keep working. */
function usernameTaken(username: string): Error {
  return Object.assign(new Error(`E11000 duplicate key error collection: users index: username dup key: { username: "${username}" }`), { code: 11000 });
}

/**
 * Before a user is first saved under `username` (hook in user.model.ts): takes the record, or throws a duplicate-key
 * error when another existing user holds the name. A record left by a save that never happened (a crash, a refused
 * create) names no such user and is taken over; two simultaneous creates of one name are then decided by the
 * unique index on users.username.
 */
export async function reserveUsername(username: string, userId: unknown): Promise<void> {
  try {
    await records().insertOne({ _id: username, user: userId });
    return;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const existing = await records().findOne({ _id: username });
  if (existing && sameId(existing.user, userId)) return;
  if (existing?.user !== undefined) {
    const holder = await users().findOne({ _id: existing.user as Types.ObjectId }, { projection: { username: 1 } });
    if (holder?.username === username) throw usernameTaken(username);
  }
  await records().replaceOne({ _id: username }, { user: userId });
}

/** Writes (or corrects) the record of an existing user. */
export async function recordUsername(username: string, userId: unknown): Promise<void> {
  const replaced = await records().replaceOne({ _id: username }, { user: userId });
  if (replaced.matchedCount > 0) return;
  try {
    await records().insertOne({ _id: username, user: userId });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Removes the record of a name no user holds (left by a failed create): the next lookup misses cleanly. */
export async function forgetUsername(username: string): Promise<void> {
  await records().deleteOne({ _id: username });
}

/** The id recorded for `username`; `undefined` when there is no record. */
export async function userIdForUsername(username: string): Promise<unknown> {
  if (username === COMPLETE) return undefined;
  return (await records().findOne({ _id: username }))?.user;
}

/** True once every user of this database has a record (the marker), so a miss needs no scan. */
export async function usernamesComplete(): Promise<boolean> {
  return (await records().findOne({ _id: COMPLETE })) !== null;
}

/**
 * One scan of the users: writes every missing record, then the marker. Returns the users read (id and username),
 * so the lookup that triggered it needs no second scan.
 */
export async function backfillUsernames(): Promise<{ _id: unknown; username: string }[]> {
  const all: { _id: unknown; username: string }[] = [];
  for (const u of await users().find({}, { projection: { username: 1 } }).toArray()) if (typeof u.username === 'string') all.push({ _id: u._id, username: u.username });
  for (const u of all) {
    const existing = await records().findOne({ _id: u.username });
    if (!existing || !sameId(existing.user, u._id)) await recordUsername(u.username, u._id);
  }
  await recordUsername(COMPLETE, null);
  return all;
}
