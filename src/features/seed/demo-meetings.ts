// Demo meetings: the headquarters' memo register in the 2014 layout, a past review meeting whose minutes were
// signed by the director-general and issued with open decisions, and the next meeting, in draft, that reviews
// them. Everything goes through the meeting services, as the innovation officer and the head would. Idempotent:
// keyed by the register's name and the meetings' subjects.
import { dhakaInstant, dhakaDateOf, addDays, type Clock } from '../../lib/index.js';
import type { Logger } from '../../platform/logger.js';
import { loadActor } from '../auth/index.js';
import { Meeting, createMeeting, issueMinutes, saveMinutes, signMinutes, submitMinutes, type Ctx } from '../meetings/index.js';
import { createRegister, MemoRegister } from '../memo-numbers/index.js';
import { Office } from '../offices/index.js';
import { User } from '../users/index.js';

export const PAST_MEETING_SUBJECT = 'মহিলা বিষয়ক অধিদপ্তরের ইনোভেশন টিমের মাসিক পর্যালোচনা সভার কার্যবিবরণী';
export const NEXT_MEETING_SUBJECT = 'মহিলা বিষয়ক অধিদপ্তরের ইনোভেশন টিমের পরবর্তী পর্যালোচনা সভা';

export async function seedDemoMeetings(deps: { logger: Logger; now: Date }): Promise<void> {
  const hq = await Office.findOne({ code: 'dwa-hq' }).lean();
  const officerUser = await User.findOne({ username: 'officer' }).lean();
  const headUser = await User.findOne({ username: 'head' }).lean();
  const adminUser = await User.findOne({ username: 'admin' }).lean();
  const fieldUser = await User.findOne({ username: 'field' }).lean();
  if (!hq || !officerUser || !headUser || !adminUser) return;
  // The demo's past is a month before today; the next meeting a week ahead.
  const today = dhakaDateOf(deps.now);
  const pastDay = addDays(today, -30);
  const clockAt = (d: Date): Clock => ({ now: () => d });
  const ctx = async (userId: unknown, at: Date): Promise<Ctx> => {
    const actor = await loadActor(String(userId), clockAt(at), 'session');
    if (!actor) throw new Error('seed: demo user cannot act');
    return { actor, clock: clockAt(at) };
  };

  if (!(await MemoRegister.exists({ office: hq._id, name: 'সাধারণ নথি (কার্যবিবরণী)' }))) {
    await createRegister(await ctx(adminUser._id, deps.now), {
      office: String(hq._id),
      name: 'সাধারণ নথি (কার্যবিবরণী)',
      layout: '2014',
      segments: { ministry: '32', department: '01', geo: '0000', branch: '021', subject: '25', file: '011', year: '20' },
      separator: '-',
      startSerial: 1,
      file: '৩২.০১.০০০০.০২১.২৫.০১১.২০',
      isDefault: true,
    });
  }

  let past = await Meeting.findOne({ subject: PAST_MEETING_SUBJECT }).lean();
  if (!past) {
    const at = dhakaInstant(pastDay, 10, 0);
    const officer = await ctx(officerUser._id, at);
    const m = await createMeeting(officer, {
      kind: 'review',
      subject: PAST_MEETING_SUBJECT,
      office: String(hq._id),
      chair: { user: String(headUser._id) },
      venue: 'অধিদপ্তরের সম্মেলন কক্ষ (জুম প্ল্যাটফর্মে সংযুক্ত)',
      startsAt: at,
      series: 'dwa-hq-innovation-review',
      attendance: [
        { user: String(headUser._id), present: true },
        { user: String(officerUser._id), present: true },
        ...(fieldUser ? [{ user: String(fieldUser._id), present: true }] : []),
        { name: 'মোঃ রফিকুল ইসলাম', designation: 'সহকারী পরিচালক (পরিবীক্ষণ)', office: 'মহিলা বিষয়ক অধিদপ্তর', present: true },
        { name: 'সেলিনা পারভীন', designation: 'জেলা মহিলা বিষয়ক কর্মকর্তা, কুমিল্লা', office: 'জেলা মহিলা বিষয়ক কার্যালয়, কুমিল্লা', present: false, reason: 'ছুটিতে' },
      ],
      observers: [],
      agendaItems: [{ text: 'বিগত সভার সিদ্ধান্ত বাস্তবায়ন অগ্রগতি', initiatives: [] }, { text: 'পাইলটিং উদ্যোগসমূহের অগ্রগতি', initiatives: [] }, { text: 'ত্রৈমাসিক পরিবীক্ষণ প্রতিবেদন', initiatives: [] }],
    });
    const id = String(m._id);
    await saveMinutes(officer, id, {
      opening: 'সভাপতি উপস্থিত সকলকে স্বাগত জানিয়ে সভার কাজ শুরু করেন। বিগত সভার কার্যবিবরণী পাঠ করে শোনানো হয় এবং কোনো সংশোধনী প্রস্তাব না থাকায় তা সর্বসম্মতিক্রমে দৃঢ়ীকরণ করা হয়।',
      confirmation: '',
      items: [
        { topic: '"আশ্রয়কেন্দ্রে নির্যাতনের শিকার নারীদের সহায়তা" উদ্যোগের পাইলটিং', paragraphs: ['খুলনা জেলায় পাইলটিং চলমান; এ পর্যন্ত ৩১২ জন সেবা পেয়েছেন। সেবা পেতে সময় ২১ দিন থেকে ৭ দিনে নেমেছে।'], speakers: ['উপজেলা মহিলা বিষয়ক কর্মকর্তা, পাইকগাছা'] },
        { topic: '"নারীর নিরাপদ চলাচল" উদ্যোগ', paragraphs: ['দীর্ঘ দিন ধরে পাইলটিং পর্যায়ে রয়েছে; কোনো উদ্যোগ পাইলট পর্যায়ে শেষ হবে না মর্মে মহাপরিচালক নির্দেশনা দেন।'], speakers: ['মহাপরিচালক'] },
        { topic: 'ত্রৈমাসিক পরিবীক্ষণ প্রতিবেদন', paragraphs: ['জুলাই–সেপ্টেম্বর কোয়ার্টারের প্রতিবেদন প্রমাণকসহ দাখিল করতে হবে।'], speakers: [] },
      ],
      decisions: [
        { text: 'পাইলটিং ফলাফল মূল্যায়ন প্রতিবেদন আগামী সভায় উপস্থাপন করতে হবে।', implementers: [{ user: String(officerUser._id) }], deadline: addDays(pastDay, 20), initiatives: [], item: 0 },
        { text: 'রেপ্লিকেশনের আগে অবহিতকরণ সভা আয়োজন করতে হবে।', implementers: fieldUser ? [{ user: String(fieldUser._id) }] : [{ text: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা' }], deadline: addDays(pastDay, 45), initiatives: [], item: 1 },
        { text: 'সকল দপ্তর নির্ধারিত তারিখের মধ্যে প্রমাণকসহ প্রতিবেদন প্রেরণ করবে।', implementers: [{ text: 'সংশ্লিষ্ট সকল দপ্তর' }], deadline: addDays(pastDay, 15), initiatives: [], item: 2 },
      ],
      closing: 'সভায় আর কোনো আলোচনা না থাকায় সভাপতি উপস্থিত সকলকে ধন্যবাদ জানিয়ে সভার সমাপ্তি ঘোষণা করেন।',
    });
    await submitMinutes(officer, id);
    // Signed and issued three days after the meeting, as in real cases.
    const signedAt = dhakaInstant(addDays(pastDay, 3), 12, 0);
    await signMinutes(await ctx(headUser._id, signedAt), id);
    await issueMinutes(await ctx(officerUser._id, dhakaInstant(addDays(pastDay, 3), 15, 0)), id, {
      distribution: [
        { text: 'পরিচালক (প্রশাসন), মহিলা বিষয়ক অধিদপ্তর', purpose: 'action' },
        { text: 'জেলা মহিলা বিষয়ক কর্মকর্তা (সকল)', purpose: 'action' },
        { text: 'ইনোভেশন টিমের সকল সদস্য', purpose: 'action' },
        { text: 'সচিব, নারী ও শিশু মন্ত্রণালয়', purpose: 'information' },
        { text: 'অফিস কপি', purpose: 'information' },
      ],
      notBySeniority: true,
    });
    past = await Meeting.findOne({ subject: PAST_MEETING_SUBJECT }).lean();
    deps.logger.info({ memoNumber: past?.memoNumber }, 'demo meeting issued');
  }

  if (!(await Meeting.exists({ subject: NEXT_MEETING_SUBJECT }))) {
    const at = dhakaInstant(addDays(today, 7), 11, 0);
    await createMeeting(await ctx(officerUser._id, deps.now), {
      kind: 'review',
      subject: NEXT_MEETING_SUBJECT,
      office: String(hq._id),
      chair: { user: String(headUser._id) },
      venue: 'অধিদপ্তরের সম্মেলন কক্ষ',
      startsAt: at,
      series: 'dwa-hq-innovation-review',
      attendance: [{ user: String(headUser._id), present: true }, { user: String(officerUser._id), present: true }],
      observers: [],
      agendaItems: [{ text: 'বিগত সভার সিদ্ধান্ত বাস্তবায়ন অগ্রগতি', initiatives: [] }],
    });
  }
}
