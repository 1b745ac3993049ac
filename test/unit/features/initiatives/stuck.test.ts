import { expect } from 'chai';
import fc from 'fast-check';
import { addDhakaMonths, isStuck } from '../../../../src/features/initiatives/stuck.js';
import { daysInMonth, dhakaPartsOf } from '../../../../src/lib/dhaka-time.js';

/** A Dhaka wall-clock time as an instant (Dhaka is UTC+6 all year). */
const dhaka = (iso: string) => new Date(`${iso}+06:00`);
const pilot = (since: Date, lastDecision?: Date) => ({ stage: 'pilot', stageEnteredAt: since.getTime(), lastDecisionAt: lastDecision?.getTime() });

const FROM_2010 = new Date('2010-01-01T00:00:00Z').getTime();
const TO_2100 = new Date('2100-12-31T00:00:00Z').getTime();
const instants = fc.integer({ min: FROM_2010, max: TO_2100 }).map((t) => new Date(t));

describe('initiatives: stuck pilots (calendar months in Dhaka)', () => {
  describe('addDhakaMonths', () => {
    const cases: [string, number, string][] = [
      ['2025-01-31T10:00:00', 1, '2025-02-28T10:00:00'], // month end, common year
      ['2024-01-31T10:00:00', 1, '2024-02-29T10:00:00'], // month end, leap year
      ['2024-02-29T09:15:00', 12, '2025-02-28T09:15:00'], // leap day, a year on
      ['2024-02-29T09:15:00', 48, '2028-02-29T09:15:00'], // leap day, four years on
      ['2025-08-31T23:59:59', 6, '2026-02-28T23:59:59'], // six months from the end of August
      ['2025-03-31T00:00:00', 1, '2025-04-30T00:00:00'], // Dhaka midnight, 31 → 30
      ['2025-11-30T12:00:00', 3, '2026-02-28T12:00:00'], // across the year end
      ['2025-12-31T18:00:00', 2, '2026-02-28T18:00:00'],
      ['2025-01-15T08:00:00', 6, '2025-07-15T08:00:00'], // mid-month: same day
      ['2025-01-31T10:00:00', 0, '2025-01-31T10:00:00'],
    ];
    for (const [from, months, to] of cases) {
      it(`when ${months} month(s) are added to ${from} Dhaka time, then it is ${to} Dhaka time`, () => {
        expect(addDhakaMonths(dhaka(from), months).toISOString()).to.equal(dhaka(to).toISOString());
      });
    }

    it('when an instant is just after midnight in Dhaka (the previous day in UTC), then the months are counted from the Dhaka date', () => {
      // 1 March 2025 00:30 Dhaka is 28 February 18:30 UTC; a month later is 1 April 00:30 Dhaka, not 28 March.
      expect(addDhakaMonths(new Date('2025-02-28T18:30:00Z'), 1).toISOString()).to.equal('2025-03-31T18:30:00.000Z');
      // 31 January 23:30 Dhaka (17:30 UTC) + 1 month: the last day of February, same Dhaka time.
      expect(addDhakaMonths(new Date('2025-01-31T17:30:00Z'), 1).toISOString()).to.equal('2025-02-28T17:30:00.000Z');
    });

    it('when process.env.TZ is anything, then the answer is the same', () => {
      const saved = process.env.TZ;
      try {
        const answers = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Dhaka'].map((tz) => {
          process.env.TZ = tz;
          return addDhakaMonths(dhaka('2024-01-31T00:10:00'), 1).toISOString();
        });
        expect(new Set(answers).size).to.equal(1);
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });

    it('when any instant moves by N months, then the Dhaka month moves by exactly N, the day is kept or clamped to the month’s last day, and the Dhaka time of day is kept', () => {
      fc.assert(
        fc.property(instants, fc.integer({ min: 0, max: 120 }), (start, n) => {
          const a = dhakaPartsOf(start);
          const b = dhakaPartsOf(addDhakaMonths(start, n));
          expect(b.year * 12 + b.month - (a.year * 12 + a.month)).to.equal(n);
          expect(b.day).to.equal(Math.min(a.day, daysInMonth(b.year, b.month)));
          expect([b.hour, b.minute, b.second]).to.deep.equal([a.hour, a.minute, a.second]);
          expect(addDhakaMonths(start, n).getUTCMilliseconds()).to.equal(start.getUTCMilliseconds());
        }),
        { numRuns: 2000 },
      );
    });

    it('when instants are in order, then N months later they still are (never earlier than the start)', () => {
      fc.assert(
        fc.property(instants, instants, fc.integer({ min: 0, max: 120 }), (x, y, n) => {
          const [a, b] = x <= y ? [x, y] : [y, x];
          expect(addDhakaMonths(a, n).getTime()).to.be.at.most(addDhakaMonths(b, n).getTime());
          expect(addDhakaMonths(a, n).getTime()).to.be.at.least(a.getTime());
        }),
        { numRuns: 2000 },
      );
    });

    it('when months are added in two steps, then the result is never later than adding them at once (a clamped day stays clamped)', () => {
      fc.assert(
        fc.property(instants, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (start, m, n) => {
          expect(addDhakaMonths(addDhakaMonths(start, m), n).getTime()).to.be.at.most(addDhakaMonths(start, m + n).getTime());
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('isStuck', () => {
    it('when a pilot entered on 31 January with N = 1, then it is not stuck at the same time on 28 February and stuck a millisecond later', () => {
      const since = dhaka('2025-01-31T10:00:00');
      const limit = dhaka('2025-02-28T10:00:00');
      expect(isStuck(pilot(since), limit, 1)).to.equal(false);
      expect(isStuck(pilot(since), new Date(limit.getTime() + 1), 1)).to.equal(true);
    });

    it('when the year is a leap year, then a pilot of 31 January is stuck only after 29 February', () => {
      const since = dhaka('2024-01-31T10:00:00');
      expect(isStuck(pilot(since), dhaka('2024-02-29T10:00:00'), 1)).to.equal(false);
      expect(isStuck(pilot(since), dhaka('2024-02-29T10:00:01'), 1)).to.equal(true);
    });

    it('when a decision came after the entry, then the months count from the decision', () => {
      const entered = dhaka('2024-01-10T10:00:00');
      const decided = dhaka('2024-06-30T10:00:00');
      expect(isStuck(pilot(entered, decided), dhaka('2024-12-30T10:00:00'), 6)).to.equal(false);
      expect(isStuck(pilot(entered, decided), dhaka('2024-12-30T10:00:01'), 6)).to.equal(true);
    });

    it('when a stage is not pilot, then it is never stuck', () => {
      for (const stage of ['idea', 'replication', 'institutionalised', 'paused', 'dropped']) {
        expect(isStuck({ stage, stageEnteredAt: dhaka('2010-01-01T00:00:00').getTime() }, new Date('2030-01-01T00:00:00Z'), 1), stage).to.equal(false);
      }
    });

    it('when any pilot is checked, then it is stuck exactly when now is after the start plus N months', () => {
      fc.assert(
        fc.property(instants, fc.integer({ min: 0, max: 5 * 366 * 86_400_000 }), fc.integer({ min: 1, max: 24 }), (since, after, n) => {
          const now = new Date(since.getTime() + after);
          expect(isStuck(pilot(since), now, n)).to.equal(now.getTime() > addDhakaMonths(since, n).getTime());
          // Monotone: once stuck, stuck later too (until a decision).
          if (isStuck(pilot(since), now, n)) expect(isStuck(pilot(since), new Date(now.getTime() + 86_400_000), n)).to.equal(true);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
