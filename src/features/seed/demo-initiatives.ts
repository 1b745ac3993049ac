// Demo initiatives like those in a real review of the Department of Women Affairs: three pilots running (one
// of them stuck), two live service simplifications, replications in several districts, and a citizen charter
// (the project's own text, demo-charter.ts) imported for an upazila ICT office. Idempotent: keyed by title
// (and office for the charter).
import { Types } from 'mongoose';
import { searchKey } from '../../lib/index.js';
import type { Logger } from '../../platform/logger.js';
import { Charter, parseCharter } from '../charters/index.js';
import { Initiative, recordInitiativeChange } from '../initiatives/index.js';
import { Office, markOfficesChanged } from '../offices/index.js';
import { User } from '../users/index.js';
import { DEMO_CHARTER_TEXT } from './demo-charter.js';

const day = 86_400_000;

interface Move {
  to: 'idea' | 'pilot' | 'replication' | 'institutionalised';
  daysAgo: number;
  note: string;
}

interface Demo {
  title: string;
  titleEn: string;
  kind: 'idea' | 'simplification' | 'digitized';
  problem: string;
  solution: string;
  fiscalYear: string;
  moves: Move[];
  tcvBaseline?: { days: number; taka: number; visits: number };
  tcvCurrent?: { days: number; taka: number; visits: number };
  areas?: { district: string; nameBn: string; status: 'planned' | 'orientation_held' | 'running' | 'live'; field?: boolean }[];
  pilotEvaluation?: { summary: string; beneficiaries: number; recommendation: string; tcvAfter: { days: number; taka: number; visits: number } };
  institutionalEvidence?: { policy?: string; budgetLine?: string; owningAgency?: string };
  tags: string[];
}

