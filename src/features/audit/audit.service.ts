// The audit log: who did what, when, to which record, with before/after of the changed fields, and from where.
import { dhakaDateOf } from '../../lib/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { AuditEntry, type AuditDoc } from './audit.model.js';

/** What a service needs to know about the request it serves. */
export type { RequestContext } from '../../kernel/context.js';

export interface Change {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditInput {
  readonly action: string;
  readonly entity?: { type: string; id: string; label?: string; office?: string | null };
  readonly changes?: readonly Change[];
  readonly note?: string;
  /** The record's version after the change. */
  readonly version?: number;
  /** For events without a signed-in actor (a failed sign-in names the username tried). */
  readonly username?: string;
}

export async function recordAudit(ctx: RequestContext, input: AuditInput): Promise<void> {
  const at = ctx.clock.now();
  await AuditEntry.create({
    at,
    day: dhakaDateOf(at),
    actor: {
      id: ctx.actor?.userId ?? null,
      username: ctx.actor?.username ?? input.username,
      name: ctx.actor?.nameBn,
    },
    action: input.action,
    entity: input.entity ? { ...input.entity, office: input.entity.office ?? null } : undefined,
    changes: [...(input.changes ?? [])],
    note: input.note,
    version: input.version,
    ip: ctx.ip,
    requestId: ctx.requestId,
  });
}

/** The fields whose values differ between `before` and `after` (compared as JSON; secrets are masked). */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): Change[] {
  const changes: Change[] = [];
  for (const field of fields) {
    const a = normalise(before[field]);
    const b = normalise(after[field]);
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      const secret = /password|token|hash/i.test(field);
      changes.push({ field, before: secret ? '••••' : a, after: secret ? '••••' : b });
    }
  }
  return changes;
}

function normalise(v: unknown): unknown {
  if (v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object' && 'toHexString' in v) return String(v);
  if (v && typeof v === 'object') return JSON.parse(JSON.stringify(v)) as unknown;
  return v;
}

export interface AuditQuery {
  readonly user?: string;
  readonly entityId?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
  /** Restrict to entries about these offices, or by actors of them (undefined: all). */
  readonly offices?: ReadonlySet<string>;
  readonly page: number;
  readonly pageSize: number;
}

export async function findAudit(q: AuditQuery): Promise<{ items: AuditDoc[]; total: number }> {
  const filter: Record<string, unknown> = {};
  if (q.user) filter['actor.username'] = q.user.toLowerCase();
  if (q.entityId) filter['entity.id'] = q.entityId;
  if (q.action) filter.action = { $regex: `^${q.action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` };
  if (q.from || q.to) filter.day = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
  if (q.offices) filter.$or = [{ 'entity.office': { $in: [...q.offices] } }, { 'entity.office': null }];
  const [items, total] = await Promise.all([
    AuditEntry.find(filter)
      .sort({ at: -1, _id: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    AuditEntry.countDocuments(filter),
  ]);
  return { items: items as AuditDoc[], total };
}

/** The fields of a record changed after `version` (from the audit log), for a 409 on a stale edit. */
export async function fieldsChangedSince(entityType: string, entityId: string, version: number): Promise<string[]> {
  const entries = await AuditEntry.find({ 'entity.type': entityType, 'entity.id': entityId, version: { $gt: version } }, { changes: 1 }).lean();
  return [...new Set(entries.flatMap((e) => (e.changes ?? []).map((c) => String(c.field))))].sort();
}
