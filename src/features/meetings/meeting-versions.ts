// Who wins a version of a meeting or an action item. Mongoose's version check is a conditional update, which
// FerretDB 1.24 does not make atomic: 20 simultaneous minutes saves from one version let 1 to 3 through, and a
// `$set` beside a save (the notice beside a move) was erased by the engine's whole-document write-back. Every
// write of these records therefore claims the version it was read at (platform/db/versioned.ts, a unique insert)
// and raises `__v`; the loser writes nothing and answers 409 with the meeting's usual message.
import mongoose from 'mongoose';
import { claimVersion, saveVersioned, writeClaimed, type VersionedDocument } from '../../platform/db/versioned.js';
import { ConflictError } from '../../kernel/errors.js';
import { ActionItem, Meeting } from './meeting.model.js';

type Message = { bn: string; en: string };

export const MEETING_CHANGED: Message = { bn: 'অন্য কেউ এর মধ্যে সভাটি পরিবর্তন করেছেন। পাতাটি আবার খুলে দেখে নিন।', en: 'Someone else changed this meeting meanwhile. Reopen it and check.' };
export const MINUTES_CHANGED: Message = { bn: 'অন্য কেউ এর মধ্যে কার্যবিবরণীটি পরিবর্তন করেছেন।', en: 'Someone else changed the minutes meanwhile.' };

type Kind = 'meeting' | 'decision';
const MODELS: Record<Kind, mongoose.Model<never>> = { meeting: Meeting as never, decision: ActionItem as never };

async function storedVersion(kind: Kind, id: unknown): Promise<number | null> {
  const stored = (await MODELS[kind].findById(id, { __v: 1 }).lean()) as { __v?: number } | null;
  return stored ? (stored.__v ?? 0) : null;
}

/** The 409 of a loser: the version now stored (as the old check answered) and what the winner said it changes. */
export async function versionLost(kind: Kind, id: unknown, message: Message | undefined, changed: readonly string[]): Promise<never> {
  const version = await storedVersion(kind, id);
  throw new ConflictError(message, changed.length ? { version, changed: [...changed] } : { version });
}

/** Saves `doc` (read at its `__v`) as the one winner of that version, or answers 409 writing nothing. */
export async function saveWon(kind: Kind, doc: VersionedDocument, changed: readonly string[], message?: Message): Promise<void> {
  await saveVersioned(kind, doc, { changed, lost: (claimed) => versionLost(kind, doc._id, message, claimed) });
}

/**
 * Claims the meeting's version before work that must not happen for a loser (taking a memo number), then runs
 * `prepare` and saves the document. A failure of either gives the version back.
 */
export async function claimThenSave<T>(doc: VersionedDocument & { __v?: number }, changed: readonly string[], message: Message, prepare: () => Promise<T>): Promise<T> {
  const claim = await claimVersion('meeting', String(doc._id), doc.__v ?? 0, { changed, currentVersion: () => storedVersion('meeting', doc._id) });
  if (!claim.won) return versionLost('meeting', doc._id, message, claim.changed);
  try {
    return await writeClaimed(claim, async () => {
      const out = await prepare();
      await doc.save();
      return out;
    });
  } catch (err) {
    // Saved meanwhile by a write that took no claim: it is the winner all the same.
    if (err instanceof mongoose.Error.VersionError) return versionLost('meeting', doc._id, message, []);
    throw err;
  }
}