export const DEMO_INITIATIVES: readonly Demo[] = [
  {
    title: 'আশ্রয়কেন্দ্রে নির্যাতনের শিকার নারীদের সহায়তা',
    titleEn: 'Support for women survivors in shelters',
    kind: 'idea',
    problem: 'আশ্রয়কেন্দ্রে থাকা নির্যাতনের শিকার নারীরা আইনি ও মনোসামাজিক সহায়তা পেতে একাধিক দপ্তরে ঘুরতে হন।',
    solution: 'আশ্রয়কেন্দ্রে একক সহায়তা ডেস্ক ও অনলাইন কেস ব্যবস্থাপনা।',
    fiscalYear: '2025-26',
    moves: [{ to: 'idea', daysAgo: 200, note: 'নিবন্ধন' }, { to: 'pilot', daysAgo: 120, note: 'ইনোভেশন টিমের সভায় পাইলটিং অনুমোদিত' }],
    tcvBaseline: { days: 21, taka: 1500, visits: 5 },
    tcvCurrent: { days: 7, taka: 300, visits: 2 },
    areas: [{ district: 'BD-27', nameBn: 'খুলনা', status: 'running', field: true }],
    tags: ['নারী', 'আশ্রয়কেন্দ্র'],
  },
  {
    title: 'নারীর নিরাপদ চলাচল',
    titleEn: 'Safe movement for women',
    kind: 'digitized',
    problem: 'কর্মজীবী নারীরা সন্ধ্যার পর যাতায়াতে নিরাপত্তাহীনতায় ভোগেন।',
    solution: 'জরুরি সহায়তার মোবাইল অ্যাপ ও স্থানীয় স্বেচ্ছাসেবক নেটওয়ার্ক।',
    fiscalYear: '2024-25',
    // Piloting for almost a year with no decision: shown as stuck.
    moves: [{ to: 'idea', daysAgo: 420, note: 'নিবন্ধন' }, { to: 'pilot', daysAgo: 330, note: 'পাইলটিং শুরু' }],
    areas: [{ district: 'BD-08', nameBn: 'কুমিল্লা', status: 'running' }],
    tags: ['নিরাপত্তা', 'অ্যাপ'],
  },
  {
    title: 'আলোয় নারী',
    titleEn: 'Women in light',
    kind: 'idea',
    problem: 'গ্রামীণ নারী উদ্যোক্তারা বাজার ও প্রশিক্ষণের তথ্য পান না।',
    solution: 'ইউনিয়ন ডিজিটাল সেন্টারে নারী উদ্যোক্তা কর্নার।',
    fiscalYear: '2025-26',
    moves: [{ to: 'idea', daysAgo: 90, note: 'নিবন্ধন' }, { to: 'pilot', daysAgo: 40, note: 'পাইলটিং অনুমোদিত' }],
    tags: ['উদ্যোক্তা'],
  },
  {
    title: 'ক্ষুদ্রঋণ সেবা সহজিকরণ',
    titleEn: 'Microcredit service simplification',
    kind: 'simplification',
    problem: 'ক্ষুদ্রঋণ পেতে নারীদের উপজেলা কার্যালয়ে একাধিকবার আসতে হতো, সময় লাগত এক মাস।',
    solution: 'অনলাইন আবেদন, একই দিনে যাচাই এবং মোবাইল ব্যাংকিংয়ে বিতরণ।',
    fiscalYear: '2021-22',
    moves: [
      { to: 'idea', daysAgo: 1500, note: 'নিবন্ধন' },
      { to: 'pilot', daysAgo: 1400, note: 'পাইলটিং' },
      { to: 'replication', daysAgo: 1100, note: 'পাইলটিং মূল্যায়ন সন্তোষজনক' },
      { to: 'institutionalised', daysAgo: 600, note: 'সারাদেশে চালু' },
    ],
    tcvBaseline: { days: 30, taka: 800, visits: 4 },
    tcvCurrent: { days: 5, taka: 100, visits: 1 },
    pilotEvaluation: { summary: 'তিন উপজেলায় আবেদন নিষ্পত্তির সময় ৩০ দিন থেকে ৫ দিনে নেমেছে।', beneficiaries: 1240, recommendation: 'সব জেলায় রেপ্লিকেশন', tcvAfter: { days: 5, taka: 100, visits: 1 } },
    institutionalEvidence: { policy: 'ক্ষুদ্রঋণ কার্যক্রম বাস্তবায়ন নির্দেশিকা সংশোধন', owningAgency: 'মহিলা বিষয়ক অধিদপ্তর' },
    areas: [
      { district: 'BD-27', nameBn: 'খুলনা', status: 'live', field: true },
      { district: 'BD-08', nameBn: 'কুমিল্লা', status: 'live' },
      { district: 'BD-13', nameBn: 'ঢাকা', status: 'live' },
    ],
    tags: ['ক্ষুদ্রঋণ', 'সেবা সহজিকরণ'],
  },
  {
    title: 'নারী স্বেচ্ছাসেবী সংগঠনের অনলাইন নিবন্ধন',
    titleEn: "Online registration of women's voluntary associations",
    kind: 'simplification',
    problem: 'নিবন্ধনের জন্য কাগজের আবেদন, জেলা ও অধিদপ্তরে বারবার যাতায়াত।',
    solution: 'অনলাইন আবেদন ও ট্র্যাকিং, ই-নথিতে নিষ্পত্তি।',
    fiscalYear: '2022-23',
    moves: [
      { to: 'idea', daysAgo: 1200, note: 'নিবন্ধন' },
      { to: 'pilot', daysAgo: 1100, note: 'পাইলটিং' },
      { to: 'replication', daysAgo: 800, note: 'মূল্যায়ন সন্তোষজনক' },
      { to: 'institutionalised', daysAgo: 300, note: 'সারাদেশে লাইভ' },
    ],
    tcvBaseline: { days: 45, taka: 2000, visits: 5 },
    tcvCurrent: { days: 10, taka: 200, visits: 1 },
    pilotEvaluation: { summary: 'নিবন্ধনের সময় ৪৫ দিন থেকে ১০ দিনে নেমেছে।', beneficiaries: 310, recommendation: 'দেশব্যাপী চালু', tcvAfter: { days: 10, taka: 200, visits: 1 } },
    institutionalEvidence: { budgetLine: 'উন্নয়ন বাজেটে আইসিটি খাতে বরাদ্দ' },
    areas: [
      { district: 'BD-13', nameBn: 'ঢাকা', status: 'live' },
      { district: 'BD-27', nameBn: 'খুলনা', status: 'live' },
      { district: 'BD-54', nameBn: 'রাজশাহী', status: 'running' },
    ],
    tags: ['নিবন্ধন', 'স্বেচ্ছাসেবী সংগঠন'],
  },
];

