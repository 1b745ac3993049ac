// Writes to a user that do not come from an edit form: a password change or reset, a remembered language. The
// engine applies any update as "read the document, apply, write the whole document back", so a plain
// `updateOne($set)` beside a versioned save of the same user (an admin's edit) can be undone by that save's
// write-back, or undo it: an old password hash and stamp written back keep the old password and its API tokens
// working. These writes therefore take part in the versioned mechanism (platform/db/versioned.ts): claim the
// version as stored now, write it with the version raised, or lose to the simultaneous save. Their caller changed
// nothing else, so a newer version is as good as the one first read: a lost version is tried again a few times.
import { setTimeout as sleep } from 'node:timers/promises';
import { claimVersion, writeClaimed } from '../../platform/db/versioned.js';
import { User } from './user.model.js';

export interface FieldWriteOptions {
  /** The fields named in a loser's 409. */
  readonly changed: readonly string[];
  /** How many versions are tried before giving up (default 6). */
  readonly attempts?: number;
}

export type FieldWriteResult =
  /** Written: the user is now at `version`. */
  | { readonly written: true; readonly version: number }
  /** No such user, or every try met a simultaneous save (the caller answers 409 or lets it go). */
  | { readonly written: false; readonly reason: 'missing' | 'busy' };

/** Sets `fields` on the user at a newly claimed version (see above). */
export async function setUserFields(userId: unknown, fields: Record<string, unknown>, options: FieldWriteOptions): Promise<FieldWriteResult> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await sleep(20 * 2 ** attempt + Math.random() * 20);
    const stored = await User.findById(userId, { __v: 1 }).lean();
    if (!stored) return { written: false, reason: 'missing' };
    const version = stored.__v ?? 0;
    const claim = await claimVersion('user', String(userId), version, {
      changed: options.changed,
      currentVersion: async () => {
        const now = await User.findById(userId, { __v: 1 }).lean();
        return now ? (now.__v ?? 0) : null;
      },
    });
    if (!claim.won) continue;
    const result = await writeClaimed(claim, () => User.updateOne({ _id: userId, __v: version }, { $set: fields, $inc: { __v: 1 } }));
    if (result.matchedCount === 1) return { written: true, version: version + 1 };
    // Moved by a write that took no claim: nothing was written from this version, so it is given back.
    await claim.release().catch(() => undefined);
  }
  return { written: false, reason: 'busy' };
}

/** Remembers a signed-in person's page language; a choice that loses to simultaneous saves is simply not kept. */
export async function rememberLanguage(userId: string, language: 'bn' | 'en'): Promise<void> {
  if (!/^[0-9a-f]{24}$/i.test(userId)) return;
  await setUserFields(userId, { language }, { changed: ['language'], attempts: 3 });
}
