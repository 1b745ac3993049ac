// API tokens: one's own (list, issue, revoke) and, with token.manage, those of the people in one's subtree.
import { NotFoundError } from '../../kernel/errors.js';
import { findToken, issueToken, listTokens, revokeToken, type TokenSettings, type TokenView } from './api-tokens.js';
import { assertCan } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { getUser } from './directory.service.js';
import { User } from './user.model.js';
import type { UserDetail } from './user.records.js';
import { actorOf } from './user.store.js';

export type TokenStatus = 'active' | 'expired' | 'revoked';

export interface TokenInfo extends TokenView {
  readonly status: TokenStatus;
}

function withStatus(ctx: RequestContext, tokens: TokenView[]): TokenInfo[] {
  const now = ctx.clock.now();
  return tokens.map((t) => ({ ...t, status: t.revokedAt ? 'revoked' : t.expiresAt <= now ? 'expired' : 'active' }));
}

/** One's own API tokens (hashes only; the token itself is never stored). */
export async function listOwnTokens(ctx: RequestContext): Promise<TokenInfo[]> {
  return withStatus(ctx, await listTokens([actorOf(ctx).userId]));
}

/** Issues an API token for oneself; the token is returned once. */
export async function createOwnToken(
  ctx: RequestContext,
  settings: TokenSettings,
  name?: string,
): Promise<{ token: string; expiresAt: Date; id: string }> {
  const actor = actorOf(ctx);
  return issueToken({ ...ctx, actor }, settings, name ?? 'API');
}

/** Revokes a token: one's own, or (token.manage) another person's in the caller's subtree. */
export async function revokeOwnOrManagedToken(ctx: RequestContext, tokenId: string): Promise<void> {
  const actor = actorOf(ctx);
  const token = await findToken(tokenId);
  if (!token) throw new NotFoundError();
  const owner = await User.findById(token.user).lean();
  const office = owner ? String(owner.office) : undefined;
  if (token.user !== actor.userId) assertCan(actor, 'token.manage', await officeTree(), { office: office ?? null });
  await revokeToken(ctx, token.id, { id: token.user, office });
}

/** A person's API tokens (token.manage, within the admin's subtree). */
export async function listUserTokens(ctx: RequestContext, userId: string): Promise<{ user: UserDetail; tokens: TokenInfo[] }> {
  const user = await getUser(ctx, userId, 'token.manage');
  return { user, tokens: withStatus(ctx, await listTokens([user.id])) };
}

/** Revokes one of a person's tokens (token.manage); a token of someone else is not found. */
export async function revokeUserToken(ctx: RequestContext, userId: string, tokenId: string): Promise<void> {
  const user = await getUser(ctx, userId, 'token.manage');
  const token = await findToken(tokenId);
  if (!token || token.user !== user.id) throw new NotFoundError();
  await revokeToken(ctx, token.id, { id: user.id, office: user.office.id });
}
