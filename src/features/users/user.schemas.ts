// Input shapes of the users feature, shared by the pages (form fields are strings) and the API (JSON).
// Messages come in Bangla and English (bilingual); empty form fields mean "not given".
import { z } from 'zod';
import { toLatinDigits } from '../../lib/index.js';
import { bilingual, bnDate, optionalText } from '../../platform/http/validation.js';
import { ROLES } from './user.model.js';

const empty = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** An optional text that can also be cleared: "" or null → null (clear), absent → undefined (unchanged). */
const clearableText = (max: number) =>
  z.preprocess(
    (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? null : v),
    z.string().trim().max(max).nullable().optional(),
  );

const requiredText = (max: number) => z.string().trim().min(1).max(max);

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/;

export const username = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z
    .string()
    .min(1)
    .regex(
      USERNAME_PATTERN,
      bilingual(
        '৩ থেকে ৪০ অক্ষর দিন: ইংরেজি ছোট হাতের অক্ষর, অঙ্ক, বিন্দু (.), হাইফেন (-) বা আন্ডারস্কোর (_)।',
        'Use 3 to 40 characters: lower-case letters, digits, dot (.), hyphen (-) or underscore (_).',
      ),
    ),
);

export const objectId = z
  .string()
  .trim()
  .min(1)
  .regex(/^[0-9a-f]{24}$/i, bilingual('তালিকা থেকে একটি দপ্তর বেছে নিন।', 'Choose an office from the list.'));

/** One or more roles; a form sends one checkbox as a string and several as an array. */
export const roles = z.preprocess(
  (v) => (empty(v) ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(ROLES)).min(1, bilingual('অন্তত একটি ভূমিকা বেছে নিন।', 'Choose at least one role.')),
);

const email = z.preprocess(
  (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? null : typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.email(bilingual('সঠিক ই-মেইল ঠিকানা দিন।', 'Enter a valid e-mail address.')).max(200).nullable().optional(),
);

/** Bangla or Latin digits, spaces, hyphens and a leading +; stored with Latin digits. */
const phone = z.preprocess(
  (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? null : typeof v === 'string' ? toLatinDigits(v.trim()) : v),
  z
    .string()
    .regex(
      /^\+?[0-9][0-9 -]{5,19}$/,
      bilingual('সঠিক ফোন নম্বর দিন (যেমন ০১৭১১-০০০০০০)।', 'Enter a valid phone number (e.g. 01711-000000).'),
    )
    .nullable()
    .optional(),
);

const language = z.enum(['bn', 'en']);

/** Hidden form field or JSON number: the version the editor read. */
const version = z.coerce.number().int().min(0);

export const createUserSchema = z.object({
  username,
  nameBn: requiredText(200),
  nameEn: clearableText(200),
  designationBn: requiredText(200),
  designationEn: clearableText(200),
  office: objectId,
  email,
  phone,
  language: language.default('bn'),
  roles,
});
export type CreateUserInput = z.output<typeof createUserSchema>;

/** The admin's edit form (every field present; empty optional fields are cleared). */
export const editUserFormSchema = createUserSchema.omit({ username: true }).extend({ version });

/** PATCH /api/v1/users/:userId: any subset of the fields, with the version read. */
export const patchUserSchema = z.strictObject({
  version,
  nameBn: requiredText(200).optional(),
  nameEn: clearableText(200),
  designationBn: requiredText(200).optional(),
  designationEn: clearableText(200),
  office: objectId.optional(),
  email,
  phone,
  language: language.optional(),
  roles: roles.optional(),
  active: z.boolean().optional(),
});
export type UpdateUserInput = z.output<typeof patchUserSchema>;

/** Own profile: names, e-mail, phone, language; never roles, office or username. */
export const profileSchema = z.strictObject({
  version: version.optional(),
  nameBn: requiredText(200).optional(),
  nameEn: clearableText(200),
  email,
  phone,
  language: language.optional(),
});
export type ProfileInput = z.output<typeof profileSchema>;

/** The profile page posts every field (plus the CSRF token). */
export const profileFormSchema = z.object({
  version: version.optional(),
  nameBn: requiredText(200),
  nameEn: clearableText(200),
  email,
  phone,
  language,
});

export const actingChargeSchema = z
  .object({
    office: objectId,
    roles,
    designationBn: requiredText(200),
    designationEn: clearableText(200),
    from: bnDate(),
    to: bnDate(),
    note: clearableText(500),
  })
  .refine((c) => c.to >= c.from, {
    path: ['to'],
    message: bilingual('শেষের তারিখ শুরুর তারিখের আগে হতে পারে না।', 'The end date cannot be before the start date.'),
  });
export type ActingChargeInput = z.output<typeof actingChargeSchema>;

export const MIN_PASSWORD_LENGTH = 10;

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(200),
});
export type ChangePasswordInput = z.output<typeof changePasswordSchema>;

/** The page asks for the new password twice. */
export const changePasswordFormSchema = changePasswordSchema
  .extend({ confirmPassword: z.string().min(1).max(200) })
  .refine((p) => p.confirmPassword === p.newPassword, {
    path: ['confirmPassword'],
    message: bilingual('দুবার দেওয়া নতুন পাসওয়ার্ড মেলেনি।', 'The two new passwords do not match.'),
  });

export const listQuerySchema = z.object({
  office: z.preprocess((v) => (empty(v) ? undefined : v), objectId.optional()),
  role: z.preprocess((v) => (empty(v) ? undefined : v), z.enum(ROLES).optional()),
  q: optionalText(100),
  active: z.preprocess((v) => (empty(v) ? undefined : v), z.enum(['true', 'false', 'all']).optional()),
  page: z.preprocess(
    (v) => (empty(v) ? undefined : typeof v === 'string' ? toLatinDigits(v) : v),
    z.coerce.number().int().min(1).max(100_000).default(1),
  ),
});
export type ListQueryInput = z.output<typeof listQuerySchema>;

export const tokenNameSchema = z.object({ name: optionalText(60) });
