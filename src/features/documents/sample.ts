// Sample minutes in the government layout, the project's own text, as a MinutesDocument: for previews, the PDF
// tests and the PDF benchmarks. Names are placeholders, as in the sample.
import { formatDualDate } from '../../lib/date-format.js';
import type { MinutesDocument } from './document.types.js';

/** The sample minutes, issued (memo number, issuer, verification); pass overrides for variants. */
export function sampleMinutesDocument(overrides: Partial<MinutesDocument> = {}): MinutesDocument {
  const memoDate = formatDualDate('2025-09-29');
  return {
    letterhead: {
      government: 'গণপ্রজাতন্ত্রী বাংলাদেশ সরকার',
      officeName: 'উপজেলা নির্বাহী অফিসারের কার্যালয়',
      address: ['পাইকগাছা, খুলনা।'],
      motto: 'উদ্ভাবনে এগিয়ে যাই, সেবা সহজ করি',
      contact: 'ফোন: ০৪০২৭-৫৬০০১, ই-মেইল: unopaikgachha@mopa.gov.bd',
    },
    subject: 'উপজেলা ইনোভেশন টিমের সেপ্টেম্বর/২০২৫ মাসের সভার কার্যবিবরণী।',
    chair: 'উপজেলা নির্বাহী অফিসার, পাইকগাছা, খুলনা।',
    venue: 'উপজেলা পরিষদ সভাকক্ষ।',
    date: formatDualDate('2025-09-28'),
    time: 'সকাল ১১.০০ ঘটিকা',
    attendanceLine: "পরিশিষ্ট 'ক'",
    opening: [
      'সভাপতি উপস্থিত সকলকে স্বাগত জানিয়ে সভার কাজ শুরু করেন। বিগত সভার কার্যবিবরণী পাঠ করে শোনানো হয় এবং কোনো সংশোধনী প্রস্তাব না থাকায় তা সর্বসম্মতিক্রমে দৃঢ়ীকরণ করা হয়। অতঃপর আলোচ্যসূচি অনুযায়ী আলোচনা হয় এবং নিম্নরূপ সিদ্ধান্ত গৃহীত হয়:',
    ],
    previousDecisions: [],
    items: [
      {
        topic: 'বিগত সভার সিদ্ধান্ত বাস্তবায়ন অগ্রগতি',
        paragraphs: ['বিগত সভার ৪টি সিদ্ধান্তের মধ্যে ৩টি বাস্তবায়িত হয়েছে; ইউনিয়ন পর্যায়ে অবহিতকরণ সভা এখনও অনুষ্ঠিত হয়নি।'],
        decisions: [{ text: 'আগামী ১৫ অক্টোবর ২০২৫ তারিখের মধ্যে অবহিতকরণ সভা আয়োজন করতে হবে।', implementers: 'উপজেলা আইসিটি অফিসার' }],
      },
      {
        topic: '"অনলাইনে নাগরিক সনদ" উদ্যোগের পাইলটিং',
        paragraphs: [
          '৩টি ইউনিয়নে পাইলটিং চলমান; এ পর্যন্ত ১,২৪০ জন নাগরিক সেবা পেয়েছেন; সেবা পেতে সময় ৭ দিন থেকে ১ দিনে এবং অফিসে যাতায়াত ৩ বার থেকে ১ বারে নেমেছে।',
        ],
        decisions: [{ text: 'পাইলটিং ফলাফল মূল্যায়ন প্রতিবেদন আগামী সভায় উপস্থাপন করতে হবে।', implementers: 'ইনোভেশন অফিসার' }],
      },
      {
        topic: 'ত্রৈমাসিক পরিবীক্ষণ প্রতিবেদন',
        paragraphs: ['জুলাই–সেপ্টেম্বর/২০২৫ কোয়ার্টারের প্রতিবেদন প্রমাণকসহ দাখিল করতে হবে।'],
        decisions: [{ text: 'সকল দপ্তর ১৫ অক্টোবর ২০২৫ তারিখের মধ্যে প্রমাণকসহ প্রতিবেদন প্রেরণ করবে।', implementers: 'সংশ্লিষ্ট সকল দপ্তর' }],
      },
    ],
    otherDecisions: [],
    closing: ['সভায় আর কোনো আলোচনা না থাকায় সভাপতি উপস্থিত সকলকে ধন্যবাদ জানিয়ে সভার সমাপ্তি ঘোষণা করেন।'],
    signer: { date: memoDate, name: '(স্বাক্ষরকারীর নাম)', lines: ['উপজেলা নির্বাহী অফিসার', 'পাইকগাছা, খুলনা।'] },
    memoNumber: '০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২',
    memoDate,
    notBySeniority: true,
    distribution: {
      action: [
        { text: 'উপজেলা আইসিটি অফিসার, পাইকগাছা, খুলনা।' },
        { text: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা, পাইকগাছা, খুলনা।' },
        { text: 'ইনোভেশন টিমের সকল সদস্য।' },
      ],
      information: [{ text: 'জেলা প্রশাসক, খুলনা।' }, { text: 'উপজেলা চেয়ারম্যান, পাইকগাছা, খুলনা।' }, { text: 'অফিস কপি।' }],
      attention: [],
    },
    issuer: { date: memoDate, name: '(স্বাক্ষরকারীর নাম)', lines: ['সহকারী কমিশনার (ভূমি)', 'ও', 'ইনোভেশন অফিসার'] },
    attendance: [
      { name: '(নাম)', designation: 'উপজেলা নির্বাহী অফিসার', office: 'উপজেলা নির্বাহী অফিসারের কার্যালয়', present: true },
      { name: '(নাম)', designation: 'উপজেলা আইসিটি অফিসার', office: 'উপজেলা তথ্য ও যোগাযোগ প্রযুক্তি কার্যালয়', present: true },
      {
        name: '(নাম)',
        designation: 'উপজেলা মহিলা বিষয়ক কর্মকর্তা',
        office: 'উপজেলা মহিলা বিষয়ক কার্যালয়',
        present: false,
        remark: 'অনুপস্থিত (ছুটিতে)',
      },
    ],
    draft: false,
    verification: { code: 'K7QX-94MD', url: 'https://udbhabon.example.gov.bd/verify/K7QX-94MD' },
    meta: {
      title: 'উপজেলা ইনোভেশন টিমের সেপ্টেম্বর/২০২৫ মাসের সভার কার্যবিবরণী',
      subject: 'সভার কার্যবিবরণী — স্মারক নং-০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২',
      author: 'উপজেলা নির্বাহী অফিসারের কার্যালয়, পাইকগাছা, খুলনা',
      language: 'bn',
    },
    ...overrides,
  };
}
