// Sign-in (with lockout), the signed-in actor, and API tokens.
import crypto from 'node:crypto';
import type { Config } from '../../config.js';
import { dhakaDateOf, toBanglaDigits, type Clock } from '../../lib/index.js';
import { TooManyRequestsError, UnauthorizedError } from '../../kernel/errors.js';
import type { Actor, Post } from '../../kernel/actor.js';
import type { RequestContext } from '../../kernel/context.js';
import { recordAudit } from '../audit/index.js';
import { hashPassword, verifyPassword, User, TOKEN_PREFIX, tokenId, tokenRecord, touchToken, type TokenSettings, recordSignIn } from '../users/index.js';
import { changeMarker } from '../../platform/db/change-marker.js';
import type { Role } from '../../kernel/roles.js';
import { findUserForSignIn } from './sign-in-user.js';

import { afterWrongAttempt, claimSignInSlot, releaseSlot, startAfterSuccess } from './sign-in-lockout.js';

// A real argon2id hash of a random string: unknown usernames cost as much time as wrong passwords.
let dummyHash: Promise<string> | undefined;

const WRONG = {
  bn: 'ব্যবহারকারীর নাম বা পাসওয়ার্ড সঠিক নয়।',
  en: 'The username or password is not correct.',
};

/** The sign-in and token settings (config.auth); `tokenDays` is what the users feature's token store reads. */
export interface AuthSettings extends TokenSettings {
  readonly lockoutAttempts: number;
  readonly lockoutMinutes: number;
}

export function authSettings(config: Config): AuthSettings {
  return config.auth;
}

