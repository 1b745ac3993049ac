// Loading and saving people for the users feature's services: a record is loaded with its scope checked
// (404 outside it), saved at the version read (a lost race or a stale version is a ConflictError naming the
// changed fields) and audited; passwords are written through the versioned mechanism.
import { dhakaDateOf } from '../../lib/index.js';
import { saveVersioned } from '../../platform/db/versioned.js';
import { ConflictError, NotFoundError, UnauthorizedError, type Message } from '../../kernel/errors.js';
import { assertCan, type Action, type Target } from '../access/index.js';
import { findAudit, recordAudit, type Change } from '../audit/index.js';
import { officeTree } from '../offices/index.js';
import type { Actor } from '../../kernel/actor.js';
import type { RequestContext } from '../../kernel/context.js';
import { setUserFields } from './user-field-write.js';
import { User } from './user.model.js';
import { entityOf, snapshot, versionOf, type Loaded, type UserRecord } from './user.records.js';

const msg = (bn: string, en: string): Message => ({ bn, en });

const MESSAGES = {
  stale: msg(
    'আপনি পাতাটি খোলার পর অন্য কেউ এই তথ্য পরিবর্তন করেছেন। নিচে বর্তমান তথ্য দেখে আবার সংরক্ষণ করুন।',
    'Someone else changed this record after you opened it. Check the current values and save again.',
  ),
  busy: msg(
    'এই মুহূর্তে অন্য কেউ এই ব্যবহারকারীর তথ্য সংরক্ষণ করছেন; পাসওয়ার্ড বদলানো হয়নি। আবার চেষ্টা করুন।',
    'Someone else is saving this person right now; the password was not changed. Try again.',
  ),
};

/** A password write through the versioned mechanism (user-field-write.ts): 404 or 409, never a silent loss. */
export async function writePassword(userId: unknown, fields: Record<string, unknown>): Promise<number> {
  const result = await setUserFields(userId, fields, { changed: ['password', 'mustChangePassword'] });
  if (result.written) return result.version;
  if (result.reason === 'missing') throw new NotFoundError();
  throw new ConflictError(MESSAGES.busy, { changed: [] });
}

export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new UnauthorizedError();
  return ctx.actor;
}

export function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

export function todayOf(ctx: RequestContext): string {
  return dhakaDateOf(ctx.clock.now());
}

/** The target for a scope check: the user's office; for reading, also the offices of acting charges in force. */
function targetOf(doc: UserRecord, action: Action, today: string): Target {
  if (action !== 'user.read') return { office: String(doc.office) };
  const acting = Array.from(doc.actingCharges ?? [])
    .filter((c) => c.from <= today && today <= c.to)
    .map((c) => String(c.office));
  return { office: String(doc.office), assignedOffices: acting };
}

export async function loadFor(ctx: RequestContext, userId: string, action: Action, withPassword = false) {
  const actor = actorOf(ctx);
  if (!isObjectId(userId)) throw new NotFoundError();
  const query = User.findById(userId);
  const doc = withPassword ? await query.select('+passwordHash') : await query;
  if (!doc) throw new NotFoundError();
  const tree = await officeTree();
  const today = todayOf(ctx);
  assertCan(actor, action, tree, targetOf(doc.toObject() as unknown as UserRecord, action, today));
  return { actor, doc, tree, today };
}

/**
 * The fields changed since `version`: each versioned save is audited with the note "version N", so the
 * entries after the editor's version name them. Without such entries, the fields that differ from the edit.
 */
async function changedSince(userId: string, version: number, fallback: () => string[]): Promise<string[]> {
  const { items } = await findAudit({ entityId: userId, page: 1, pageSize: 200 });
  const fields = new Set<string>();
  for (const e of items) {
    const m = /^version (\d+)$/.exec(e.note ?? '');
    if (m && Number(m[1]) > version) for (const c of e.changes ?? []) if (c.field) fields.add(c.field);
  }
  return fields.size ? [...fields] : fallback();
}

export async function staleError(
  doc: Loaded,
  version: number,
  edit: Record<string, unknown>,
  claimed: readonly string[] = [],
): Promise<ConflictError> {
  const current = snapshot(doc);
  const changed = await changedSince(String(doc._id), version, () =>
    Object.keys(edit).filter((k) => k in current && JSON.stringify(current[k] ?? null) !== JSON.stringify(edit[k] ?? null)),
  );
  // The winner's audit entry may not be written yet: what its claim says it changes counts too.
  for (const f of claimed) if (!changed.includes(f)) changed.push(f);
  return new ConflictError(MESSAGES.stale, { changed, version: versionOf(doc), current });
}

/** Saves a versioned change and audits it; a save that lost the race for its version becomes a ConflictError. */
export async function saveAudited(ctx: RequestContext, doc: Loaded, action: string, changes: Change[]): Promise<void> {
  const readVersion = versionOf(doc);
  await saveVersioned('user', doc, {
    changed: changes.map((c) => c.field),
    lost: async (claimed) => {
      const fresh = await User.findById(doc._id);
      throw fresh ? await staleError(fresh, readVersion, {}, claimed) : new NotFoundError();
    },
  });
  await recordAudit(ctx, { action, entity: entityOf(doc), changes, note: `version ${versionOf(doc)}` });
}
