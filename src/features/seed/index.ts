// The demo: the Department of Women Affairs headquarters, its divisional offices, a few district and upazila
// offices, and one user per role. Idempotent: everything is keyed by a unique code or username, so a second
// run adds only what is missing and never overwrites what people changed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Types } from 'mongoose';
import type { Config } from '../../config.js';
import type { Logger } from '../../platform/logger.js';
import type { OfficeLevel } from '../../kernel/office-tree.js';
import { Office, markOfficesChanged } from '../offices/index.js';
import { searchKey } from '../../lib/index.js';
import { hashPassword, User } from '../users/index.js';
import { seedDemoInitiatives } from './demo-initiatives.js';
import { seedDemoMeetings } from './demo-meetings.js';
import { seedDemoLetterhead } from './demo-letterhead.js';
import type { Role } from '../../kernel/roles.js';

export interface SeedReport {
  readonly created: { offices: number; users: number };
  readonly logins: readonly { username: string; role: Role }[];
  readonly password: string;
  readonly passwordSource: 'DEMO_PASSWORD' | 'generated';
  readonly passwordFile: string | undefined;
}

interface OfficeSeed {
  code: string;
  parent: string | null;
  level: OfficeLevel;
  nameBn: string;
  nameEn: string;
  geoCode?: string;
  addressBn?: string;
}

const DIVISIONS: [string, string, string][] = [
  ['barishal', 'বরিশাল', 'Barishal'],
  ['chattogram', 'চট্টগ্রাম', 'Chattogram'],
  ['dhaka', 'ঢাকা', 'Dhaka'],
  ['khulna', 'খুলনা', 'Khulna'],
  ['mymensingh', 'ময়মনসিংহ', 'Mymensingh'],
  ['rajshahi', 'রাজশাহী', 'Rajshahi'],
  ['rangpur', 'রংপুর', 'Rangpur'],
  ['sylhet', 'সিলেট', 'Sylhet'],
];

export const DEMO_OFFICES: readonly OfficeSeed[] = [
  { code: 'mowca', parent: null, level: 'ministry', nameBn: 'নারী ও শিশু মন্ত্রণালয়', nameEn: 'Ministry of Women and Children Affairs' },
  {
    code: 'dwa-hq',
    parent: 'mowca',
    level: 'department',
    nameBn: 'মহিলা বিষয়ক অধিদপ্তর',
    nameEn: 'Department of Women Affairs',
    geoCode: '0000',
    addressBn: '৩৭/৩ ইস্কাটন গার্ডেন রোড, ঢাকা-১০০০',
  },
  ...DIVISIONS.map(([key, bn, en]) => ({
    code: `dwa-div-${key}`,
    parent: 'dwa-hq',
    level: 'division' as const,
    nameBn: `বিভাগীয় মহিলা বিষয়ক কার্যালয়, ${bn}`,
    nameEn: `Divisional Women Affairs Office, ${en}`,
  })),
  { code: 'dwa-dist-khulna', parent: 'dwa-div-khulna', level: 'district', nameBn: 'জেলা মহিলা বিষয়ক কার্যালয়, খুলনা', nameEn: 'District Women Affairs Office, Khulna', geoCode: '4700' },
  { code: 'dwa-upz-paikgachha', parent: 'dwa-dist-khulna', level: 'upazila', nameBn: 'উপজেলা মহিলা বিষয়ক কার্যালয়, পাইকগাছা, খুলনা', nameEn: 'Upazila Women Affairs Office, Paikgachha, Khulna', geoCode: '4764' },
  { code: 'dwa-upz-dumuria', parent: 'dwa-dist-khulna', level: 'upazila', nameBn: 'উপজেলা মহিলা বিষয়ক কার্যালয়, ডুমুরিয়া, খুলনা', nameEn: 'Upazila Women Affairs Office, Dumuria, Khulna', geoCode: '4730' },
  { code: 'dwa-dist-cumilla', parent: 'dwa-div-chattogram', level: 'district', nameBn: 'জেলা মহিলা বিষয়ক কার্যালয়, কুমিল্লা', nameEn: 'District Women Affairs Office, Cumilla', geoCode: '1900' },
  { code: 'dwa-upz-daudkandi', parent: 'dwa-dist-cumilla', level: 'upazila', nameBn: 'উপজেলা মহিলা বিষয়ক কার্যালয়, দাউদকান্দি, কুমিল্লা', nameEn: 'Upazila Women Affairs Office, Daudkandi, Cumilla', geoCode: '1936' },
];

interface UserSeed {
  username: string;
  role: Role;
  office: string;
  nameBn: string;
  nameEn: string;
  designationBn: string;
  designationEn: string;
}

