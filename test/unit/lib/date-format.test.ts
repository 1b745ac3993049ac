import { expect } from 'chai';
import fc from 'fast-check';
import {
  GREGORIAN_MONTHS_BN,
  dayPeriodBn,
  formatDateEn,
  formatDualDate,
  formatGregorianBn,
  formatShortDateBn,
  formatTimeBn,
} from '../../../src/lib/date-format.js';
import { dhakaInstant } from '../../../src/lib/dhaka-time.js';

describe('date-format', () => {
  it('when formatting a Gregorian date in Bangla, then it reads ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ', () => {
    expect(formatGregorianBn('2025-09-29')).to.equal('২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ');
    expect(formatGregorianBn('2026-01-05')).to.equal('৫ জানুয়ারি ২০২৬ খ্রিষ্টাব্দ');
  });

  it('when formatting both calendars, then Bengali comes first and Gregorian second', () => {
    expect(formatDualDate('2025-09-29')).to.equal('১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ / ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ');
    expect(formatDualDate('2021-12-16')).to.equal('১ পৌষ ১৪২৮ বঙ্গাব্দ / ১৬ ডিসেম্বর ২০২১ খ্রিষ্টাব্দ');
  });

  it('when formatting a short date, then it is DD/MM/YYYY zero-padded in Bangla digits', () => {
    expect(formatShortDateBn('2025-09-28')).to.equal('২৮/০৯/২০২৫');
    expect(formatShortDateBn('2025-01-05')).to.equal('০৫/০১/২০২৫');
  });

  it('when formatting in English, then it reads 29 September 2025', () => {
    expect(formatDateEn('2025-09-29')).to.equal('29 September 2025');
    expect(formatDateEn('2025-07-01')).to.equal('1 July 2025');
  });

  it('when given an invalid date, then every formatter throws RangeError', () => {
    for (const f of [formatGregorianBn, formatDualDate, formatShortDateBn, formatDateEn]) {
      expect(() => f('2025-02-29')).to.throw(RangeError);
    }
  });

  describe('formatTimeBn', () => {
    const at = (h: number, m: number): string => formatTimeBn(dhakaInstant('2025-09-29', h, m));

    it('when a meeting is at 11:00 Dhaka, then it reads সকাল ১১.০০ ঘটিকা', () => {
      expect(at(11, 0)).to.equal('সকাল ১১.০০ ঘটিকা');
      expect(formatTimeBn(new Date('2025-09-29T04:00:00Z'))).to.equal('সকাল ১০.০০ ঘটিকা');
    });

    it('when the hour crosses each period boundary, then the period word changes', () => {
      expect(at(3, 59)).to.equal('রাত ৩.৫৯ ঘটিকা');
      expect(at(4, 0)).to.equal('ভোর ৪.০০ ঘটিকা');
      expect(at(5, 59)).to.equal('ভোর ৫.৫৯ ঘটিকা');
      expect(at(6, 0)).to.equal('সকাল ৬.০০ ঘটিকা');
      expect(at(11, 59)).to.equal('সকাল ১১.৫৯ ঘটিকা');
      expect(at(12, 0)).to.equal('দুপুর ১২.০০ ঘটিকা');
      expect(at(14, 30)).to.equal('দুপুর ২.৩০ ঘটিকা');
      expect(at(15, 0)).to.equal('বিকাল ৩.০০ ঘটিকা');
      expect(at(17, 45)).to.equal('বিকাল ৫.৪৫ ঘটিকা');
      expect(at(18, 0)).to.equal('সন্ধ্যা ৬.০০ ঘটিকা');
      expect(at(19, 59)).to.equal('সন্ধ্যা ৭.৫৯ ঘটিকা');
      expect(at(20, 0)).to.equal('রাত ৮.০০ ঘটিকা');
      expect(at(0, 5)).to.equal('রাত ১২.০৫ ঘটিকা');
    });

    it('when the process time zone differs, then Dhaka wall time is still printed', () => {
      const saved = process.env.TZ;
      try {
        process.env.TZ = 'America/New_York';
        expect(formatTimeBn(new Date('2025-09-29T05:00:00Z'))).to.equal('সকাল ১১.০০ ঘটিকা');
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });

    it('when any hour is given, then exactly one period word applies and the clock shows 1–12', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
          const text = at(h, m);
          expect(text.startsWith(`${dayPeriodBn(h)} `)).to.equal(true);
          const clock = /^\S+ ([০-৯]{1,2})\.([০-৯]{2}) ঘটিকা$/.exec(text);
          expect(clock, text).to.not.equal(null);
        }),
      );
    });
  });

  it('when the month names are read, then they are NFC and in calendar order', () => {
    expect(GREGORIAN_MONTHS_BN.join(' ')).to.equal(
      'জানুয়ারি ফেব্রুয়ারি মার্চ এপ্রিল মে জুন জুলাই আগস্ট সেপ্টেম্বর অক্টোবর নভেম্বর ডিসেম্বর'.normalize('NFC'),
    );
    for (const m of GREGORIAN_MONTHS_BN) expect(m).to.equal(m.normalize('NFC'));
  });
});
