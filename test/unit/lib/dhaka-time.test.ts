import { expect } from 'chai';
import fc from 'fast-check';
import {
  addDays,
  daysBetween,
  dhakaDateOf,
  dhakaInstant,
  dhakaPartsOf,
  dhakaToday,
  epochDayOf,
  fixedClock,
  isValidIsoDate,
  isoDateFromEpochDay,
  isoWeekday,
  parseDateInput,
  startOfDhakaDay,
  systemClock,
} from '../../../src/lib/dhaka-time.js';

/** Runs fn with process.env.TZ set to each zone in turn; Node applies TZ changes immediately. */
function underEachTimeZone(fn: () => void): void {
  const saved = process.env.TZ;
  try {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Dhaka', 'Pacific/Pago_Pago']) {
      process.env.TZ = tz;
      fn();
    }
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

const EPOCH_2010 = Date.UTC(2010, 0, 1);
const EPOCH_2100 = Date.UTC(2100, 11, 31);

describe('dhaka-time', () => {
  describe('dhakaDateOf', () => {
    it('when it is 19:00 UTC on 30 June, then it is already 1 July in Dhaka, whatever process.env.TZ says', () => {
      underEachTimeZone(() => {
        expect(dhakaDateOf(new Date('2025-06-30T19:00:00Z'))).to.equal('2025-07-01');
        expect(dhakaDateOf(new Date('2025-06-30T17:59:59.999Z'))).to.equal('2025-06-30');
        expect(dhakaDateOf(new Date('2025-06-30T18:00:00Z'))).to.equal('2025-07-01');
      });
    });

    it('when given an invalid Date, then it throws RangeError', () => {
      expect(() => dhakaDateOf(new Date('nope'))).to.throw(RangeError);
    });

    it('when compared with Intl Asia/Dhaka for any instant 2010–2100, then the dates agree', () => {
      const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Dhaka', year: 'numeric', month: '2-digit', day: '2-digit' });
      fc.assert(
        fc.property(fc.integer({ min: EPOCH_2010, max: EPOCH_2100 }), (ms) => {
          expect(dhakaDateOf(new Date(ms))).to.equal(intl.format(new Date(ms)));
        }),
      );
    });
  });

  describe('dhakaPartsOf', () => {
    it('when it is 05:30 UTC, then the Dhaka wall clock reads 11:30', () => {
      underEachTimeZone(() => {
        expect(dhakaPartsOf(new Date('2025-09-29T05:30:15Z'))).to.deep.equal({
          date: '2025-09-29', year: 2025, month: 9, day: 29, hour: 11, minute: 30, second: 15,
        });
      });
    });

    it('when the instant is before 1970, then the parts are still right', () => {
      expect(dhakaPartsOf(new Date('1969-12-31T20:15:00Z'))).to.include({ date: '1970-01-01', hour: 2, minute: 15 });
    });
  });

  describe('startOfDhakaDay / dhakaInstant', () => {
    it('when asked for the start of a Dhaka day, then it is 18:00 UTC the day before', () => {
      underEachTimeZone(() => {
        expect(startOfDhakaDay('2025-07-01').toISOString()).to.equal('2025-06-30T18:00:00.000Z');
        expect(dhakaInstant('2025-07-01', 10, 30).toISOString()).to.equal('2025-07-01T04:30:00.000Z');
      });
    });

    it('when any instant is taken, then it lies within its own Dhaka day', () => {
      fc.assert(
        fc.property(fc.integer({ min: EPOCH_2010, max: EPOCH_2100 }), (ms) => {
          const d = dhakaDateOf(new Date(ms));
          expect(startOfDhakaDay(d).getTime()).to.be.at.most(ms);
          expect(startOfDhakaDay(addDays(d, 1)).getTime()).to.be.greaterThan(ms);
        }),
      );
    });

    it('when given a bad date or time, then it throws RangeError', () => {
      expect(() => startOfDhakaDay('2025-02-30')).to.throw(RangeError);
      expect(() => dhakaInstant('2025-07-01', 24, 0)).to.throw(RangeError);
    });
  });

  describe('calendar arithmetic', () => {
    it('when adding days across month, year and leap-day boundaries, then the calendar is respected', () => {
      expect(addDays('2025-06-30', 1)).to.equal('2025-07-01');
      expect(addDays('2024-02-28', 1)).to.equal('2024-02-29');
      expect(addDays('2023-02-28', 1)).to.equal('2023-03-01');
      expect(addDays('2025-12-31', 1)).to.equal('2026-01-01');
      expect(addDays('2025-01-01', -1)).to.equal('2024-12-31');
      expect(addDays('2000-02-28', 1)).to.equal('2000-02-29');
      expect(addDays('1900-02-28', 1)).to.equal('1900-03-01');
      expect(addDays('0050-01-01', 0)).to.equal('0050-01-01');
    });

    it('when counting days and weekdays, then known values come out', () => {
      expect(epochDayOf('1970-01-01')).to.equal(0);
      expect(daysBetween('2025-07-01', '2025-10-15')).to.equal(106);
      expect(isoWeekday('2025-09-29')).to.equal(1); // a Monday
      expect(isoWeekday('1969-12-28')).to.equal(7); // a Sunday
    });

    it('when any date goes to a day number and back, then it is unchanged and agrees with Date.UTC', () => {
      fc.assert(
        fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (n) => {
          const d = isoDateFromEpochDay(n);
          expect(epochDayOf(d)).to.equal(n);
          expect(new Date(n * 86_400_000).toISOString().slice(0, 10)).to.equal(d);
        }),
      );
    });

    it('when a result falls outside years 0000–9999, then it throws RangeError', () => {
      expect(() => addDays('9999-12-31', 1)).to.throw(RangeError);
      expect(() => addDays('2025-01-01', 0.5)).to.throw(RangeError);
    });
  });

  describe('isValidIsoDate', () => {
    it('when given real YYYY-MM-DD dates, then it is true', () => {
      expect(isValidIsoDate('2024-02-29')).to.equal(true);
      expect(isValidIsoDate('2025-12-31')).to.equal(true);
    });

    it('when given impossible or loosely formatted dates, then it is false', () => {
      for (const bad of ['2025-02-29', '2025-13-01', '2025-00-10', '2025-1-01', '2025-01-01T00:00Z', ' 2025-01-01', '২০২৫-০১-০১', '', 20250101]) {
        expect(isValidIsoDate(bad), String(bad)).to.equal(false);
      }
    });
  });

  describe('parseDateInput', () => {
    it('when given Bangla day-first input (১২/০৩/২০২৫), then it returns 2025-03-12', () => {
      expect(parseDateInput('১২/০৩/২০২৫')).to.equal('2025-03-12');
    });

    it('when given the accepted formats, then each is read day-first or ISO', () => {
      expect(parseDateInput('2025-03-12')).to.equal('2025-03-12');
      expect(parseDateInput('২০২৫-০৩-১২')).to.equal('2025-03-12');
      expect(parseDateInput('12-03-2025')).to.equal('2025-03-12');
      expect(parseDateInput('12.03.2025')).to.equal('2025-03-12');
      expect(parseDateInput(' 1/3/2025 ')).to.equal('2025-03-01');
      expect(parseDateInput('29/02/2024')).to.equal('2024-02-29');
    });

    it('when the date does not exist or the text is malformed, then it returns null', () => {
      for (const bad of ['31/02/2025', '29/02/2025', '32/01/2025', '12/13/2025', '2025-02-30', '12/03-2025', '12/03/25', '2025/03/12', 'today', '', '১২/০৩/২০২৫ক']) {
        expect(parseDateInput(bad), bad).to.equal(null);
      }
    });

    it('when any valid date is written DD/MM/YYYY in Bangla digits, then it parses back to itself', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 40_000 }), (n) => {
          const d = isoDateFromEpochDay(n);
          const [y, m, day] = d.split('-');
          const typed = `${day}/${m}/${y}`.replace(/[0-9]/g, (c) => String.fromCharCode(0x09e6 + Number(c)));
          expect(parseDateInput(typed)).to.equal(d);
        }),
      );
    });
  });

  describe('clocks', () => {
    it('when a fixed clock is given a bare date, then now() is 00:00 Dhaka on that date', () => {
      const clock = fixedClock('2025-07-01');
      expect(clock.now().toISOString()).to.equal('2025-06-30T18:00:00.000Z');
      expect(dhakaToday(clock)).to.equal('2025-07-01');
    });

    it('when a fixed clock is given an instant or Date, then now() returns it and cannot be mutated', () => {
      const clock = fixedClock('2025-06-30T19:00:00Z');
      clock.now().setTime(0);
      expect(clock.now().toISOString()).to.equal('2025-06-30T19:00:00.000Z');
      expect(fixedClock(new Date('2025-01-01T00:00:00+06:00')).now().toISOString()).to.equal('2024-12-31T18:00:00.000Z');
    });

    it('when a fixed clock is given a zone-less or invalid time, then it throws RangeError', () => {
      expect(() => fixedClock('2025-07-01T10:00')).to.throw(RangeError);
      expect(() => fixedClock('garbage')).to.throw(RangeError);
      expect(() => fixedClock(new Date(Number.NaN))).to.throw(RangeError);
    });

    it('when using the system clock, then now() is close to Date.now()', () => {
      expect(Math.abs(systemClock.now().getTime() - Date.now())).to.be.below(1000);
    });
  });
});
