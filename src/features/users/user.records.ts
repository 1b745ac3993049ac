// What the users feature shows of a person: the summary and detail views built from a stored record (office
// names from the office tree, acting charges with their status on a Dhaka date), the stored search text, and
// the values the audit log compares.
import { searchKey } from '../../lib/index.js';
import type { OfficeTree } from '../offices/index.js';
import { User, type Role } from './user.model.js';

/** The fields compared for the audit log and for "what changed" on a conflict. */
export const AUDITED = [
  'nameBn',
  'nameEn',
  'designationBn',
  'designationEn',
  'office',
  'email',
  'phone',
  'language',
  'roles',
  'active',
] as const;

export interface OfficeRef {
  readonly id: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
}

export interface UserSummary {
  readonly id: string;
  readonly username: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly designationBn: string;
  readonly designationEn: string | null;
  readonly office: OfficeRef;
  readonly roles: Role[];
  readonly active: boolean;
  readonly mustChangePassword: boolean;
}

export type ChargeStatus = 'current' | 'upcoming' | 'ended';

export interface ActingChargeView {
  readonly id: string;
  readonly office: OfficeRef;
  readonly roles: Role[];
  readonly designationBn: string;
  readonly designationEn: string | null;
  /** Dhaka dates, both inclusive. */
  readonly from: string;
  readonly to: string;
  readonly note: string | null;
  readonly status: ChargeStatus;
}

export interface UserDetail extends UserSummary {
  readonly email: string | null;
  readonly phone: string | null;
  readonly language: 'bn' | 'en';
  readonly lastLoginAt: Date | null;
  readonly passwordChangedAt: Date | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  /** The optimistic-concurrency version: send it back with an edit. */
  readonly version: number;
  readonly actingCharges: ActingChargeView[];
}

/** The stored search field, the same formula as the seed and the test factories. */
export function searchTextOf(u: { nameBn: string; nameEn?: string | null; username: string; designationBn: string }): string {
  return searchKey([u.nameBn, u.nameEn ?? '', u.username, u.designationBn].join(' '));
}

function officeRef(tree: OfficeTree, id: unknown): OfficeRef {
  const node = tree.get(String(id));
  return { id: String(id), nameBn: node?.nameBn ?? '', nameEn: node?.nameEn ?? null };
}

function chargeStatus(c: { from: string; to: string }, today: string): ChargeStatus {
  if (today < c.from) return 'upcoming';
  if (today > c.to) return 'ended';
  return 'current';
}

export type Loaded = ReturnType<(typeof User)['hydrate']>;

export interface UserRecord {
  _id: unknown;
  username: string;
  nameBn: string;
  nameEn?: string | null;
  designationBn: string;
  designationEn?: string | null;
  office: unknown;
  roles: Role[];
  active?: boolean | null;
  mustChangePassword?: boolean | null;
  email?: string | null;
  phone?: string | null;
  language?: string | null;
  lastLoginAt?: Date | null;
  passwordChangedAt?: Date | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
  __v?: number;
  actingCharges?: ArrayLike<{
    _id?: unknown;
    office: unknown;
    roles: Role[];
    designationBn: string;
    designationEn?: string | null;
    from: string;
    to: string;
    note?: string | null;
  }>;
}

export function summaryOf(u: UserRecord, tree: OfficeTree): UserSummary {
  return {
    id: String(u._id),
    username: u.username,
    nameBn: u.nameBn,
    nameEn: u.nameEn ?? null,
    designationBn: u.designationBn,
    designationEn: u.designationEn ?? null,
    office: officeRef(tree, u.office),
    roles: [...u.roles],
    active: u.active !== false,
    mustChangePassword: u.mustChangePassword === true,
  };
}

function detailOf(u: UserRecord, tree: OfficeTree, today: string): UserDetail {
  return {
    ...summaryOf(u, tree),
    email: u.email ?? null,
    phone: u.phone ?? null,
    language: u.language === 'en' ? 'en' : 'bn',
    lastLoginAt: u.lastLoginAt ?? null,
    passwordChangedAt: u.passwordChangedAt ?? null,
    createdAt: u.createdAt ?? null,
    updatedAt: u.updatedAt ?? null,
    version: u.__v ?? 0,
    actingCharges: Array.from(u.actingCharges ?? []).map((c) => ({
      id: String(c._id),
      office: officeRef(tree, c.office),
      roles: [...c.roles],
      designationBn: c.designationBn,
      designationEn: c.designationEn ?? null,
      from: c.from,
      to: c.to,
      note: c.note ?? null,
      status: chargeStatus(c, today),
    })),
  };
}

export function detailOfDoc(doc: Loaded, tree: OfficeTree, today: string): UserDetail {
  return detailOf(doc.toObject() as unknown as UserRecord, tree, today);
}

/** The values compared in the audit log. */
export function snapshot(doc: Loaded): Record<string, unknown> {
  return {
    nameBn: doc.nameBn,
    nameEn: doc.nameEn,
    designationBn: doc.designationBn,
    designationEn: doc.designationEn,
    office: String(doc.office),
    email: doc.email,
    phone: doc.phone,
    language: doc.language,
    roles: [...doc.roles],
    active: doc.active !== false,
  };
}

export function entityOf(doc: { _id: unknown; username: string; office: unknown }) {
  return { type: 'user', id: String(doc._id), label: doc.username, office: String(doc.office) };
}

export function versionOf(doc: Loaded): number {
  return (doc as unknown as { __v?: number }).__v ?? 0;
}