export const DEMO_USERS: readonly UserSeed[] = [
  { username: 'admin', role: 'admin', office: 'dwa-hq', nameBn: 'সিস্টেম অ্যাডমিন', nameEn: 'System Admin', designationBn: 'সিস্টেম অ্যানালিস্ট', designationEn: 'System Analyst' },
  { username: 'officer', role: 'innovation_officer', office: 'dwa-hq', nameBn: 'নাসরিন আক্তার', nameEn: 'Nasrin Akter', designationBn: 'উপপরিচালক ও ইনোভেশন অফিসার', designationEn: 'Deputy Director and Innovation Officer' },
  { username: 'head', role: 'head', office: 'dwa-hq', nameBn: 'ফারহানা হোসেন', nameEn: 'Farhana Hossain', designationBn: 'মহাপরিচালক', designationEn: 'Director General' },
  { username: 'field', role: 'field_officer', office: 'dwa-upz-paikgachha', nameBn: 'শারমিন সুলতানা', nameEn: 'Sharmin Sultana', designationBn: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা', designationEn: 'Upazila Women Affairs Officer' },
  { username: 'monitor', role: 'monitor', office: 'dwa-hq', nameBn: 'মোঃ রফিকুল ইসলাম', nameEn: 'Md. Rafiqul Islam', designationBn: 'সহকারী পরিচালক (পরিবীক্ষণ)', designationEn: 'Assistant Director (Monitoring)' },
  { username: 'observer', role: 'observer', office: 'dwa-hq', nameBn: 'তানিয়া রহমান', nameEn: 'Tania Rahman', designationBn: 'চিফ ইনোভেশন অফিসার', designationEn: 'Chief Innovation Officer' },
];

/** Creates the demo offices and users that are missing. */
export async function seedDemo(deps: { config: Config; logger: Logger }): Promise<SeedReport> {
  const { config, logger } = deps;
  const { password, source, file } = demoPassword(config);
  let offices = 0;
  const ids = new Map<string, { id: Types.ObjectId; ancestors: Types.ObjectId[] }>();
  for (const o of DEMO_OFFICES) {
    const parent = o.parent ? ids.get(o.parent) : undefined;
    const ancestors = parent ? [...parent.ancestors, parent.id] : [];
    const existing = await Office.findOne({ code: o.code }).lean();
    if (existing) {
      ids.set(o.code, { id: existing._id, ancestors: existing.ancestors });
      continue;
    }
    const created = await insertIgnoringDuplicate(() =>
      new Office({ ...o, parent: parent?.id ?? null, ancestors }).save(),
    );
    const doc = created ?? (await Office.findOne({ code: o.code }).lean());
    if (!doc) throw new Error(`seed: office ${o.code} vanished`);
    if (created) offices += 1;
    ids.set(o.code, { id: doc._id, ancestors: doc.ancestors });
  }

  if (offices) await markOfficesChanged();
  let users = 0;
  const passwordHash = await hashPassword(password);
  for (const u of DEMO_USERS) {
    if (await User.exists({ username: u.username })) continue;
    const { role, office, ...rest } = u;
    const created = await insertIgnoringDuplicate(() =>
      new User({
        ...rest,
        roles: [role],
        office: ids.get(office)!.id,
        passwordHash,
        searchText: searchKey([rest.nameBn, rest.nameEn, rest.username, rest.designationBn].join(' ')),
      }).save(),
    );
    if (created) users += 1;
  }
  if (offices || users) logger.info({ offices, users }, 'demo data seeded');
  await seedDemoInitiatives({ logger, now: new Date() });
  // Before the meetings: the minutes the demo issues print the headquarters' letterhead with its motto.
  await seedDemoLetterhead({ logger, now: new Date() });
  await seedDemoMeetings({ logger, now: new Date() });
  return {
    created: { offices, users },
    logins: DEMO_USERS.map((u) => ({ username: u.username, role: u.role })),
    password,
    passwordSource: source,
    passwordFile: file,
  };
}

/** DEMO_PASSWORD, else one generated at the first start and kept in the data folder (so restarts print it again). */
function demoPassword(config: Config): { password: string; source: SeedReport['passwordSource']; file: string | undefined } {
  if (config.demoPassword) return { password: config.demoPassword, source: 'DEMO_PASSWORD', file: undefined };
  const file = path.join(config.dataDir, 'demo-password.txt');
  try {
    const saved = fs.readFileSync(file, 'utf8').trim();
    if (saved.length >= 8) return { password: saved, source: 'generated', file };
  } catch {
    /* first start */
  }
  const generated = crypto.randomBytes(9).toString('base64url');
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  return { password: generated, source: 'generated', file };
}

/** Two seeds racing (two app instances starting together) must not fail: the unique index decides. */
async function insertIgnoringDuplicate<T>(insert: () => Promise<T>): Promise<T | undefined> {
  try {
    return await insert();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return undefined;
    throw err;
  }
}
