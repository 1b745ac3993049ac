import { expect } from 'chai';
import fc from 'fast-check';
import {
  BENGALI_MONTHS,
  bengaliMonthLength,
  formatBengaliDate,
  fromBengaliDate,
  toBengaliDate,
} from '../../../src/lib/bengali-calendar.js';
import { addDays, epochDayOf, isLeapYear, isoDateFromEpochDay } from '../../../src/lib/dhaka-time.js';

// Dates published by Bangladeshi sources (domain.md), plus two from real letters.
const PUBLISHED: ReadonlyArray<[string, number, string, number]> = [
  ['2019-10-16', 31, 'আশ্বিন', 1426],
  ['2020-02-14', 1, 'ফাল্গুন', 1426],
  ['2020-03-14', 30, 'ফাল্গুন', 1426],
  ['2021-02-21', 8, 'ফাল্গুন', 1427],
  ['2021-12-16', 1, 'পৌষ', 1428],
  ['2024-11-11', 26, 'কার্তিক', 1431],
  ['2024-12-25', 10, 'পৌষ', 1431],
  ['2025-07-30', 15, 'শ্রাবণ', 1432],
  ['2025-09-29', 14, 'আশ্বিন', 1432],
  ['2021-08-29', 14, 'ভাদ্র', 1428],
];

const FIRST_DAYS: ReadonlyArray<[number, string]> = [
  [1, '04-14'], [2, '05-15'], [3, '06-15'], [4, '07-16'], [5, '08-16'], [6, '09-16'],
  [7, '10-17'], [8, '11-16'], [9, '12-16'], [10, '01-15'], [11, '02-14'], [12, '03-15'],
];

const FROM = epochDayOf('2019-04-14');
const TO = epochDayOf('2100-12-31');
const anyDate = fc.integer({ min: FROM, max: TO }).map(isoDateFromEpochDay);

