// The user a sign-in names, found by `_id` reads only (users/username-index.ts): on this engine a filter on
// `username` reads the whole users collection, and every sign-in (any name, known or not) would pay for it.
import { backfillUsernames, forgetUsername, recordUsername, userIdForUsername, usernamesComplete, User } from '../users/index.js';

async function byId(id: unknown, name: string) {
  const user = await User.findById(id).select('+passwordHash').lean();
  return user && user.username === name ? user : null;
}

/** The user with the normalised username `name` (password hash included), or null. */
export async function findUserForSignIn(name: string) {
  const id = await userIdForUsername(name);
  if (id !== undefined && id !== null) {
    const user = await byId(id, name);
    if (user) return user;
  }
  if (!(await usernamesComplete())) {
    // A database from before the records: one scan writes them all, then misses need none.
    const found = (await backfillUsernames()).find((u) => u.username === name);
    return found ? byId(found._id, name) : null;
  }
  if (id === undefined) return null;
  // A record naming nobody of that name (a create that never finished): look once, then correct or drop it.
  const user = await User.findOne({ username: name }).select('+passwordHash').lean();
  if (user) await recordUsername(name, user._id);
  else await forgetUsername(name);
  return user;
}
