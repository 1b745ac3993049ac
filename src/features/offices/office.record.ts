// An office as the pages and the API show it, how a stored document becomes one, and the pieces the office
// services share: the edited and audited fields, the audit entity and version step, the actor, loading by id.
import { NotFoundError, UnauthorizedError } from '../../kernel/errors.js';
import { Office, type OfficeLevel } from './office.model.js';
import { MEMO_SEGMENT_KEYS, OBJECT_ID, type MemoSegmentKey } from './office.schemas.js';
import type { Actor } from '../../kernel/actor.js';
import type { Change } from '../audit/index.js';
import type { RequestContext } from '../../kernel/context.js';

export type MemoSegments = Partial<Record<MemoSegmentKey, string>>;

/** An office as the pages and the API show it. */
export interface OfficeRecord {
  readonly id: string;
  readonly code: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly shortName: string | null;
  readonly level: OfficeLevel;
  readonly parent: string | null;
  readonly ancestors: readonly string[];
  readonly geoCode: string | null;
  readonly districtIso: string | null;
  readonly addressBn: string | null;
  readonly addressEn: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly memoSegments: MemoSegments | null;
  readonly active: boolean;
  /** The optimistic-concurrency version (__v): send it back with an edit. */
  readonly version: number;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
}

/** The fields an edit may change, in the order the audit log lists them. */
export const EDITABLE = [
  'nameBn',
  'nameEn',
  'shortName',
  'level',
  'geoCode',
  'districtIso',
  'addressBn',
  'addressEn',
  'phone',
  'email',
  'memoSegments',
] as const;
export const AUDITED = ['code', ...EDITABLE, 'parent', 'ancestors', 'active'] as const;

export type OfficeDocument = InstanceType<typeof Office>;

/** The signed-in actor of a service call (401 without one). */
export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new UnauthorizedError();
  return ctx.actor;
}

/** The memo segments that are set, or null when none is. */
export function plainSegments(value: unknown): MemoSegments | null {
  if (!value || typeof value !== 'object') return null;
  const source = value as Record<string, unknown>;
  const out: MemoSegments = {};
  for (const k of MEMO_SEGMENT_KEYS) if (typeof source[k] === 'string' && source[k] !== '') out[k] = source[k];
  return Object.keys(out).length ? out : null;
}

/** The record of a stored office. */
export function recordOf(doc: OfficeDocument): OfficeRecord {
  const o = doc.toObject();
  return {
    id: String(o._id),
    code: o.code,
    nameBn: o.nameBn,
    nameEn: o.nameEn ?? null,
    shortName: o.shortName ?? null,
    level: o.level,
    parent: o.parent ? String(o.parent) : null,
    ancestors: (o.ancestors ?? []).map(String),
    geoCode: o.geoCode ?? null,
    districtIso: o.districtIso ?? null,
    addressBn: o.addressBn ?? null,
    addressEn: o.addressEn ?? null,
    phone: o.phone ?? null,
    email: o.email ?? null,
    memoSegments: plainSegments(o.memoSegments),
    active: o.active !== false,
    version: typeof o.__v === 'number' ? o.__v : 0,
    createdAt: o.createdAt ? new Date(o.createdAt).toISOString() : null,
    updatedAt: o.updatedAt ? new Date(o.updatedAt).toISOString() : null,
  };
}

/** The audited fields of a record, for diff(). */
export function snapshot(r: OfficeRecord): Record<string, unknown> {
  return { ...r, memoSegments: r.memoSegments ?? null };
}

/** The office as the audit log names it. */
export function entityOf(r: OfficeRecord) {
  return { type: 'office', id: r.id, label: r.nameBn, office: r.id };
}

/** The version step of a change, kept in the audit entry so a 409 can say what changed since. */
export function versionChange(before: number | null, after: number): Change {
  return { field: 'version', before, after };
}

/** The stored office with this id (404 when unknown or malformed); its scope is the caller's to check. */
export async function loadOffice(id: string): Promise<OfficeDocument> {
  if (!OBJECT_ID.test(id)) throw new NotFoundError();
  const doc = await Office.findById(id);
  if (!doc) throw new NotFoundError();
  return doc;
}
