// The upazila pages: the list (with district and text filters) and the CSV import with its preview.
import type { Response } from 'express';
import { flash } from '../../platform/http/flash.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import type { Language } from '../../platform/i18n/index.js';
import { divisionsWithDistricts, listUpazilas, resolveDistrictFilter } from './geography.service.js';
import { both, digitsFor, langOf, tOf } from './office.http.js';
import { listUpazilasQuery } from './office.schemas.js';
import { importUpazilas, previewUpazilaImport, type UpazilaImportReport } from './upazila-import.service.js';
import { actorOf, contextOf, permittedPosts, type Routes } from '../access/index.js';

const CSV_EXAMPLE = 'district,name_bn,name_en,geocode\nKhulna,পাইকগাছা,Paikgachha,64\nখুলনা,ডুমুরিয়া,Dumuria,৪৭৩০';

/** Registers the upazila pages under /admin/upazilas. */
export function upazilaPages(pages: Routes): void {
  pages.get('/admin/upazilas', 'office.read', async (req, res) => {
    const lang = langOf(res);
    const t = tOf(res);
    const q = parseOrThrow(listUpazilasQuery, req.query);
    const district = resolveDistrictFilter(q.district);
    const items = await listUpazilas({ district, q: q.q });
    const filtered = !!(district || q.q);
    res.render('offices/upazilas', {
      title: t('offices.upazilas.title'),
      q,
      filtered,
      count: digitsFor(lang, items.length),
      canManage: permittedPosts(actorOf(req), 'office.manage').length > 0,
      districtGroups: divisionsWithDistricts().map((d) => ({
        label: lang === 'en' ? d.nameEn : d.nameBn,
        options: d.districts.map((x) => ({ value: x.iso, label: lang === 'en' ? x.nameEn : x.nameBn, selected: district?.iso === x.iso })),
      })),
      rows: items.map((u) => ({
        geoCode: digitsFor(lang, u.geoCode),
        district: lang === 'en' ? u.districtEn : u.districtBn,
        nameBn: u.nameBn,
        nameEn: u.nameEn ?? '',
      })),
    });
  });

  const renderImport = (res: Response, status: number, data: { csv: string; error?: string; report?: UpazilaImportReport }) => {
    const lang = langOf(res);
    const t = tOf(res);
    const r = data.report;
    const n = (x: number | string) => digitsFor(lang, x);
    res.status(status).render('offices/upazila-import', {
      title: t('offices.import.title'),
      csv: data.csv,
      example: CSV_EXAMPLE,
      error: data.error,
      report: r
        ? {
            summary: t('offices.import.summary', {
              new: n(r.counts.new),
              update: n(r.counts.update),
              unchanged: n(r.counts.unchanged),
              errorRows: n(r.counts.errorRows),
            }),
            canConfirm: r.rows.length > 0,
            errors: r.errors.map((e) => ({ row: n(e.row), message: lang === 'en' ? e.messageEn : e.message })),
            rows: r.rows.map((row) => ({
              row: n(row.row),
              geoCode: n(row.geoCode),
              district: lang === 'en' ? row.districtEn : row.districtBn,
              nameBn: row.nameBn,
              nameEn: row.nameEn ?? '',
              status: row.status,
              statusLabel: t(`offices.import.status${row.status[0]!.toUpperCase()}${row.status.slice(1)}`),
              previous:
                row.status === 'update' && row.previous
                  ? [row.previous.nameBn, row.previous.nameEn].filter(Boolean).join(' / ')
                  : undefined,
            })),
          }
        : undefined,
    });
  };

  pages.get('/admin/upazilas/import', 'office.manage', (_req, res) => {
    renderImport(res, 200, { csv: '' });
  });

  pages.post('/admin/upazilas/import', 'office.manage', async (req, res) => {
    const t = tOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const csv = typeof body.csv === 'string' ? body.csv : '';
    if (csv.trim() === '') return renderImport(res, 400, { csv, error: t('offices.import.empty') });
    const ctx = contextOf(req);
    if (body.confirm !== undefined) {
      const report = await importUpazilas(ctx, csv);
      if (!report.saved) return renderImport(res, 400, { csv, report, error: t('offices.import.nothingValid') });
      const counts = (lang: Language) => {
        const n = (x: number) => digitsFor(lang, x);
        return {
          new: n(report.counts.new),
          update: n(report.counts.update),
          unchanged: n(report.counts.unchanged),
          errorRows: n(report.counts.errorRows),
        };
      };
      const saved = both('offices.import.saved', { bn: counts('bn'), en: counts('en') });
      const skipped = both('offices.import.savedWithErrors', { bn: counts('bn'), en: counts('en') });
      flash(req, 'success', report.counts.errorRows ? { bn: `${saved.bn} ${skipped.bn}`, en: `${saved.en} ${skipped.en}` } : saved);
      return res.redirect(303, '/admin/upazilas');
    }
    const report = await previewUpazilaImport(ctx, csv);
    renderImport(res, report.rows.length ? 200 : 400, {
      csv,
      report,
      error: report.rows.length ? undefined : t('offices.import.nothingValid'),
    });
  });
}
