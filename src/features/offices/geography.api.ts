// The reference API: divisions and districts, upazilas, and the upazila CSV import; with its OpenAPI
// description.
import express from 'express';
import { z } from 'zod';
import { ValidationError } from '../../kernel/errors.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import { divisionsWithDistricts, listUpazilas, resolveDistrictFilter } from './geography.service.js';
import { apiImportReport, importOut } from './office.api-shapes.js';
import { langOf } from './office.http.js';
import { importUpazilasQuery, listUpazilasQuery } from './office.schemas.js';
import { importUpazilas, previewUpazilaImport } from './upazila-import.service.js';
import { contextOf, type Routes } from '../access/index.js';

/** Registers the reference API (/api/v1/reference/…) and adds it to the OpenAPI description. */
export function geographyApi(apiRoutes: Routes, api: OpenApiRegistry): void {
  apiRoutes.get('/reference/districts', 'signed-in', (_req, res) => {
    res.json({
      divisions: divisionsWithDistricts().map((d) => ({
        iso: d.iso,
        bbsCode: d.bbsCode,
        name: d.nameBn,
        nameEn: d.nameEn,
        districts: d.districts.map((x) => ({ iso: x.iso, bbsCode: x.bbsCode, name: x.nameBn, nameEn: x.nameEn })),
      })),
    });
  });

  apiRoutes.get('/reference/upazilas', 'signed-in', async (req, res) => {
    const q = parseOrThrow(listUpazilasQuery, req.query);
    const items = await listUpazilas({ district: resolveDistrictFilter(q.district), q: q.q });
    res.json({
      items: items.map((u) => ({
        geoCode: u.geoCode,
        district: u.districtIso,
        districtName: u.districtBn,
        name: u.nameBn,
        nameEn: u.nameEn,
      })),
    });
  });

  apiRoutes.post(
    '/reference/upazilas',
    'office.manage',
    express.text({ type: ['text/csv', 'text/plain'], limit: '2mb' }),
    async (req, res) => {
      const lang = langOf(res);
      const q = parseOrThrow(importUpazilasQuery, req.query);
      if (typeof req.body !== 'string') {
        throw new ValidationError({
          body: { bn: 'CSV পাঠান: Content-Type হবে text/csv বা text/plain।', en: 'Send the CSV with Content-Type text/csv or text/plain.' },
        });
      }
      const ctx = contextOf(req);
      const dryRun = q.dryRun === '1' || q.dryRun === 'true';
      const report = dryRun ? await previewUpazilaImport(ctx, req.body) : await importUpazilas(ctx, req.body);
      res.status(report.rows.length ? 200 : 400).json(apiImportReport(report, lang));
    },
  );

  // ----- OpenAPI -----

  api.add({
    method: 'get',
    path: '/api/v1/reference/districts',
    summary: 'The 8 divisions and 64 districts (Bangla and English names, ISO and BBS codes)',
    tags: ['reference'],
    auth: true,
    responses: { 200: { description: '{ divisions: [{ iso, bbsCode, name, nameEn, districts }] }' } },
  });
  api.add({
    method: 'get',
    path: '/api/v1/reference/upazilas',
    summary: 'Upazilas, optionally of one district (ISO code, BBS code or name)',
    tags: ['reference'],
    auth: true,
    query: listUpazilasQuery,
    responses: { 200: { description: '{ items: [{ geoCode, district, districtName, name, nameEn }] }' } },
  });
  api.add({
    method: 'post',
    path: '/api/v1/reference/upazilas',
    summary:
      'Import upazilas from CSV (text/csv or text/plain, up to 2 MB); ?dryRun=1 only previews. Known geo codes are updated, never duplicated',
    tags: ['reference'],
    auth: true,
    query: importUpazilasQuery,
    body: z.string(),
    bodyContentType: 'text/csv',
    responses: {
      200: { description: 'Rows read and row errors; saved tells whether anything was stored', schema: importOut },
      400: { description: 'No row could be read (same body)', schema: importOut },
    },
  });
}
