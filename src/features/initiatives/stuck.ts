// "A pilot with no decision for more than N months is stuck", in calendar months on Dhaka dates.
import { DHAKA_OFFSET_MINUTES, daysInMonth } from '../../lib/index.js';

const DHAKA_OFFSET_MS = DHAKA_OFFSET_MINUTES * 60_000;

/**
 * The instant `months` calendar months after `instant`, counted on the Dhaka calendar: the same Dhaka
 * wall-clock time on the same day of the month, or on the month's last day when it is shorter (31 January + 1
 * month = 28 February, or 29 February in a leap year). Dhaka is UTC+6 without daylight saving.
 */
export function addDhakaMonths(instant: Date | number, months: number): Date {
  if (!Number.isInteger(months)) throw new RangeError(`addDhakaMonths: months must be an integer, got ${months}`);
  const wall = new Date((typeof instant === 'number' ? instant : instant.getTime()) + DHAKA_OFFSET_MS); // Dhaka wall clock in UTC fields
  const index = wall.getUTCFullYear() * 12 + wall.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12; // 0-based
  const day = Math.min(wall.getUTCDate(), daysInMonth(year, month + 1));
  const target = new Date(0);
  target.setUTCFullYear(year, month, day); // setUTCFullYear, unlike Date.UTC, takes years 0–99 literally
  target.setUTCHours(wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
  return new Date(target.getTime() - DHAKA_OFFSET_MS);
}

/**
 * True when a pilot has had no decision for more than `months` calendar months: `now` is after the later of
 * its entry into the stage and its last decision, plus `months` months on the Dhaka calendar (addDhakaMonths).
 * Other stages are never stuck.
 */
export function isStuck(s: { stage: string; stageEnteredAt: number; lastDecisionAt?: number | undefined }, now: Date, months: number): boolean {
  if (s.stage !== 'pilot') return false;
  const since = Math.max(s.stageEnteredAt, s.lastDecisionAt ?? 0);
  return now.getTime() > addDhakaMonths(since, months).getTime();
}