/** Adds the demo initiatives and the sample charter that are missing. */
export async function seedDemoInitiatives(deps: { logger: Logger; now: Date }): Promise<number> {
  const hq = await Office.findOne({ code: 'dwa-hq' }).lean();
  const officer = await User.findOne({ username: 'officer' }).lean();
  const head = await User.findOne({ username: 'head' }).lean();
  const field = await User.findOne({ username: 'field' }).lean();
  if (!hq || !officer || !head) return 0;
  const fieldOffice = field ? field.office : null;
  let created = 0;
  for (const d of DEMO_INITIATIVES) {
    if (await Initiative.exists({ title: d.title })) continue;
    const at = (m: Move) => new Date(deps.now.getTime() - m.daysAgo * day);
    const last = d.moves.at(-1)!;
    const doc = await Initiative.create({
      title: d.title,
      titleEn: d.titleEn,
      kind: d.kind,
      problem: d.problem,
      solution: d.solution,
      office: hq._id,
      lead: officer._id,
      fiscalYear: d.fiscalYear,
      tcvBaseline: d.tcvBaseline,
      tcvCurrent: d.tcvCurrent,
      tags: d.tags,
      stage: last.to,
      stageEnteredAt: at(last),
      lastDecisionAt: at(last),
      pilotEvaluation: d.pilotEvaluation,
      institutionalEvidence: d.institutionalEvidence,
      history: d.moves.map((m, i) => ({
        from: i === 0 ? null : d.moves[i - 1]!.to,
        to: m.to,
        at: at(m),
        by: { id: officer._id, name: officer.nameBn },
        approvedBy: i === 0 ? undefined : { id: head._id, name: head.nameBn },
        note: m.note,
      })),
      areas: (d.areas ?? []).map((a) => ({
        districtIso: a.district,
        nameBn: a.nameBn,
        status: a.status,
        office: a.field ? fieldOffice : null,
        fieldOfficer: a.field && field ? field._id : null,
        plannedAt: new Date(at(d.moves[Math.min(1, d.moves.length - 1)]!).getTime()).toISOString().slice(0, 10),
        liveAt: a.status === 'live' ? new Date(at(last).getTime()).toISOString().slice(0, 10) : undefined,
      })),
      searchText: searchKey([d.title, d.titleEn, d.problem, d.solution, ...d.tags].join(' ')),
      createdBy: officer._id,
    });
    await recordInitiativeChange(doc._id);
    created += 1;
  }
  await seedSampleCharter(deps.now);
  if (created) deps.logger.info({ created }, 'demo initiatives seeded');
  return created;
}

/** An upazila ICT office (its own small tree) with the published sample charter. */
async function seedSampleCharter(now: Date): Promise<void> {
  const tree = [
    { code: 'ictd', parent: null, level: 'department' as const, nameBn: 'তথ্য ও যোগাযোগ প্রযুক্তি অধিদপ্তর', nameEn: 'Department of ICT' },
    { code: 'ictd-upz-paikgachha', parent: 'ictd', level: 'upazila' as const, nameBn: 'উপজেলা তথ্য ও যোগাযোগ প্রযুক্তি কার্যালয়, পাইকগাছা, খুলনা', nameEn: 'Upazila ICT Office, Paikgachha, Khulna', geoCode: '4764' },
  ];
  const ids = new Map<string, { _id: Types.ObjectId; ancestors: Types.ObjectId[] }>();
  let changed = false;
  for (const o of tree) {
    let doc = await Office.findOne({ code: o.code }).lean();
    if (!doc) {
      const parent = o.parent ? ids.get(o.parent) : undefined;
      try {
        await Office.create({ ...o, parent: parent?._id ?? null, ancestors: parent ? [...parent.ancestors, parent._id] : [] });
        changed = true;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      doc = await Office.findOne({ code: o.code }).lean();
    }
    ids.set(o.code, { _id: doc!._id, ancestors: doc!.ancestors });
  }
  if (changed) await markOfficesChanged();
  const office = ids.get('ictd-upz-paikgachha')!._id;
  if (await Charter.exists({ _id: String(office) })) return;
  const parsed = parseCharter(DEMO_CHARTER_TEXT);
  // The text is the project's own: a row it cannot read is a mistake in it, not a user's file to forgive.
  if (parsed.errors.length) throw new Error(`seed: the demo charter has unreadable rows: ${JSON.stringify(parsed.errors)}`);
  await Charter.create({ _id: String(office), office, version: 1, current: true, services: parsed.services, vision: parsed.vision, mission: parsed.mission, importedAt: now, importedBy: { name: 'ডেমো' } });
}
