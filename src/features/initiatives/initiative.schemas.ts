import { z } from 'zod';
import { parseFiscalYear, parseNumberInput } from '../../lib/index.js';
import { bilingual, bnDate, objectIdField, optionalText } from '../../platform/http/validation.js';
import { AREA_STATUSES, KINDS, STAGES } from './initiative.model.js';

const objectId = objectIdField();
// Bangla or Latin digits with grouping commas (parseNumberInput); blank is "not given"; text it cannot read is
// left for z.number() to refuse with its message.
const num = z.preprocess((v) => (v === null ? undefined : typeof v === 'string' ? (v.trim() === '' ? undefined : (parseNumberInput(v) ?? v)) : v), z.number().min(0).optional());
const tcv = z.object({ days: num, taka: num, visits: num });
const fiscalYear = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : (parseFiscalYear(v) ?? v)) : v),
  // Only a real fiscal year: two consecutive years ("2025-27" is refused), stored as "2025-26".
  z
    .string()
    .refine((s) => parseFiscalYear(s) === s, bilingual('অর্থবছর লিখুন, যেমন ২০২৫-২৬।', 'Write the fiscal year, e.g. 2025-26.'))
    .optional(),
);

const fields = {
  title: z.string().trim().min(1).max(300),
  titleEn: optionalText(300),
  kind: z.enum(KINDS),
  problem: optionalText(5000),
  solution: optionalText(5000),
  lead: objectId.nullable().optional(),
  team: z.array(objectId).max(50).optional(),
  fiscalYear,
  partners: z.array(z.object({ organisation: z.string().trim().min(1).max(200), role: optionalText(200), mouDate: bnDate().optional() })).max(30).optional(),
  budget: z.object({ needed: num, allocated: num, code: optionalText(60) }).optional(),
  charterService: z.object({ office: objectId, serial: z.string().max(20), name: z.string().max(500) }).optional(),
  tcvBaseline: tcv.optional(),
  tcvCurrent: tcv.optional(),
  tags: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
};

export const createInitiativeSchema = z.object({ ...fields, office: objectId.optional() });
export type CreateInitiativeInput = z.output<typeof createInitiativeSchema>;

export const updateInitiativeSchema = z.object(fields).partial().extend({ version: z.coerce.number().int().min(0) });
export type UpdateInitiativeInput = z.output<typeof updateInitiativeSchema>;

export const transitionSchema = z.object({
  to: z.enum([...STAGES, 'resume']),
  note: optionalText(2000),
  reason: optionalText(2000),
  evidence: z.array(z.string().max(500)).max(20).optional(),
  decision: objectId.optional(),
  pilotEvaluation: z.object({ summary: optionalText(5000), tcvAfter: tcv.optional(), beneficiaries: num, recommendation: optionalText(2000) }).optional(),
  institutionalEvidence: z.object({ policy: optionalText(1000), budgetLine: optionalText(1000), owningAgency: optionalText(500) }).optional(),
});
export type TransitionInput = Omit<z.output<typeof transitionSchema>, 'to'> & { to: (typeof STAGES)[number] | 'resume' };

export const decisionSchema = z.object({ note: optionalText(2000) });

export const areaSchema = z.object({
  districtIso: z.string().regex(/^BD-\d{2}$/).optional(),
  upazilaGeo: z.string().regex(/^\d{4}$/).optional(),
  office: objectId.optional(),
  nameBn: z.string().trim().min(1).max(200),
  status: z.enum(AREA_STATUSES).optional(),
  fieldOfficer: objectId.optional(),
  plannedAt: bnDate().optional(),
  note: optionalText(2000),
});
export type AreaInput = z.output<typeof areaSchema>;

export const areaPatchSchema = z.object({
  status: z.enum(AREA_STATUSES).optional(),
  fieldOfficer: objectId.nullable().optional(),
  office: objectId.nullable().optional(),
  nameBn: z.string().trim().min(1).max(200).optional(),
  orientationAt: bnDate().optional(),
  startedAt: bnDate().optional(),
  liveAt: bnDate().optional(),
  stoppedAt: bnDate().optional(),
  note: optionalText(2000),
  version: z.coerce.number().int().min(0).optional(),
});
export type AreaPatch = z.output<typeof areaPatchSchema>;

export const listQuerySchema = z.object({
  stage: z.enum(STAGES).optional(),
  kind: z.enum(KINDS).optional(),
  fiscalYear,
  office: objectId.optional(),
  area: optionalText(40),
  q: optionalText(200),
  stuck: z.preprocess((v) => (v === '' || v === undefined ? undefined : v === 'true' || v === '1'), z.boolean().optional()),
  sort: z.enum(['updated', 'created', 'title', 'stage', 'fiscalYear']).default('updated'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListQuery = z.output<typeof listQuerySchema>;
