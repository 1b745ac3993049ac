// Validation at the edge with zod: messages in Bangla and English for each field, and inputs that accept
// Bangla digits for numbers and dates.
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { OBJECT_ID_PATTERN } from '../db/ids.js';
import { parseDateInput, parseNumberInput, toBanglaDigits } from '../../lib/index.js';
import { ValidationError, type FieldErrors, type Message } from '../../kernel/errors.js';

/** A custom message for both languages, for use in schemas: z.string().refine(f, bilingual('...', '...')). */
export function bilingual(bn: string, en: string): string {
  return `${bn}||${en}`;
}

function issueMessage(issue: z.core.$ZodIssue): Message {
  if (issue.message.includes('||')) {
    const [bn, en] = issue.message.split('||');
    return { bn: bn!, en: en! };
  }
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') {
        return { bn: 'এই ঘরটি পূরণ করা আবশ্যক।', en: 'This field is required.' };
      }
      return { bn: 'এই ঘরের মান সঠিক ধরনের নয়।', en: 'This value has the wrong type.' };
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? { bn: 'এই ঘরটি পূরণ করা আবশ্যক।', en: 'This field is required.' }
          : { bn: `কমপক্ষে ${toBanglaDigits(Number(issue.minimum))} অক্ষর দিন।`, en: `Use at least ${issue.minimum} characters.` };
      }
      if (issue.origin === 'array') return { bn: 'অন্তত একটি বেছে নিন।', en: 'Choose at least one.' };
      return { bn: `মান কমপক্ষে ${toBanglaDigits(Number(issue.minimum))} হতে হবে।`, en: `Must be at least ${issue.minimum}.` };
    case 'too_big':
      if (issue.origin === 'string') {
        return { bn: `সর্বোচ্চ ${toBanglaDigits(Number(issue.maximum))} অক্ষর দেওয়া যাবে।`, en: `Use at most ${issue.maximum} characters.` };
      }
      return { bn: `মান সর্বোচ্চ ${toBanglaDigits(Number(issue.maximum))} হতে পারে।`, en: `Must be at most ${issue.maximum}.` };
    case 'invalid_format':
      if (issue.format === 'email') return { bn: 'সঠিক ই-মেইল ঠিকানা দিন।', en: 'Enter a valid e-mail address.' };
      return { bn: 'লেখার ধরন সঠিক নয়।', en: 'The format is not valid.' };
    case 'invalid_value':
      return { bn: 'তালিকা থেকে একটি বেছে নিন।', en: 'Choose one of the listed values.' };
    case 'unrecognized_keys':
      return { bn: `অজানা ঘর: ${issue.keys.join(', ')}`, en: `Unknown fields: ${issue.keys.join(', ')}` };
    default:
      return { bn: 'মানটি সঠিক নয়।', en: 'This value is not valid.' };
  }
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    fields[key] ??= issueMessage(issue);
  }
  return fields;
}

/** Parses or throws ValidationError (400) with per-field messages. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrorsOf(result.error));
  return result.data;
}

/** Middleware: validates req.body (API routes) and replaces it with the parsed value. */
export function validateBody<T extends z.ZodType>(schema: T) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    req.body = parseOrThrow(schema, req.body ?? {});
    next();
  };
}

/** For forms: the parsed value, or the field messages in the page's language (to re-render with the values). */
export function parseForm<T extends z.ZodType>(
  schema: T,
  input: unknown,
  lang: 'bn' | 'en',
): { ok: true; data: z.output<T> } | { ok: false; errors: Record<string, string> } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrorsOf(result.error))) errors[k] = typeof v === 'string' ? v : v[lang];
  return { ok: false, errors };
}

/** An id chosen from a list (a user, an office, an initiative...). */
export const objectIdField = () => z.string().regex(OBJECT_ID_PATTERN, bilingual('তালিকা থেকে বেছে নিন।', 'Choose from the list.'));

/** Empty form fields are "not given". */
export const optionalText = (max = 500) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());

/** A whole number typed with Bangla or Latin digits (১,২৪,০৮০ or 124080). */
export const bnInt = () =>
  z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : (parseNumberInput(v) ?? v)) : v), z.number().int());

/** A date typed as YYYY-MM-DD or DD/MM/YYYY, Bangla or Latin digits → YYYY-MM-DD. */
export const bnDate = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : (parseDateInput(v) ?? v)) : v),
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, bilingual('তারিখ সঠিক নয় (যেমন ১২/০৩/২০২৫)।', 'Not a valid date (e.g. 12/03/2025).')),
  );

/** A checkbox or "true"/"false" string. */
export const formBool = () => z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());
