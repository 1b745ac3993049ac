// API bearer tokens, a person's credentials for API clients: stored hashed (`_id` is the SHA-256 of the token, so
// checking a request's token is an `_id` read), stamped with the password they were issued under, listed and
// revoked here. Turning a token into a signed-in actor is the auth feature's (auth.service.ts, actorForToken).
import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Actor } from '../../kernel/actor.js';
import type { RequestContext } from '../../kernel/context.js';
import { NotFoundError } from '../../kernel/errors.js';
import { bumpOnWrite } from '../../platform/db/change-marker.js';
import { recordAudit } from '../audit/index.js';
import { User } from './user.model.js';

/** API bearer tokens, stored hashed: _id is the SHA-256 of the token, so a request's check is an _id read. */
const apiTokenSchema = new Schema(
  {
    _id: { type: String },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    name: { type: String, default: 'API' },
    /** The first characters, to recognise a token in lists. */
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
    /** The user's passwordChangedAt when the token was issued (null: never changed): a later change ends it. */
    passwordStamp: { type: Date },
  },
  { versionKey: false },
);
bumpOnWrite(apiTokenSchema, 'auth');
export const ApiToken = mongoose.model('ApiToken', apiTokenSchema, 'api_tokens');

/** What issuing a token needs of the configuration. */
export interface TokenSettings {
  readonly tokenDays: number;
}

export const TOKEN_PREFIX = 'udb_';

export function tokenId(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Issues a bearer token for the actor; the token itself is shown once and stored only as a hash. It is stamped
 * with the user's passwordChangedAt (as read when the password was checked, when given), and stops working
 * once the password changes again.
 */
export async function issueToken(
  ctx: RequestContext & { actor: Actor },
  settings: TokenSettings,
  name = 'API',
  passwordStamp?: Date | null,
): Promise<{ token: string; expiresAt: Date; id: string }> {
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + settings.tokenDays * 86_400_000);
  const id = tokenId(token);
  const stamp = passwordStamp !== undefined ? passwordStamp : ((await User.findById(ctx.actor.userId).select('passwordChangedAt').lean())?.passwordChangedAt ?? null);
  await ApiToken.create({ _id: id, user: ctx.actor.userId, name, prefix: token.slice(0, 10), createdAt: now, expiresAt, passwordStamp: stamp });
  await recordAudit(ctx, { action: 'token.create', entity: { type: 'token', id: id.slice(0, 16), label: name, office: ctx.actor.posts[0]?.office } });
  return { token, expiresAt, id: id.slice(0, 16) };
}

/** The stored record of a token (by its full id), or null. */
export async function tokenRecord(id: string) {
  return ApiToken.findById(id).lean();
}

/** Notes a token's last use (informative only; a plain collection write, not a versioned save). */
export async function touchToken(id: string, now: Date): Promise<void> {
  await ApiToken.collection.updateOne({ _id: id as never }, { $set: { lastUsedAt: now } });
}

export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly user: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly lastUsedAt: Date | undefined;
  readonly revokedAt: Date | undefined;
}

export async function listTokens(userIds: readonly string[]): Promise<TokenView[]> {
  const records = await ApiToken.find({ user: { $in: userIds } }).sort({ createdAt: -1 }).lean();
  return records.map((r) => ({
    id: String(r._id).slice(0, 16),
    name: r.name ?? 'API',
    prefix: r.prefix,
    user: String(r.user),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    lastUsedAt: r.lastUsedAt ?? undefined,
    revokedAt: r.revokedAt ?? undefined,
  }));
}

/** Finds a token by its public id (the first 16 hex characters of its hash). */
export async function findToken(publicId: string): Promise<{ id: string; user: string; revokedAt?: Date } | undefined> {
  if (!/^[0-9a-f]{16}$/.test(publicId)) return undefined;
  const r = await ApiToken.findOne({ _id: { $regex: `^${publicId}` } }).lean();
  return r ? { id: String(r._id), user: String(r.user), revokedAt: r.revokedAt ?? undefined } : undefined;
}

export async function revokeToken(ctx: RequestContext, fullId: string, owner: { id: string; office?: string }): Promise<void> {
  const r = await ApiToken.findById(fullId).lean();
  if (!r) throw new NotFoundError();
  if (r.revokedAt) return;
  await ApiToken.updateOne({ _id: fullId }, { $set: { revokedAt: ctx.clock.now() } });
  await recordAudit(ctx, {
    action: 'token.revoke',
    entity: { type: 'token', id: fullId.slice(0, 16), label: r.name ?? 'API', office: owner.office },
    changes: [{ field: 'revokedAt', before: null, after: ctx.clock.now().toISOString() }],
  });
}
