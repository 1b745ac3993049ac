// What a letterhead save may carry, checked at the edge (zod, Bangla-first messages). The logo's contents are
// checked by the service (magic bytes, size), whichever way it came (a data: URL in JSON, a file in a form).
import { z } from 'zod';
import { toLatinDigits } from '../../lib/index.js';
import { bilingual } from '../../platform/http/validation.js';

export const LIMITS = { government: 200, officeName: 300, addressLine: 200, addressLines: 5, motto: 200, contact: 300 } as const;

/** The version the change was made from (0 when the office has no letterhead of its own yet). */
export const versionField = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? Number(toLatinDigits(v.trim())) : v),
  z.number({ error: bilingual('যে সংস্করণ দেখে পরিবর্তন করছেন তা দিন (version)।', 'Give the version of the letterhead you are changing (version).') }).int().min(0),
);

const tooLong = (max: number) => bilingual(`সর্বোচ্চ ${max.toLocaleString('bn-BD')} অক্ষর দেওয়া যাবে।`, `Use at most ${max} characters.`);
/** Text, or null / "" for "back to the default"; absent means "leave as it is". */
const text = (max: number) => z.string({ error: bilingual('এই ঘরে লেখা দিন।', 'This field must be text.') }).max(max, tooLong(max)).nullable().optional();

export const letterheadBody = z.strictObject(
  {
    version: versionField,
    government: text(LIMITS.government),
    officeName: text(LIMITS.officeName),
    /** Lines, or one text with a line per address line. */
    address: z
      .union([
        z.array(z.string().max(LIMITS.addressLine, tooLong(LIMITS.addressLine))).max(LIMITS.addressLines, bilingual(`ঠিকানা সর্বোচ্চ ${LIMITS.addressLines.toLocaleString('bn-BD')} লাইনে দিন।`, `Use at most ${LIMITS.addressLines} address lines.`)),
        z.string().max(LIMITS.addressLine * LIMITS.addressLines + 10, tooLong(LIMITS.addressLine * LIMITS.addressLines)),
      ], { error: bilingual('ঠিকানা লেখা বা লাইনের তালিকা হিসেবে দিন।', 'Give the address as text or a list of lines.') })
      .nullable()
      .optional(),
    motto: text(LIMITS.motto),
    contact: text(LIMITS.contact),
    /** The new logo as a data: URL, e.g. "data:image/png;base64,iVBOR…". */
    logo: z.string({ error: bilingual('লোগো data:image/png;base64,… আকারে দিন।', 'Give the logo as data:image/png;base64,….') }).optional(),
    removeLogo: z.boolean({ error: bilingual('removeLogo হবে true অথবা false।', 'removeLogo must be true or false.') }).optional(),
  },
);
export type LetterheadBody = z.output<typeof letterheadBody>;

/** The page form (multipart): every text field is sent; an empty one means "the default". */
export const letterheadForm = z.object({
  version: versionField,
  government: z.string().max(LIMITS.government, tooLong(LIMITS.government)).default(''),
  officeName: z.string().max(LIMITS.officeName, tooLong(LIMITS.officeName)).default(''),
  address: z.string().max(LIMITS.addressLine * LIMITS.addressLines + 10, tooLong(LIMITS.addressLine * LIMITS.addressLines)).default(''),
  motto: z.string().max(LIMITS.motto, tooLong(LIMITS.motto)).default(''),
  contact: z.string().max(LIMITS.contact, tooLong(LIMITS.contact)).default(''),
  removeLogo: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()).default(false),
});

const DATA_URL = /^data:(image\/(?:png|jpeg|jpg));base64,([A-Za-z0-9+/\s]*={0,2})$/;

/** A data: URL's declared type and bytes; undefined when it is not a base64 PNG/JPEG data: URL. */
export function parseLogoDataUrl(url: string): { declaredType: string; data: Buffer } | undefined {
  const m = DATA_URL.exec(url.trim());
  if (!m) return undefined;
  return { declaredType: m[1] === 'image/jpg' ? 'image/jpeg' : m[1]!, data: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') };
}
