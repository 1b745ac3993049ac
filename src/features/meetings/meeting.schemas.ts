import { z } from 'zod';
import { dhakaInstant, parseDateInput, toLatinDigits } from '../../lib/index.js';
import { bilingual, bnDate, objectIdField, optionalText } from '../../platform/http/validation.js';
import { DECISION_STATUSES, MEETING_KINDS, PURPOSES } from './meeting.model.js';

const objectId = objectIdField();

/** A moment: ISO with an offset, or a Dhaka wall-clock "YYYY-MM-DDTHH:mm" / "DD/MM/YYYY HH:mm". */
export const dhakaDateTime = z.preprocess(
  (v) => {
    if (v instanceof Date) return v;
    if (typeof v !== 'string') return v;
    const s = v.trim();
    if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(s)) return new Date(s);
    const m = /^(.+?)[T\s]+(\d{1,2})[:.](\d{2})$/.exec(toLatinDigits(s));
    const day = m ? parseDateInput(m[1]!) : null;
    return m && day && Number(m[2]) < 24 && Number(m[3]) < 60 ? dhakaInstant(day, Number(m[2]), Number(m[3])) : new Date(NaN);
  },
  z.date({ message: bilingual('তারিখ ও সময় সঠিক নয় (যেমন 2025-09-28T11:00+06:00)।', 'Not a valid date and time (e.g. 2025-09-28T11:00+06:00).') }).refine((d) => !Number.isNaN(d.getTime()), bilingual('তারিখ ও সময় সঠিক নয় (যেমন 2025-09-28T11:00+06:00)।', 'Not a valid date and time (e.g. 2025-09-28T11:00+06:00).')),
);

const person = z.object({
  user: objectId.optional(),
  name: z.string().trim().max(200).optional(),
  designation: z.string().trim().max(300).optional(),
  office: z.string().trim().max(300).optional(),
  present: z.boolean().default(true),
  reason: optionalText(300),
}).refine((p) => p.user || p.name, bilingual('নাম দিন অথবা ব্যবহারকারী বেছে নিন।', 'Give a name or choose a user.'));
export type PersonInput = z.output<typeof person>;

export const chairSchema = z.union([
  z.object({ user: objectId, designation: optionalText(300) }),
  z.object({ text: z.string().trim().min(1).max(300), designation: optionalText(300), name: optionalText(200) }),
]);

const agendaItem = z.union([
  z.string().trim().min(1).max(1000).transform((text) => ({ text, initiatives: [] as string[] })),
  z.object({ text: z.string().trim().min(1).max(1000), initiatives: z.array(objectId).max(20).default([]) }),
]);

const meetingFields = {
  kind: z.enum(MEETING_KINDS, { message: bilingual('সভার ধরন: review, orientation, innovation_team অথবা other।', 'Kind: review, orientation, innovation_team or other.') }),
  subject: z.string().trim().min(1, bilingual('বিষয় দিন।', 'Give the subject.')).max(1000),
  office: objectId.optional(),
  chair: chairSchema,
  venue: z.string().trim().max(500).default(''),
  startsAt: dhakaDateTime,
  durationMinutes: z.number().int().min(5).max(24 * 60).optional(),
  series: z.string().trim().min(1).max(200).optional(),
  attendance: z.array(person).max(500).default([]),
  observers: z.array(person).max(100).default([]),
  agendaItems: z.array(agendaItem).max(100).default([]),
};
export const createMeetingSchema = z.object(meetingFields);
export type CreateMeetingInput = z.output<typeof createMeetingSchema>;
export const updateMeetingSchema = z.object(meetingFields).partial().extend({ version: z.number().int().min(0).optional() });
export type UpdateMeetingInput = z.output<typeof updateMeetingSchema>;

/** An implementer or recipient: plain text, or a user, an office, or text. */
export const partyInput = z.union([
  z.string().trim().min(1).max(500).transform((text) => ({ text })),
  z.object({ user: objectId }),
  z.object({ office: objectId }),
  z.object({ text: z.string().trim().min(1).max(500) }),
]);
export type PartyInput = z.output<typeof partyInput>;

