// What the offices feature accepts at its edge (forms and API), with Bangla and English messages. Digits may be
// typed in Bangla; codes are stored with Latin digits. Optional fields take '' or null for "clear it".
import { z } from 'zod';
import { normaliseText, toLatinDigits } from '../../lib/index.js';
import { bilingual } from '../../platform/http/validation.js';
import { OFFICE_LEVELS } from './office.model.js';
import { DISTRICTS } from './reference/bd-geography.js';

const BENGALI_SCRIPT = /[\u0980-\u09FF]/;
export const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** '' and null clear the field (null); a missing field is left alone (undefined). */
function clearable<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? null : v), schema.nullable().optional());
}

const text = (max: number) => z.string().transform(normaliseText).pipe(z.string().max(max));

const digitString = (min: number, max: number, bn: string, en: string) =>
  z
    .string()
    .transform((s) => toLatinDigits(s.trim()))
    .pipe(z.string().regex(new RegExp(`^\\d{${min},${max}}$`), bilingual(bn, en)));

export const codeSchema = z
  .string()
  .transform((s) => toLatinDigits(s.trim().toLowerCase()))
  .pipe(
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]{1,59}$/,
        bilingual(
          'কোডে শুধু ইংরেজি ছোট হাতের অক্ষর, অঙ্ক, হাইফেন (-), ডট (.) বা আন্ডারস্কোর (_) দিন; ২ থেকে ৬০ অক্ষর, যেমন dwa-dist-khulna।',
          'Use lower-case letters, digits, hyphens, dots or underscores, 2 to 60 characters, e.g. dwa-dist-khulna.',
        ),
      ),
  );

const nameBnSchema = text(200).pipe(
  z
    .string()
    .min(1)
    .refine((s) => BENGALI_SCRIPT.test(s), bilingual('বাংলা নাম বাংলা অক্ষরে লিখুন।', 'Write the Bangla name in Bangla script.')),
);

const objectIdSchema = z.string().trim().regex(OBJECT_ID, bilingual('তালিকা থেকে একটি দপ্তর বেছে নিন।', 'Choose an office from the list.'));

const districtSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s) => DISTRICTS.some((d) => d.iso === s), bilingual('তালিকা থেকে একটি জেলা বেছে নিন।', 'Choose a district from the list.'));

const geoCodeSchema = digitString(
  4,
  4,
  'জিও কোড ৪ অঙ্কের হবে (জেলা ২ + উপজেলা ২), যেমন ৪৭৬৪; প্রধান কার্যালয়ের জন্য ০০০০।',
  'The geo code has 4 digits (district 2 + upazila 2), e.g. 4764; 0000 for a head office.',
);

const phoneSchema = z
  .string()
  .transform((s) => normaliseText(toLatinDigits(s)))
  .pipe(
    z
      .string()
      .regex(
        /^\+?[0-9][0-9 ()-]{4,24}$/,
        bilingual('ফোন নম্বর সঠিক নয় (যেমন ০২-৯৫৫৫৫৫৫ বা ০১৭১১০০০০০০)।', 'Not a valid phone number (e.g. 02-9555555 or 01711000000).'),
      ),
  );

const emailSchema = z.string().trim().toLowerCase().pipe(z.email());

const segment = (width: string, widthEn: string) =>
  clearable(digitString(1, 4, `শুধু অঙ্ক দিন (সাধারণত ${width} অঙ্ক)।`, `Digits only (usually ${widthEn} digits).`));

/** The segment values of the office's memo numbers (domain.md, "Memo numbers"); Latin digit strings. */
export const memoSegmentsSchema = z
  .object({
    ministry: segment('২', '2'),
    office: segment('২', '2'),
    geo: segment('৪', '4'),
    subordinateOffice: segment('৩', '3'),
    branch: segment('৩', '3'),
    subject: segment('২', '2'),
  })
  .strict();

export const MEMO_SEGMENT_KEYS = ['ministry', 'office', 'geo', 'subordinateOffice', 'branch', 'subject'] as const;
export type MemoSegmentKey = (typeof MEMO_SEGMENT_KEYS)[number];

const optionalFields = {
  nameEn: clearable(text(200)),
  shortName: clearable(text(40)),
  parent: clearable(objectIdSchema),
  geoCode: clearable(geoCodeSchema),
  districtIso: clearable(districtSchema),
  addressBn: clearable(text(500)),
  addressEn: clearable(text(500)),
  phone: clearable(phoneSchema),
  email: clearable(emailSchema),
  memoSegments: z.preprocess((v) => (v === null ? null : v), memoSegmentsSchema.nullable().optional()),
};

/** POST /api/v1/offices and the "new office" form. */
export const createOfficeSchema = z
  .object({
    code: codeSchema,
    nameBn: nameBnSchema,
    level: z.enum(OFFICE_LEVELS),
    ...optionalFields,
  })
  .strict();

/** PATCH /api/v1/offices/:officeId and the edit form: the version it was read at, and the fields to change. */
export const updateOfficeSchema = z
  .object({
    version: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(toLatinDigits(v.trim())) : v), z.number().int().min(0)),
    code: codeSchema.optional(),
    nameBn: nameBnSchema.optional(),
    level: z.enum(OFFICE_LEVELS).optional(),
    ...optionalFields,
  })
  .strict();

export type CreateOfficeInput = z.output<typeof createOfficeSchema>;
export type UpdateOfficeInput = z.output<typeof updateOfficeSchema>;
export type MemoSegmentsInput = z.output<typeof memoSegmentsSchema>;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** GET /api/v1/offices and the offices page. */
export const listOfficesQuery = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(100).optional()),
  level: z.preprocess(emptyToUndefined, z.enum(OFFICE_LEVELS).optional()),
  parent: z.preprocess(emptyToUndefined, objectIdSchema.optional()),
  active: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()),
});

/** GET /api/v1/reference/upazilas and the upazilas page. */
export const listUpazilasQuery = z.object({
  district: z.preprocess(emptyToUndefined, z.string().trim().max(60).optional()),
  q: z.preprocess(emptyToUndefined, z.string().trim().max(100).optional()),
});

/** POST /api/v1/reference/upazilas?dryRun=1 */
export const importUpazilasQuery = z.object({
  dryRun: z.preprocess(emptyToUndefined, z.enum(['1', '0', 'true', 'false']).optional()),
});

/**
 * A submitted office form as the schemas expect it: the form's flat field names (memoSegments.branch) are
 * nested, every field is kept ('' clears it), and the CSRF token and buttons are dropped.
 */
export function officeFormToInput(body: Record<string, unknown>, mode: 'create' | 'update'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields =
    mode === 'create'
      ? ['code', 'nameBn', 'level', 'nameEn', 'shortName', 'parent', 'geoCode', 'districtIso', 'addressBn', 'addressEn', 'phone', 'email']
      : [
          'version',
          'nameBn',
          'level',
          'nameEn',
          'shortName',
          'parent',
          'geoCode',
          'districtIso',
          'addressBn',
          'addressEn',
          'phone',
          'email',
        ];
  for (const f of fields) out[f] = typeof body[f] === 'string' ? body[f] : '';
  const memo: Record<string, string | null> = {};
  for (const k of MEMO_SEGMENT_KEYS) {
    const v = body[`memoSegments.${k}`];
    memo[k] = typeof v === 'string' && v.trim() !== '' ? v : null;
  }
  out.memoSegments = Object.values(memo).some((v) => v !== null) ? memo : null;
  // A creating form without a parent means "a root office"; the service decides whether that is allowed.
  if (mode === 'create' && out.parent === '') delete out.parent;
  return out;
}
