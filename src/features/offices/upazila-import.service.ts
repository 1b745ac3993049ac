// Importing upazilas from CSV (read by upazila-import.ts): a preview that stores nothing, and the import,
// which adds new geo codes and updates known ones (never duplicated: the geo code is the _id).
import { searchKey, toBanglaDigits } from '../../lib/index.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { ForbiddenError } from '../../kernel/errors.js';
import type { UpazilaRecord } from './geography.service.js';
import { actorOf } from './office.record.js';
import { parseUpazilaCsv, type UpazilaImportError } from './upazila-import.js';
import { Upazila } from './upazila.model.js';
import { permittedPosts } from '../access/index.js';
import { recordAudit, type Change } from '../audit/index.js';
import type { RequestContext } from '../../kernel/context.js';

function countBn(n: number): string {
  return toBanglaDigits(n);
}

export interface UpazilaPreviewRow extends UpazilaRecord {
  /** Row in the file (header = row 1). */
  readonly row: number;
  /** new: not stored yet; update: stored with other names or district; unchanged: stored as is. */
  readonly status: 'new' | 'update' | 'unchanged';
  readonly previous: { nameBn: string; nameEn: string | null; districtIso: string } | null;
}

export interface UpazilaImportReport {
  readonly rows: UpazilaPreviewRow[];
  readonly errors: UpazilaImportError[];
  readonly counts: { readonly new: number; readonly update: number; readonly unchanged: number; readonly errorRows: number };
  /** True when the rows were stored (not a preview, and at least one valid row). */
  readonly saved: boolean;
}

async function previewOf(text: string): Promise<UpazilaImportReport> {
  const stored = new Map((await Upazila.find({}).lean()).map((u) => [u.geoCode, u]));
  const parsed = parseUpazilaCsv(text, { existingGeoCodes: new Set(stored.keys()) });
  const rows = parsed.rows.map((r): UpazilaPreviewRow => {
    const old = stored.get(r.geoCode);
    const same = old && old.nameBn === r.nameBn && (old.nameEn ?? null) === (r.nameEn ?? null) && old.districtIso === r.district.iso;
    return {
      row: r.row,
      geoCode: r.geoCode,
      districtIso: r.district.iso,
      districtBn: r.district.nameBn,
      districtEn: r.district.nameEn,
      nameBn: r.nameBn,
      nameEn: r.nameEn ?? null,
      status: !old ? 'new' : same ? 'unchanged' : 'update',
      previous: old ? { nameBn: old.nameBn, nameEn: old.nameEn ?? null, districtIso: old.districtIso } : null,
    };
  });
  return {
    rows,
    errors: parsed.errors,
    counts: {
      new: rows.filter((r) => r.status === 'new').length,
      update: rows.filter((r) => r.status === 'update').length,
      unchanged: rows.filter((r) => r.status === 'unchanged').length,
      errorRows: new Set(parsed.errors.map((e) => e.row)).size,
    },
    saved: false,
  };
}

/** Reads an upazila CSV and says what importing it would do; stores nothing. */
export async function previewUpazilaImport(ctx: RequestContext, text: string): Promise<UpazilaImportReport> {
  if (permittedPosts(actorOf(ctx), 'office.manage').length === 0) throw new ForbiddenError();
  return previewOf(text);
}

/**
 * Stores the valid rows of an upazila CSV: new codes are added, known codes updated (never duplicated: the
 * code is the _id). Rows with errors are skipped; nothing is stored when no row is valid. Audited with counts.
 */
export async function importUpazilas(ctx: RequestContext, text: string): Promise<UpazilaImportReport> {
  if (permittedPosts(actorOf(ctx), 'office.manage').length === 0) throw new ForbiddenError();
  const report = await previewOf(text);
  const toWrite = report.rows.filter((r) => r.status !== 'unchanged');
  if (report.rows.length === 0) return report;
  if (toWrite.length > 0) {
    const ops = toWrite.map((r) => ({
      updateOne: {
        filter: { _id: r.geoCode },
        update: {
          $set: {
            geoCode: r.geoCode,
            districtIso: r.districtIso,
            nameBn: r.nameBn,
            nameEn: r.nameEn ?? undefined,
            searchKey: searchKey([r.nameBn, r.nameEn ?? '', r.geoCode, r.districtBn, r.districtEn].join(' ')),
          },
        },
        upsert: true,
      },
    }));
    try {
      await Upazila.bulkWrite(ops, { ordered: false });
    } catch (err) {
      // Another import inserted one of these codes at the same moment: the upserts are idempotent, run them again.
      if (!isDuplicateKey(err)) throw err;
      await Upazila.bulkWrite(ops, { ordered: false });
    }
  }
  const rowChange = (r: UpazilaPreviewRow): Change => ({
    field: r.geoCode,
    before: r.previous,
    after: { nameBn: r.nameBn, nameEn: r.nameEn, districtIso: r.districtIso },
  });
  await recordAudit(ctx, {
    action: 'upazila.import',
    entity: { type: 'upazila', id: 'upazilas', label: 'উপজেলা আমদানি' },
    changes: [
      { field: 'created', before: null, after: report.counts.new },
      { field: 'updated', before: null, after: report.counts.update },
      { field: 'unchanged', before: null, after: report.counts.unchanged },
      { field: 'errorRows', before: null, after: report.counts.errorRows },
      ...toWrite.map(rowChange),
    ],
    note: `নতুন ${countBn(report.counts.new)}, হালনাগাদ ${countBn(report.counts.update)}, অপরিবর্তিত ${countBn(report.counts.unchanged)}, ত্রুটিপূর্ণ সারি ${countBn(report.counts.errorRows)}`,
  });
  return { ...report, saved: true };
}
