// Test data factories: createOffice(overrides), createUser(overrides). Small, explicit, one record each.
import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { Office, type OfficeLevel } from '../../src/features/offices/office.model.js';
import { markOfficesChanged } from '../../src/features/offices/office-tree.js';
import { hashPassword } from '../../src/features/users/password.js';
import { User, type Role } from '../../src/features/users/user.model.js';
import { searchKey } from '../../src/lib/index.js';

export const TEST_PASSWORD = 'test-password-1';
let hash: Promise<string> | undefined;
/** One argon2 hash per run: hashing is deliberately slow. */
export function testPasswordHash(): Promise<string> {
  return (hash ??= hashPassword(TEST_PASSWORD));
}

export interface OfficeOverrides {
  parent?: { _id: Types.ObjectId; ancestors: Types.ObjectId[] } | null;
  level?: OfficeLevel;
  nameBn?: string;
  nameEn?: string;
  code?: string;
  geoCode?: string;
  active?: boolean;
}

export async function createOffice(o: OfficeOverrides = {}) {
  const suffix = crypto.randomBytes(6).toString('hex');
  const doc = await Office.create({
    code: o.code ?? `test-${suffix}`,
    nameBn: o.nameBn ?? `পরীক্ষা দপ্তর ${suffix}`,
    nameEn: o.nameEn ?? `Test office ${suffix}`,
    level: o.level ?? 'upazila',
    parent: o.parent?._id ?? null,
    ancestors: o.parent ? [...o.parent.ancestors, o.parent._id] : [],
    geoCode: o.geoCode,
    active: o.active ?? true,
  });
  await markOfficesChanged();
  return doc;
}

export interface UserOverrides {
  office: { _id: Types.ObjectId };
  roles?: Role[];
  username?: string;
  nameBn?: string;
  nameEn?: string;
  designationBn?: string;
  active?: boolean;
  mustChangePassword?: boolean;
  email?: string;
}

export async function createUser(o: UserOverrides) {
  const suffix = crypto.randomBytes(3).toString('hex');
  const nameBn = o.nameBn ?? `ব্যবহারকারী ${suffix}`;
  const username = o.username ?? `user-${suffix}`;
  const designationBn = o.designationBn ?? 'কর্মকর্তা';
  return User.create({
    username,
    nameBn,
    nameEn: o.nameEn ?? `User ${suffix}`,
    designationBn,
    office: o.office._id,
    roles: o.roles ?? [],
    active: o.active ?? true,
    mustChangePassword: o.mustChangePassword ?? false,
    email: o.email,
    passwordHash: await testPasswordHash(),
    searchText: searchKey([nameBn, o.nameEn ?? '', username, designationBn].join(' ')),
  });
}

/**
 * A small world: a ministry root with two districts, each with an upazila, and one user per role at the
 * ministry, plus a field officer in each upazila.
 */
export async function createWorld() {
  const root = await createOffice({ level: 'ministry', nameBn: 'মন্ত্রণালয়' });
  const districtA = await createOffice({ parent: root, level: 'district', nameBn: 'জেলা ক' });
  const districtB = await createOffice({ parent: root, level: 'district', nameBn: 'জেলা খ' });
  const upazilaA = await createOffice({ parent: districtA, level: 'upazila', nameBn: 'উপজেলা ক' });
  const upazilaB = await createOffice({ parent: districtB, level: 'upazila', nameBn: 'উপজেলা খ' });
  return { root, districtA, districtB, upazilaA, upazilaB };
}