const paragraphs = z.union([z.string().max(20_000).transform((s) => s.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)), z.array(z.string().trim().max(20_000)).max(200)]);
const text = z.union([z.string().max(20_000), z.array(z.string().max(20_000)).transform((a) => a.join('\n\n'))]);

export const minutesSchema = z.object({
  opening: text.default(''),
  confirmation: text.default(''),
  items: z.array(z.object({ topic: z.string().trim().min(1, bilingual('আলোচ্য বিষয় দিন।', 'Give the topic.')).max(1000), paragraphs: paragraphs.default([]), speakers: z.array(z.string().trim().max(300)).max(50).default([]) })).max(200).default([]),
  decisions: z
    .array(
      z.object({
        id: objectId.optional(),
        text: z.string().trim().min(1, bilingual('সিদ্ধান্ত লিখুন।', 'Write the decision.')).max(5000),
        implementers: z.array(partyInput).max(50).default([]),
        deadline: bnDate().optional().nullable(),
        initiatives: z.array(objectId).max(20).default([]),
        item: z.number().int().min(0).nullable().optional(),
      }),
    )
    .max(500)
    .default([]),
  closing: text.default(''),
  version: z.number().int().min(0).optional(),
});
export type MinutesInput = z.output<typeof minutesSchema>;

export const distributionEntry = z.union([
  z.string().trim().min(1).max(500).transform((text) => ({ text, purpose: 'action' as const })),
  z.object({ text: z.string().trim().min(1).max(500).optional(), user: objectId.optional(), office: objectId.optional(), purpose: z.enum(PURPOSES).default('action') }).refine((e) => e.text || e.user || e.office, bilingual('প্রাপকের নাম লিখুন অথবা তালিকা থেকে বেছে নিন।', 'Type the recipient or choose one.')),
]);
export type DistributionInput = z.output<typeof distributionEntry>;

export const issueSchema = z.object({
  distribution: z.array(distributionEntry).max(500).default([]),
  distributionList: objectId.optional(),
  notBySeniority: z.boolean().optional(),
  issuer: objectId.optional(),
  register: objectId.optional(),
});
export type IssueInput = z.output<typeof issueSchema>;

// A notice takes a memo number: without recipients it would use one up and reach no one, so none is refused.
export const noticeSchema = z.object({
  distribution: z.array(distributionEntry).min(1, bilingual('অন্তত একজন প্রাপক দিন।', 'Give at least one recipient.')).max(500),
  register: objectId.optional(),
});

export const returnSchema = z.object({ comment: z.string().trim().min(1, bilingual('ফেরত পাঠানোর কারণ লিখুন।', 'Say why it is returned.')).max(5000) });

export const listQuerySchema = z.object({
  office: objectId.optional(),
  status: z.string().optional(),
  from: bnDate().optional(),
  to: bnDate().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const decisionQuerySchema = z.object({
  status: z.enum(DECISION_STATUSES).optional(),
  overdue: z.enum(['1', '0', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
  office: objectId.optional(),
  user: objectId.optional(),
  mine: z.enum(['1', '0', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
});

export const decisionPatchSchema = z.object({
  status: z.enum(DECISION_STATUSES, { message: bilingual('অবস্থা: open, in_progress, done অথবা dropped।', 'Status: open, in_progress, done or dropped.') }).optional(),
  update: optionalText(5000),
  version: z.number().int().min(0).optional(),
}).refine((p) => p.status || p.update, bilingual('অবস্থা অথবা অগ্রগতির বিবরণ দিন।', 'Give a status or a progress note.'));

export const createDistributionListSchema = z.object({
  office: objectId.optional(),
  name: z.string().trim().min(1).max(200),
  entries: z.array(distributionEntry).min(1).max(500),
  notBySeniority: z.boolean().default(false),
});