describe('bengali-calendar (revised, 1426+)', () => {
  describe('published dates', () => {
    for (const [iso, day, monthName, year] of PUBLISHED) {
      it(`when converting ${iso}, then it is ${day} ${monthName} ${year}`, () => {
        const b = toBengaliDate(iso);
        expect(b).to.deep.equal({ year, month: BENGALI_MONTHS.indexOf(monthName as never) + 1, day, monthName });
        expect(fromBengaliDate(b.year, b.month, b.day)).to.equal(iso);
      });
    }
  });

  describe('formatBengaliDate', () => {
    it('when formatting 2025-09-29, then it reads ১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ', () => {
      expect(formatBengaliDate('2025-09-29')).to.equal('১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ');
    });

    it('when formatting the published dates, then day and year are in Bangla digits', () => {
      expect(formatBengaliDate('2019-10-16')).to.equal('৩১ আশ্বিন ১৪২৬ বঙ্গাব্দ');
      expect(formatBengaliDate('2021-02-21')).to.equal('৮ ফাল্গুন ১৪২৭ বঙ্গাব্দ');
      expect(formatBengaliDate('2024-12-25')).to.equal('১০ পৌষ ১৪৩১ বঙ্গাব্দ');
    });
  });

  describe('fixed month starts', () => {
    it('when looking at 1 of each month for many years, then it falls on its fixed Gregorian date', () => {
      for (let year = 1426; year <= 1500; year++) {
        for (const [month, mmdd] of FIRST_DAYS) {
          const gYear = month >= 10 ? year + 594 : year + 593;
          expect(fromBengaliDate(year, month, 1)).to.equal(`${gYear}-${mmdd}`);
        }
      }
    });

    it('when the year turns, then 13 April is 30 চৈত্র and 14 April is 1 বৈশাখ of the next year', () => {
      expect(toBengaliDate('2025-04-13')).to.include({ year: 1431, month: 12, day: 30 });
      expect(toBengaliDate('2025-04-14')).to.include({ year: 1432, month: 1, day: 1 });
      expect(toBengaliDate('2026-01-01')).to.include({ year: 1432, month: 9, day: 17 });
    });
  });

  describe('ফাল্গুন length', () => {
    it('when February has 29 days, then ফাল্গুন has 30, else 29', () => {
      expect(bengaliMonthLength(1426, 11)).to.equal(30); // Feb 2020
      expect(bengaliMonthLength(1427, 11)).to.equal(29); // Feb 2021
      expect(bengaliMonthLength(1430, 11)).to.equal(30); // Feb 2024
      expect(bengaliMonthLength(1506, 11)).to.equal(29); // Feb 2100 is not leap
      expect(toBengaliDate('2024-02-29')).to.include({ month: 11, day: 16 });
      expect(toBengaliDate('2024-03-14')).to.include({ month: 11, day: 30 });
      expect(toBengaliDate('2025-03-14')).to.include({ month: 11, day: 29 });
    });

    it('when the months of a year are added up, then they total that Gregorian span (365 or 366)', () => {
      for (let year = 1426; year <= 1507; year++) {
        const total = BENGALI_MONTHS.reduce((sum, _, i) => sum + bengaliMonthLength(year, i + 1), 0);
        expect(total).to.equal(isLeapYear(year + 594) ? 366 : 365);
      }
    });
  });

  describe('fromBengaliDate validation', () => {
    it('when the day does not exist, then it throws RangeError', () => {
      expect(() => fromBengaliDate(1427, 11, 30)).to.throw(RangeError); // ফাল্গুন 1427 has 29
      expect(() => fromBengaliDate(1432, 7, 31)).to.throw(RangeError);
      expect(() => fromBengaliDate(1432, 1, 0)).to.throw(RangeError);
      expect(() => fromBengaliDate(1432, 13, 1)).to.throw(RangeError);
      expect(() => fromBengaliDate(1432, 0, 1)).to.throw(RangeError);
      expect(() => fromBengaliDate(1432, 1, 1.5)).to.throw(RangeError);
      expect(() => fromBengaliDate(1432.5, 1, 1)).to.throw(RangeError);
    });

    it('when the last day of ফাল্গুন in a leap year is given, then it is 14 March', () => {
      expect(fromBengaliDate(1430, 11, 30)).to.equal('2024-03-14');
    });
  });

  describe('properties (2019-04-14 … 2100-12-31)', () => {
    it('when any date is converted to Bengali and back, then it is unchanged', () => {
      fc.assert(
        fc.property(anyDate, (d) => {
          const b = toBengaliDate(d);
          expect(fromBengaliDate(b.year, b.month, b.day)).to.equal(d);
        }),
        { numRuns: 2000 },
      );
    });

    it('when two Gregorian days are consecutive, then their Bengali days are consecutive', () => {
      fc.assert(
        fc.property(anyDate, (d) => {
          const a = toBengaliDate(d);
          const b = toBengaliDate(addDays(d, 1));
          if (a.day < bengaliMonthLength(a.year, a.month)) {
            expect(b).to.include({ year: a.year, month: a.month, day: a.day + 1 });
          } else if (a.month < 12) {
            expect(b).to.include({ year: a.year, month: a.month + 1, day: 1 });
          } else {
            expect(b).to.include({ year: a.year + 1, month: 1, day: 1 });
          }
          expect(b.monthName).to.equal(BENGALI_MONTHS[b.month - 1]);
        }),
        { numRuns: 2000 },
      );
    });

    it('when every day 2019–2100 is walked in order, then each month has the length the rule gives', () => {
      let prev = toBengaliDate(isoDateFromEpochDay(FROM));
      for (let n = FROM + 1; n <= TO; n++) {
        const cur = toBengaliDate(isoDateFromEpochDay(n));
        if (cur.day === 1) expect(prev.day).to.equal(bengaliMonthLength(prev.year, prev.month));
        else expect(cur.day).to.equal(prev.day + 1);
        prev = cur;
      }
    });
  });

  it('when the month names are read, then they are the twelve Bangla names in NFC', () => {
    expect(BENGALI_MONTHS.join(' ')).to.equal('বৈশাখ জ্যৈষ্ঠ আষাঢ় শ্রাবণ ভাদ্র আশ্বিন কার্তিক অগ্রহায়ণ পৌষ মাঘ ফাল্গুন চৈত্র'.normalize('NFC'));
    for (const m of BENGALI_MONTHS) expect(m).to.equal(m.normalize('NFC'));
  });
});