function lockedError(until: Date, now: Date): TooManyRequestsError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new TooManyRequestsError(
    {
      bn: `অনেকবার ভুল পাসওয়ার্ড দেওয়ায় অ্যাকাউন্টটি সাময়িকভাবে বন্ধ আছে। ${toBanglaDigits(minutes)} মিনিট পর আবার চেষ্টা করুন।`,
      en: `Too many wrong passwords: the account is locked. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    },
    { retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000), lockedUntil: until.toISOString() },
  );
}

/**
 * Checks a username and password. The check itself is claimed first (sign-in-lockout.ts): of any number of
 * simultaneous attempts at most LOCKOUT_ATTEMPTS per counting period are checked; the rest are refused as locked.
 * A database error is thrown before the claim, or gives the claimed slot back: it never counts, never answers 401.
 */
export async function authenticate(username: string, password: string, ctx: RequestContext, settings: AuthSettings): Promise<Actor> {
  return (await authenticateWithStamp(username, password, ctx, settings)).actor;
}

/** As authenticate, with the user's passwordChangedAt as read for the check (an API token is stamped with it). */
export async function authenticateWithStamp(
  username: string,
  password: string,
  ctx: RequestContext,
  settings: AuthSettings,
): Promise<{ actor: Actor; passwordStamp: Date | null }> {
  const name = username.trim().toLowerCase();
  const now = ctx.clock.now();
  const user = await findUserForSignIn(name);
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  const unknownHash = await dummyHash;
  const grant = await claimSignInSlot(name, now, ctx.ip, settings);
  if (!grant.granted) {
    await recordAudit(ctx, { action: 'auth.sign-in-refused-locked', username: name, note: `locked until ${grant.lockedUntil.toISOString()}` });
    throw lockedError(grant.lockedUntil, now);
  }
  const { slot } = grant;
  let ok: boolean;
  try {
    ok = user ? (await verifyPassword(user.passwordHash, password)) && user.active !== false : (await verifyPassword(unknownHash, password), false);
  } catch (err) {
    await releaseSlot(slot).catch(() => undefined);
    throw err;
  }
  if (ok && user) {
    try {
      await startAfterSuccess(slot, now);
      // Not onto the user: an update's whole-document write-back could undo a simultaneous password reset.
      await recordSignIn(user._id, now);
      const actor = actorFromUser(user, ctx.clock, 'session');
      await recordAudit({ ...ctx, actor }, { action: 'auth.sign-in', entity: { type: 'user', id: String(user._id), label: user.username, office: String(user.office) } });
      return { actor, passwordStamp: user.passwordChangedAt ?? null };
    } catch (err) {
      // The password was right: a failed write after it must not leave a counted attempt behind.
      await releaseSlot(slot).catch(() => undefined);
      throw err;
    }
  }
  const state = await afterWrongAttempt(slot, settings);
  await recordAudit(ctx, {
    action: 'auth.sign-in-failed',
    username: name,
    entity: user ? { type: 'user', id: String(user._id), label: user.username, office: String(user.office) } : undefined,
    // The slot's number: unique within the generation, so the audit counts each check once.
    note: `failure ${slot.n} of ${settings.lockoutAttempts}`,
  });
  if (state.locked && state.recordsLock && state.lockedUntil) {
    // The lock is itself a claim, so it is recorded once however many attempts see the generation full.
    await recordAudit(ctx, { action: 'auth.account-locked', username: name, note: `until ${state.lockedUntil.toISOString()}` });
  }
  const remaining = state.locked ? 0 : settings.lockoutAttempts - state.held;
  throw new UnauthorizedError(
    remaining > 0 && remaining <= 2
      ? {
          bn: `${WRONG.bn} আর ${toBanglaDigits(remaining)} বার ভুল হলে অ্যাকাউন্টটি ${toBanglaDigits(settings.lockoutMinutes)} মিনিটের জন্য বন্ধ হবে।`,
          en: `${WRONG.en} ${remaining} more wrong attempt${remaining === 1 ? '' : 's'} will lock the account for ${settings.lockoutMinutes} minutes.`,
        }
      : remaining <= 0
        ? {
            bn: `${WRONG.bn} অ্যাকাউন্টটি ${toBanglaDigits(settings.lockoutMinutes)} মিনিটের জন্য বন্ধ করা হয়েছে।`,
            en: `${WRONG.en} The account is now locked for ${settings.lockoutMinutes} minutes.`,
          }
        : WRONG,
  );
}

type UserLike = {
  _id: unknown;
  username: string;
  nameBn: string;
  nameEn?: string | null;
  designationBn: string;
  designationEn?: string | null;
  office: unknown;
  roles: Role[];
  language?: string | null;
  mustChangePassword?: boolean | null;
  actingCharges?: { office: unknown; roles: Role[]; designationBn: string; designationEn?: string | null; from: string; to: string }[];
};

/** The user's own post first, then the acting charges in force on today's Dhaka date. */
export function actorFromUser(user: UserLike, clock: Clock, via: Actor['via']): Actor {
  const today = dhakaDateOf(clock.now());
  const own: Post = {
    office: String(user.office),
    roles: user.roles,
    designationBn: user.designationBn,
    designationEn: user.designationEn ?? undefined,
    acting: false,
  };
  const acting: Post[] = (user.actingCharges ?? [])
    .filter((c) => c.from <= today && today <= c.to)
    .map((c) => ({ office: String(c.office), roles: c.roles, designationBn: c.designationBn, designationEn: c.designationEn ?? undefined, acting: true }));
  return {
    userId: String(user._id),
    username: user.username,
    nameBn: user.nameBn,
    nameEn: user.nameEn ?? undefined,
    language: user.language === 'en' ? 'en' : 'bn',
    mustChangePassword: user.mustChangePassword === true,
    posts: [own, ...acting],
    via,
  };
}

/**
 * Users and tokens change rarely but are read on every request: the actor is cached in-process and the cache
 * is dropped whenever a user or token is written (model hooks bump the marker; other instances see it within
 * 500 ms). Acting charges depend on the Dhaka date, so the date is part of the key.
 */
export const authMarker = changeMarker('auth');
const actorCache = new Map<string, { version: string; actor: Actor | undefined }>();
const ACTOR_CACHE_MAX = 10_000;

async function cached(key: string, clock: Clock, load: () => Promise<Actor | undefined>): Promise<Actor | undefined> {
  const version = `${await authMarker.version()}:${dhakaDateOf(clock.now())}`;
  const hit = actorCache.get(key);
  if (hit && hit.version === version) return hit.actor;
  const actor = await load();
  if (actorCache.size >= ACTOR_CACHE_MAX) actorCache.clear();
  actorCache.set(key, { version, actor });
  return actor;
}

/** The actor for a session's user id; undefined when the user no longer exists or is inactive. */
export async function loadActor(userId: string, clock: Clock, via: Actor['via']): Promise<Actor | undefined> {
  if (!/^[0-9a-f]{24}$/i.test(userId)) return undefined;
  return cached(`user:${via}:${userId}`, clock, async () => {
    const user = await User.findById(userId).lean();
    if (!user || user.active === false) return undefined;
    return actorFromUser(user, clock, via);
  });
}

/** The actor behind a bearer token, or undefined when it is unknown, expired or revoked. */
export async function actorForToken(token: string, clock: Clock): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const id = tokenId(token);
  const now = clock.now();
  const entry = await cachedToken(id, clock);
  if (!entry || entry.expiresAt <= now) return undefined;
  // Last use is informative only (an occasional lost update is harmless); written at most once an hour, with
  // a plain collection write so it does not empty the actor caches.
  if (!entry.lastUsedAt || now.getTime() - entry.lastUsedAt.getTime() > 3_600_000) {
    entry.lastUsedAt = now;
    void touchToken(id, now).catch(() => undefined);
  }
  return entry.actor;
}

/** A token holds while the password it was issued under is still the user's (no change or reset since). */
function stampHolds(record: { passwordStamp?: Date | null; createdAt: Date }, changedAt: Date | null): boolean {
  const changed = changedAt ? new Date(changedAt).getTime() : null;
  // Issued before tokens were stamped: it holds unless the password changed after it was issued.
  if (record.passwordStamp === undefined) return changed === null || new Date(record.createdAt).getTime() >= changed;
  return (record.passwordStamp ? new Date(record.passwordStamp).getTime() : null) === changed;
}

const tokenCache = new Map<string, { version: string; entry: { actor: Actor; expiresAt: Date; lastUsedAt: Date | undefined } | undefined }>();

async function cachedToken(id: string, clock: Clock) {
  const version = `${await authMarker.version()}:${dhakaDateOf(clock.now())}`;
  const hit = tokenCache.get(id);
  if (hit && hit.version === version) return hit.entry;
  const record = await tokenRecord(id);
  let entry: { actor: Actor; expiresAt: Date; lastUsedAt: Date | undefined } | undefined;
  if (record && !record.revokedAt) {
    const user = await User.findById(record.user).lean();
    if (user && user.active !== false && stampHolds(record, user.passwordChangedAt ?? null)) {
      entry = { actor: actorFromUser(user, clock, 'token'), expiresAt: record.expiresAt, lastUsedAt: record.lastUsedAt ?? undefined };
    }
  }
  if (tokenCache.size >= ACTOR_CACHE_MAX) tokenCache.clear();
  tokenCache.set(id, { version, entry });
  return entry;
}

