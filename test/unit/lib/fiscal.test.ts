import { expect } from 'chai';
import fc from 'fast-check';
import { addDays, dhakaDateOf, epochDayOf, isoDateFromEpochDay } from '../../../src/lib/dhaka-time.js';
import {
  QUARTERS,
  fiscalYearBn,
  fiscalYearBounds,
  fiscalYearOf,
  parseFiscalYear,
  quarterBounds,
  quarterLabelBn,
  quarterOf,
  reportDueDate,
} from '../../../src/lib/fiscal.js';

const anyDate = fc.integer({ min: epochDayOf('1990-01-01'), max: epochDayOf('2100-12-31') }).map(isoDateFromEpochDay);

describe('fiscal', () => {
  describe('fiscalYearOf', () => {
    it('when the date is 1 July or later, then the fiscal year starts that calendar year', () => {
      expect(fiscalYearOf('2025-07-01')).to.equal('2025-26');
      expect(fiscalYearOf('2025-12-31')).to.equal('2025-26');
    });

    it('when the date is 30 June or earlier, then the fiscal year started the previous year', () => {
      expect(fiscalYearOf('2025-06-30')).to.equal('2024-25');
      expect(fiscalYearOf('2026-01-01')).to.equal('2025-26');
    });

    it('when the century turns, then the short year wraps to 00', () => {
      expect(fiscalYearOf('2099-08-01')).to.equal('2099-00');
      expect(parseFiscalYear('2099-00')).to.equal('2099-00');
      expect(fiscalYearBounds('2099-00')).to.deep.equal({ start: '2099-07-01', end: '2100-06-30' });
    });

    it('when it is 19:00 UTC on 30 June 2025, then in Dhaka it is FY 2025-26 Q1', () => {
      const saved = process.env.TZ;
      try {
        process.env.TZ = 'America/Los_Angeles';
        const q = quarterOf(dhakaDateOf(new Date('2025-06-30T19:00:00Z')));
        expect(q).to.deep.equal({ fiscalYear: '2025-26', quarter: 1, start: '2025-07-01', end: '2025-09-30' });
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  });

  describe('parseFiscalYear', () => {
    it('when given 2025-26, ২০২৫-২৬ or 2025-2026, then it returns 2025-26', () => {
      for (const s of ['2025-26', '২০২৫-২৬', '2025-2026', '২০২৫-২০২৬', ' 2025 – 26 ']) {
        expect(parseFiscalYear(s), s).to.equal('2025-26');
      }
    });

    it('when the years are not consecutive or the text is malformed, then it returns null', () => {
      for (const s of ['2025-27', '2025-2027', '2025-25', '2025', '25-26', '2025-6', '2025/26', '২০২৫-২৬ক', '']) {
        expect(parseFiscalYear(s), s).to.equal(null);
      }
    });
  });

  describe('bounds and quarters', () => {
    it('when asked for a fiscal year, then it runs 1 July to 30 June', () => {
      expect(fiscalYearBounds('2025-26')).to.deep.equal({ start: '2025-07-01', end: '2026-06-30' });
      expect(fiscalYearBounds('২০২৫-২৬')).to.deep.equal({ start: '2025-07-01', end: '2026-06-30' });
    });

    it('when asked for each quarter, then the quarters are Jul–Sep, Oct–Dec, Jan–Mar, Apr–Jun', () => {
      expect(quarterBounds('2025-26', 1)).to.deep.equal({ start: '2025-07-01', end: '2025-09-30' });
      expect(quarterBounds('2025-26', 2)).to.deep.equal({ start: '2025-10-01', end: '2025-12-31' });
      expect(quarterBounds('2025-26', 3)).to.deep.equal({ start: '2026-01-01', end: '2026-03-31' });
      expect(quarterBounds('2025-26', 4)).to.deep.equal({ start: '2026-04-01', end: '2026-06-30' });
    });

    it('when a date is on a quarter boundary, then it belongs to the quarter that starts or ends there', () => {
      expect(quarterOf('2025-09-30')).to.include({ fiscalYear: '2025-26', quarter: 1 });
      expect(quarterOf('2025-10-01')).to.include({ fiscalYear: '2025-26', quarter: 2 });
      expect(quarterOf('2025-12-31')).to.include({ fiscalYear: '2025-26', quarter: 2 });
      expect(quarterOf('2026-01-01')).to.include({ fiscalYear: '2025-26', quarter: 3 });
      expect(quarterOf('2026-03-31')).to.include({ fiscalYear: '2025-26', quarter: 3 });
      expect(quarterOf('2026-04-01')).to.include({ fiscalYear: '2025-26', quarter: 4 });
      expect(quarterOf('2026-06-30')).to.include({ fiscalYear: '2025-26', quarter: 4 });
      expect(quarterOf('2026-07-01')).to.include({ fiscalYear: '2026-27', quarter: 1 });
    });

    it('when given a bad fiscal year or quarter, then it throws RangeError', () => {
      expect(() => fiscalYearBounds('2025-27')).to.throw(RangeError);
      expect(() => quarterBounds('2025-26', 5 as never)).to.throw(RangeError);
      expect(() => reportDueDate('nope', 1)).to.throw(RangeError);
    });

    it('when any date is taken, then it falls in exactly one quarter, the one quarterOf names', () => {
      fc.assert(
        fc.property(anyDate, (d) => {
          const fy = fiscalYearOf(d);
          const containing = QUARTERS.filter((q) => {
            const { start, end } = quarterBounds(fy, q);
            return start <= d && d <= end;
          });
          expect(containing).to.have.length(1);
          const q = quarterOf(d);
          expect(q.quarter).to.equal(containing[0]);
          expect(q.fiscalYear).to.equal(fy);
          const { start, end } = fiscalYearBounds(fy);
          expect(start <= d && d <= end).to.equal(true);
        }),
        { numRuns: 2000 },
      );
    });

    it('when quarters are laid end to end, then they tile the fiscal year with no gap or overlap', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1990, max: 2098 }), (y) => {
          const fy = fiscalYearOf(`${y}-07-01`);
          const bounds = QUARTERS.map((q) => quarterBounds(fy, q));
          expect(bounds[0]?.start).to.equal(fiscalYearBounds(fy).start);
          expect(bounds[3]?.end).to.equal(fiscalYearBounds(fy).end);
          for (let i = 1; i < 4; i++) expect(bounds[i]?.start).to.equal(addDays(bounds[i - 1]?.end ?? '', 1));
        }),
      );
    });
  });

  describe('labels and due dates', () => {
    it('when printing the fiscal year for a document, then it is in Bangla digits', () => {
      expect(fiscalYearBn('2025-26')).to.equal('২০২৫-২৬');
      expect(fiscalYearBn('২০২৫-২০২৬')).to.equal('২০২৫-২৬');
    });

    it('when labelling each quarter, then the Bangla label names ordinal and months', () => {
      expect(quarterLabelBn('2025-26', 1)).to.equal('২০২৫-২৬ অর্থবছরের ১ম ত্রৈমাসিক (জুলাই–সেপ্টেম্বর)');
      expect(quarterLabelBn('2025-26', 2)).to.equal('২০২৫-২৬ অর্থবছরের ২য় ত্রৈমাসিক (অক্টোবর–ডিসেম্বর)');
      expect(quarterLabelBn('2025-26', 3)).to.equal('২০২৫-২৬ অর্থবছরের ৩য় ত্রৈমাসিক (জানুয়ারি–মার্চ)');
      expect(quarterLabelBn('2025-26', 4)).to.equal('২০২৫-২৬ অর্থবছরের ৪র্থ ত্রৈমাসিক (এপ্রিল–জুন)');
    });

    it('when asking for APA due dates, then they are 15 Oct, 15 Jan, 15 Apr and 15 Jul after the year', () => {
      expect(QUARTERS.map((q) => reportDueDate('2025-26', q))).to.deep.equal([
        '2025-10-15',
        '2026-01-15',
        '2026-04-15',
        '2026-07-15',
      ]);
    });

    it('when any quarter is reported, then the due date is the 15th day after the quarter ends', () => {
      fc.assert(
        fc.property(anyDate, (d) => {
          const { fiscalYear, quarter, end } = quarterOf(d);
          expect(reportDueDate(fiscalYear, quarter)).to.equal(addDays(end, 15));
        }),
      );
    });
  });
});
