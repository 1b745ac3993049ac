// The JSON the offices feature's API answers with (offices and the upazila import report), and their
// schemas for the OpenAPI description.
import { z } from 'zod';
import type { Language } from '../../platform/i18n/index.js';
import { OFFICE_LEVELS } from './office.model.js';
import type { OfficeListItem } from './office.queries.js';
import type { OfficeRecord } from './office.record.js';
import { memoSegmentsSchema } from './office.schemas.js';
import type { UpazilaImportReport } from './upazila-import.service.js';

/** An office in the API's list. */
export function apiListItem(i: OfficeListItem) {
  return {
    id: i.id,
    code: i.code,
    name: i.nameBn,
    nameEn: i.nameEn,
    level: i.level,
    parent: i.parent,
    geoCode: i.geoCode,
    active: i.active,
  };
}

/** One office as the API answers with it. */
export function apiRecord(r: OfficeRecord) {
  return {
    id: r.id,
    code: r.code,
    name: r.nameBn,
    nameBn: r.nameBn,
    nameEn: r.nameEn,
    shortName: r.shortName,
    level: r.level,
    parent: r.parent,
    ancestors: r.ancestors,
    geoCode: r.geoCode,
    districtIso: r.districtIso,
    addressBn: r.addressBn,
    addressEn: r.addressEn,
    phone: r.phone,
    email: r.email,
    memoSegments: r.memoSegments,
    active: r.active,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The upazila import report (row messages in the request's language, and in both). */
export function apiImportReport(report: UpazilaImportReport, lang: Language) {
  return {
    rows: report.rows.map((r) => ({
      row: r.row,
      geoCode: r.geoCode,
      district: r.districtIso,
      name: r.nameBn,
      nameEn: r.nameEn,
      status: r.status,
    })),
    errors: report.errors.map((e) => ({
      row: e.row,
      message: lang === 'en' ? e.messageEn : e.message,
      messages: { bn: e.message, en: e.messageEn },
    })),
    counts: report.counts,
    saved: report.saved,
  };
}

/** The schemas of the shapes above, for the OpenAPI description. */
export const officeOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  level: z.enum(OFFICE_LEVELS),
  parent: z.string().nullable(),
  geoCode: z.string().nullable(),
  active: z.boolean(),
});
export const officeDetailOut = officeOut.extend({
  nameBn: z.string(),
  shortName: z.string().nullable(),
  ancestors: z.array(z.string()),
  districtIso: z.string().nullable(),
  addressBn: z.string().nullable(),
  addressEn: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  memoSegments: memoSegmentsSchema.nullable(),
  version: z.number().int(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export const importOut = z.object({
  rows: z.array(
    z.object({
      row: z.number(),
      geoCode: z.string(),
      district: z.string(),
      name: z.string(),
      nameEn: z.string().nullable(),
      status: z.enum(['new', 'update', 'unchanged']),
    }),
  ),
  errors: z.array(z.object({ row: z.number(), message: z.string() })),
  counts: z.object({ new: z.number(), update: z.number(), unchanged: z.number(), errorRows: z.number() }),
  saved: z.boolean(),
});
