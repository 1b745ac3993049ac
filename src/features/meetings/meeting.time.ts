import { dhakaPartsOf, toBanglaDigits } from '../../lib/index.js';

/** "সকাল ১১.০০ ঘটিকা": the time of day as minutes and notices print it (Dhaka time). */
export function timeLineBn(d: Date): string {
  const p = dhakaPartsOf(d);
  const period = p.hour < 12 ? 'সকাল' : p.hour < 15 ? 'দুপুর' : p.hour < 18 ? 'বিকাল' : 'সন্ধ্যা';
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return `${period} ${toBanglaDigits(String(h12))}.${toBanglaDigits(String(p.minute).padStart(2, '0'))} ঘটিকা`;
}
