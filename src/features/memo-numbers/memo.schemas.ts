import { z } from 'zod';
import { toLatinDigits } from '../../lib/index.js';
import { bilingual, objectIdField, optionalText } from '../../platform/http/validation.js';
import { MEMO_LAYOUT_NAMES } from './memo.model.js';

const digits = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? toLatinDigits(v.trim()) : v),
  z.string().regex(/^\d{1,8}$/, bilingual('শুধু অঙ্ক দিন।', 'Digits only.')),
);

/** Segment values: in layout order, by key, or (custom layouts) with their widths. */
const segmentsInput = z.union([
  z.array(digits),
  z.record(z.string(), digits),
  z.array(z.object({ key: z.string().trim().max(40).optional(), value: digits, width: z.coerce.number().int().min(1).max(8).optional() })),
]);

export const createRegisterSchema = z.object({
  office: objectIdField().optional(),
  name: z.string().trim().min(1, bilingual('নাম দিন।', 'Give a name.')).max(200),
  layout: z.enum(MEMO_LAYOUT_NAMES, { message: bilingual('বিন্যাস ২০১৪, ২০২৪ অথবা custom হতে হবে।', 'Layout must be 2014, 2024 or custom.') }),
  segments: segmentsInput,
  separator: z.enum(['-', '.']).default('-'),
  startSerial: z.preprocess((v) => (typeof v === 'string' ? Number(toLatinDigits(v)) : v), z.number().int().min(1).max(10_000_000)).default(1),
  file: optionalText(200),
  isDefault: z.boolean().default(true),
});
export type CreateRegisterInput = z.output<typeof createRegisterSchema>;

export const claimSchema = z.object({
  /** What the number is for (the letter's subject). */
  subject: z.string().trim().min(1, bilingual('চিঠির বিষয় দিন।', 'Give the letter’s subject.')).max(500),
  /** An idempotency key: the same key always gets the same number. */
  key: z.string().trim().min(1).max(200).optional(),
});

export const parseQuerySchema = z.object({ text: z.string().max(200) });
export const registerListQuerySchema = z.object({ office: objectIdField().optional() });
export const numbersQuerySchema = z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(50) });
