// Pages and API of the offices feature. Every route names its access on its line; handlers that load an
// office check its scope through the service (404 outside the caller's subtree) before reading the body.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { dhakaDateOf, formatShortDateBn, toBanglaDigits, toLatinDigits } from '../../lib/index.js';
import { ConflictError, ValidationError, type FieldErrors } from '../../platform/errors.js';
import { flash } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseForm, parseOrThrow } from '../../platform/http/validation.js';
import { translator, type Language } from '../../platform/i18n/index.js';
import { OFFICE_LEVELS } from './office.model.js';
import {
  createOfficeSchema,
  importUpazilasQuery,
  listOfficesQuery,
  listUpazilasQuery,
  MEMO_SEGMENT_KEYS,
  memoSegmentsSchema,
  officeFormToInput,
  updateOfficeSchema,
} from './office.schemas.js';
import { divisionsWithDistricts, listUpazilas, resolveDistrictFilter } from './geography.service.js';
import { getOffice, listOffices, parentChoices, type OfficeListItem } from './office.queries.js';
import type { OfficeRecord } from './office.record.js';
import { createOffice, deactivateOffice, reactivateOffice, updateOffice } from './office.service.js';
import { importUpazilas, previewUpazilaImport, type UpazilaImportReport } from './upazila-import.service.js';
import { actorOf, contextOf, decide, permittedPosts, Routes, type RouteTable } from './other-features.js';
import { officeTree } from './office-tree.js';
import { DISTRICTS } from './reference/bd-geography.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

function langOf(res: Response): Language {
  return res.locals.lang === 'en' ? 'en' : 'bn';
}
function tOf(res: Response): Translate {
  return res.locals.t as Translate;
}
/** The same text in both languages, for flash messages (shown in whichever language the next page uses). */
function both(key: string, options: { bn?: Record<string, unknown>; en?: Record<string, unknown> } = {}) {
  return { bn: translator('bn')(key, options.bn ?? {}), en: translator('en')(key, options.en ?? {}) };
}
function digitsFor(lang: Language, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return lang === 'bn' ? toBanglaDigits(value) : String(value);
}
function dateFor(lang: Language, at: Date): string {
  const day = dhakaDateOf(at);
  return lang === 'bn' ? formatShortDateBn(day) : day.split('-').reverse().join('/');
}
const collator = new Intl.Collator('bn');
function localFields(fields: FieldErrors, lang: Language): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]));
}

// ---------------------------------------------------------------------------------------------------------
// The office form

type FormValues = Record<string, string>;

const FORM_FIELDS = [
  'code',
  'nameBn',
  'nameEn',
  'shortName',
  'level',
  'parent',
  'districtIso',
  'geoCode',
  'addressBn',
  'addressEn',
  'phone',
  'email',
] as const;

function valuesOfRecord(r: OfficeRecord, lang: Language): FormValues {
  const v: FormValues = {
    code: r.code,
    nameBn: r.nameBn,
    nameEn: r.nameEn ?? '',
    shortName: r.shortName ?? '',
    level: r.level,
    parent: r.parent ?? '',
    districtIso: r.districtIso ?? '',
    geoCode: digitsFor(lang, r.geoCode),
    addressBn: r.addressBn ?? '',
    addressEn: r.addressEn ?? '',
    phone: r.phone ?? '',
    email: r.email ?? '',
    version: String(r.version),
  };
  for (const k of MEMO_SEGMENT_KEYS) v[`memoSegments.${k}`] = digitsFor(lang, r.memoSegments?.[k]);
  return v;
}

function valuesOfBody(body: Record<string, unknown>): FormValues {
  const v: FormValues = {};
  for (const f of [...FORM_FIELDS, 'version', ...MEMO_SEGMENT_KEYS.map((k) => `memoSegments.${k}`)]) {
    const value = body[f];
    v[f] = typeof value === 'string' ? value : '';
  }
  return v;
}

interface Option {
  value: string;
  label: string;
  selected: boolean;
}

interface FieldView {
  name: string;
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  hint: string | undefined;
  describedBy: string | undefined;
  required: boolean;
  kind: 'text' | 'select' | 'textarea' | 'static';
  type: string;
  inputmode: string | undefined;
  autocomplete: string | undefined;
  lang: string | undefined;
  options: Option[] | undefined;
  groups: { label: string; options: Option[] }[] | undefined;
  current: string | undefined;
  size: number | undefined;
}

interface FormState {
  mode: 'new' | 'edit';
  office?: OfficeRecord;
  values: FormValues;
  errors: Record<string, string>;
  conflict?: { changed: string[] };
}

async function renderForm(req: Request, res: Response, status: number, state: FormState): Promise<void> {
  const lang = langOf(res);
  const t = tOf(res);
  const actor = actorOf(req);
  const { choices, rootAllowed } = await parentChoices(
    actor,
    state.office ? { id: state.office.id, parent: state.office.parent } : undefined,
  );
  const name = (n: { nameBn: string; nameEn: string | null }) => (lang === 'en' ? (n.nameEn ?? n.nameBn) : n.nameBn);
  const changed = new Set(state.conflict?.changed ?? []);
  const currentValues = state.office && state.conflict ? valuesOfRecord(state.office, lang) : undefined;

  const field = (fieldName: string, opts: Partial<FieldView> & { label: string }): FieldView => {
    const id = `f-${fieldName.replace(/\./g, '-')}`;
    const error = state.errors[fieldName];
    const hint = opts.hint;
    const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    const topField = fieldName.split('.')[0] ?? fieldName;
    let current: string | undefined;
    // When the audit log cannot say what changed (a change made outside the app), show every current value
    // that differs from what the person typed.
    const differs = () =>
      fieldName !== 'code' &&
      toLatinDigits((currentValues?.[fieldName] ?? '').trim()) !== toLatinDigits((state.values[fieldName] ?? '').trim());
    if (currentValues && (changed.size ? changed.has(topField) : differs())) {
      const raw = currentValues[fieldName] ?? '';
      current =
        opts.options?.find((o) => o.value === raw)?.label ??
        opts.groups?.flatMap((g) => g.options).find((o) => o.value === raw)?.label ??
        raw;
      if (current === '') current = '—';
    }
    return {
      name: fieldName,
      id,
      value: state.values[fieldName] ?? '',
      error,
      describedBy,
      required: false,
      kind: 'text',
      type: 'text',
      inputmode: undefined,
      autocomplete: 'off',
      lang: undefined,
      options: undefined,
      groups: undefined,
      hint,
      current,
      size: undefined,
      ...opts,
    };
  };
  const selected = (fieldName: string, value: string) => (state.values[fieldName] ?? '') === value;

  const parentOptions: Option[] = [];
  if (rootAllowed || (state.office && !state.office.parent))
    parentOptions.push({ value: '', label: t('offices.rootOption'), selected: selected('parent', '') });
  else parentOptions.push({ value: '', label: t('offices.chooseParent'), selected: selected('parent', '') });
  for (const c of choices) {
    const indent = c.depth > 0 ? `${'\u2003'.repeat(c.depth - 1)}└ ` : '';
    parentOptions.push({ value: c.id, label: `${indent}${name(c)}`, selected: selected('parent', c.id) });
  }

  const levelOptions: Option[] = OFFICE_LEVELS.map((l) => ({ value: l, label: t(`offices.levels.${l}`), selected: selected('level', l) }));
  const districtGroups = divisionsWithDistricts().map((d) => ({
    label: lang === 'en' ? d.nameEn : d.nameBn,
    options: d.districts.map((x) => ({
      value: x.iso,
      label: lang === 'en' ? x.nameEn : x.nameBn,
      selected: selected('districtIso', x.iso),
    })),
  }));

  const sections = [
    {
      legend: t('offices.sections.identity'),
      fields: [
        state.mode === 'new'
          ? field('code', {
              label: t('offices.fields.code'),
              required: true,
              hint: t('offices.hints.code'),
              lang: 'en',
              autocomplete: 'off',
            })
          : field('code', {
              label: t('offices.fields.code'),
              kind: 'static',
              hint: t('offices.hints.codeFixed'),
              value: state.office?.code ?? '',
            }),
        field('nameBn', { label: t('offices.fields.nameBn'), required: true, hint: t('offices.hints.nameBn'), lang: 'bn' }),
        field('nameEn', { label: t('offices.fields.nameEn'), lang: 'en' }),
        field('shortName', { label: t('offices.fields.shortName'), hint: t('offices.hints.shortName') }),
        field('level', { label: t('offices.fields.level'), kind: 'select', required: true, options: levelOptions }),
      ],
    },
    {
      legend: t('offices.sections.place'),
      fields: [
        field('parent', {
          label: t('offices.fields.parent'),
          kind: 'select',
          required: !rootAllowed,
          options: parentOptions,
          hint: t('offices.hints.parent'),
        }),
        field('districtIso', {
          label: t('offices.fields.districtIso'),
          kind: 'select',
          options: [{ value: '', label: t('offices.chooseDistrict'), selected: selected('districtIso', '') }],
          groups: districtGroups,
        }),
        field('geoCode', { label: t('offices.fields.geoCode'), hint: t('offices.hints.geoCode'), inputmode: 'numeric' }),
      ],
    },
    {
      legend: t('offices.sections.contact'),
      fields: [
        field('addressBn', { label: t('offices.fields.addressBn'), kind: 'textarea', lang: 'bn' }),
        field('addressEn', { label: t('offices.fields.addressEn'), kind: 'textarea', lang: 'en' }),
        field('phone', { label: t('offices.fields.phone'), type: 'tel', hint: t('offices.hints.phone'), autocomplete: 'off' }),
        field('email', { label: t('offices.fields.email'), type: 'email', autocomplete: 'off' }),
      ],
    },
    {
      legend: t('offices.fields.memoSegments'),
      hint: t('offices.hints.memoSegments'),
      memo: true,
      fields: MEMO_SEGMENT_KEYS.map((k) => field(`memoSegments.${k}`, { label: t(`offices.memo.${k}`), inputmode: 'numeric', size: 8 })),
    },
  ];

  const allFields = sections.flatMap((s) => s.fields);
  const errorList = Object.entries(state.errors).map(([k, message]) => {
    const f = allFields.find((x) => x.name === k);
    return { href: f ? `#${f.id}` : undefined, label: f?.label ?? k, message };
  });
  const officeName = state.office ? name(state.office) : undefined;
  res.status(status).render('offices/form', {
    title: state.mode === 'new' ? t('offices.newTitle') : `${t('offices.editTitle')}: ${officeName}`,
    mode: state.mode,
    isNew: state.mode === 'new',
    office: state.office ? { ...state.office, displayName: officeName } : undefined,
    action: state.mode === 'new' ? '/admin/offices/new' : `/admin/offices/${state.office?.id}/edit`,
    cancel: state.office ? `/admin/offices/${state.office.id}` : '/admin/offices',
    version: state.values.version ?? '',
    sections,
    errorList,
    conflict: state.conflict ? { changed: state.conflict.changed.map((f) => t(`offices.fields.${f}`)) } : undefined,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Views for the list and detail pages

function listRow(item: OfficeListItem, lang: Language, t: Translate, manageable: boolean, showPath: boolean) {
  const name = lang === 'en' ? (item.nameEn ?? item.nameBn) : item.nameBn;
  return {
    id: item.id,
    name,
    other: lang === 'en' ? (item.nameEn ? item.nameBn : undefined) : (item.nameEn ?? undefined),
    code: item.code,
    level: t(`offices.levels.${item.level}`),
    geoCode: digitsFor(lang, item.geoCode),
    active: item.active,
    depth: item.depth,
    indent: item.depth > 0 ? `${'\u2003'.repeat(item.depth - 1)}└ ` : '',
    pad: '\u2003'.repeat(item.depth),
    path: showPath ? item.path.map((p) => (lang === 'en' ? (p.nameEn ?? p.nameBn) : p.nameBn)).join(' › ') : '',
    manageable,
  };
}

function memoPreview(r: OfficeRecord, lang: Language): string | undefined {
  const parts = MEMO_SEGMENT_KEYS.map((k) => r.memoSegments?.[k]).filter((v): v is string => !!v);
  return parts.length ? digitsFor(lang, parts.join('.')) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// API shapes

function apiListItem(i: OfficeListItem) {
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

function apiRecord(r: OfficeRecord) {
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

function apiImportReport(report: UpazilaImportReport, lang: Language) {
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

const officeOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  level: z.enum(OFFICE_LEVELS),
  parent: z.string().nullable(),
  geoCode: z.string().nullable(),
  active: z.boolean(),
});
const officeDetailOut = officeOut.extend({
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
const importOut = z.object({
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

const CSV_EXAMPLE = 'district,name_bn,name_en,geocode\nKhulna,পাইকগাছা,Paikgachha,64\nখুলনা,ডুমুরিয়া,Dumuria,৪৭৩০';

export function officeRoutes(deps: { table: RouteTable; api: OpenApiRegistry }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const apiRoutes = new Routes(deps.table, 'api', '/api/v1');

  // ----- pages: offices -----

  pages.get('/admin/offices', 'office.read', async (req, res) => {
    const lang = langOf(res);
    const t = tOf(res);
    const q = parseOrThrow(listOfficesQuery, req.query);
    const actor = actorOf(req);
    const filtered = !!(q.q || q.level || q.parent || q.active);
    const items = await listOffices(actor, {
      q: q.q,
      level: q.level,
      parent: q.parent,
      active: q.active === undefined ? undefined : q.active === 'true',
    });
    const tree = await officeTree();
    const canManage = permittedPosts(actor, 'office.manage').length > 0;
    res.render('offices/index', {
      title: t('offices.title'),
      q,
      filtered,
      canManage,
      count: digitsFor(lang, items.length),
      levels: OFFICE_LEVELS.map((l) => ({ value: l, label: t(`offices.levels.${l}`), selected: q.level === l })),
      rows: items.map((i) =>
        listRow(i, lang, t, canManage && decide(actor, 'office.manage', tree, { office: i.id }) === 'allow', filtered),
      ),
    });
  });

  pages.get('/admin/offices/new', 'office.manage', async (req, res) => {
    // Without ?parent= the admin's own office is proposed, so a root office is never created by oversight.
    const parent =
      typeof req.query.parent === 'string' ? req.query.parent : (permittedPosts(actorOf(req), 'office.manage')[0]?.office ?? '');
    await renderForm(req, res, 200, { mode: 'new', values: { level: 'upazila', parent }, errors: {} });
  });

  pages.post('/admin/offices/new', 'office.manage', async (req, res) => {
    const lang = langOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = valuesOfBody(body);
    const parsed = parseForm(createOfficeSchema, officeFormToInput(body, 'create'), lang);
    if (!parsed.ok) return renderForm(req, res, 400, { mode: 'new', values, errors: parsed.errors });
    try {
      const created = await createOffice(contextOf(req), parsed.data);
      flash(req, 'success', both('offices.created', { bn: { name: created.nameBn }, en: { name: created.nameEn ?? created.nameBn } }));
      res.redirect(303, `/admin/offices/${created.id}`);
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, 400, { mode: 'new', values, errors: localFields(err.fields, lang) });
      throw err;
    }
  });

  pages.get('/admin/offices/:officeId', 'office.read', async (req, res) => {
    const lang = langOf(res);
    const t = tOf(res);
    const actor = actorOf(req);
    const office = await getOffice(contextOf(req), String(req.params.officeId), 'office.read');
    const tree = await officeTree();
    const name = (n: { nameBn: string; nameEn?: string | null | undefined }) => (lang === 'en' ? (n.nameEn ?? n.nameBn) : n.nameBn);
    const readable = (id: string) => decide(actor, 'office.read', tree, { office: id }) === 'allow';
    const parent = tree.get(office.parent);
    const district = DISTRICTS.find((d) => d.iso === office.districtIso);
    res.render('offices/show', {
      title: name(office),
      office: {
        ...office,
        name: name(office),
        other: lang === 'en' ? office.nameBn : office.nameEn,
        level: t(`offices.levels.${office.level}`),
        geoCode: digitsFor(lang, office.geoCode),
        phone: office.phone ? digitsFor(lang, office.phone) : null,
        district: district ? name(district) : null,
        version: digitsFor(lang, office.version),
        updatedAt: office.updatedAt ? dateFor(lang, new Date(office.updatedAt)) : null,
      },
      parent: parent ? { id: parent.id, name: name(parent), link: readable(parent.id) } : null,
      path: tree
        .path(office.id)
        .slice(0, -1)
        .map((p) => ({ id: p.id, name: name(p), link: readable(p.id) })),
      memo: MEMO_SEGMENT_KEYS.map((k) => ({ label: t(`offices.memo.${k}`), value: digitsFor(lang, office.memoSegments?.[k]) || '—' })),
      memoPreview: memoPreview(office, lang),
      children: tree
        .children(office.id)
        .filter((c) => readable(c.id))
        .sort((a, b) => collator.compare(a.nameBn, b.nameBn))
        .map((c) => ({
          id: c.id,
          name: name(c),
          level: t(`offices.levels.${c.level}`),
          active: c.active,
          geoCode: digitsFor(lang, c.geoCode),
        })),
      canManage: decide(actor, 'office.manage', tree, { office: office.id }) === 'allow',
    });
  });

  pages.get('/admin/offices/:officeId/edit', 'office.manage', async (req, res) => {
    const office = await getOffice(contextOf(req), String(req.params.officeId), 'office.manage');
    await renderForm(req, res, 200, { mode: 'edit', office, values: valuesOfRecord(office, langOf(res)), errors: {} });
  });

  pages.post('/admin/offices/:officeId/edit', 'office.manage', async (req, res) => {
    const lang = langOf(res);
    const ctx = contextOf(req);
    const id = String(req.params.officeId);
    const office = await getOffice(ctx, id, 'office.manage'); // 404 outside the subtree, before reading the form
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = valuesOfBody(body);
    const parsed = parseForm(updateOfficeSchema, officeFormToInput(body, 'update'), lang);
    if (!parsed.ok) return renderForm(req, res, 400, { mode: 'edit', office, values, errors: parsed.errors });
    try {
      const after = await updateOffice(ctx, id, parsed.data);
      const names = { bn: { name: after.nameBn }, en: { name: after.nameEn ?? after.nameBn } };
      if (after.version === office.version && after.version === parsed.data.version) flash(req, 'info', both('offices.unchanged'));
      else flash(req, 'success', both(after.parent !== office.parent ? 'offices.moved' : 'offices.updated', names));
      res.redirect(303, `/admin/offices/${id}`);
    } catch (err) {
      if (err instanceof ValidationError)
        return renderForm(req, res, 400, { mode: 'edit', office, values, errors: localFields(err.fields, lang) });
      if (err instanceof ConflictError && Array.isArray(err.details?.changed)) {
        // Keep what the person typed, show what changed meanwhile, and let a second save be a conscious overwrite.
        const current = await getOffice(ctx, id, 'office.manage');
        return renderForm(req, res, 409, {
          mode: 'edit',
          office: current,
          values: { ...values, version: String(current.version) },
          errors: {},
          conflict: { changed: err.details.changed as string[] },
        });
      }
      throw err;
    }
  });

  for (const [path, run, done] of [
    ['deactivate', deactivateOffice, 'offices.deactivated'],
    ['reactivate', reactivateOffice, 'offices.reactivated'],
  ] as const) {
    pages.post(`/admin/offices/:officeId/${path}`, 'office.manage', async (req, res) => {
      const id = String(req.params.officeId);
      try {
        const after = await run(contextOf(req), id);
        flash(req, 'success', both(done, { bn: { name: after.nameBn }, en: { name: after.nameEn ?? after.nameBn } }));
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        flash(req, 'error', err.messages);
      }
      res.redirect(303, `/admin/offices/${id}`);
    });
  }

  // ----- pages: upazilas -----

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

  // ----- API: offices -----

  apiRoutes.get('/offices', 'office.read', async (req, res) => {
    const q = parseOrThrow(listOfficesQuery, req.query);
    const items = await listOffices(actorOf(req), {
      q: q.q,
      level: q.level,
      parent: q.parent,
      active: q.active === undefined ? undefined : q.active === 'true',
    });
    res.json({ items: items.map(apiListItem) });
  });

  apiRoutes.get('/offices/:officeId', 'office.read', async (req, res) => {
    res.json(apiRecord(await getOffice(contextOf(req), String(req.params.officeId), 'office.read')));
  });

  apiRoutes.post('/offices', 'office.manage', async (req, res) => {
    const input = parseOrThrow(createOfficeSchema, req.body ?? {});
    res.status(201).json(apiRecord(await createOffice(contextOf(req), input)));
  });

  apiRoutes.patch('/offices/:officeId', 'office.manage', async (req, res) => {
    const ctx = contextOf(req);
    const id = String(req.params.officeId);
    await getOffice(ctx, id, 'office.manage'); // 404 outside the subtree, before reading the body
    const input = parseOrThrow(updateOfficeSchema, req.body ?? {});
    res.json(apiRecord(await updateOffice(ctx, id, input)));
  });

  apiRoutes.post('/offices/:officeId/deactivate', 'office.manage', async (req, res) => {
    res.json(apiRecord(await deactivateOffice(contextOf(req), String(req.params.officeId))));
  });

  apiRoutes.post('/offices/:officeId/reactivate', 'office.manage', async (req, res) => {
    res.json(apiRecord(await reactivateOffice(contextOf(req), String(req.params.officeId))));
  });

  // ----- API: reference data -----

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

  const officeIdPath = '/api/v1/offices/{officeId}';
  deps.api.add({
    method: 'get',
    path: '/api/v1/offices',
    summary: 'Offices the caller may see (their subtree), in tree order',
    tags: ['offices'],
    auth: true,
    query: listOfficesQuery,
    responses: { 200: { description: '{ items }', schema: z.object({ items: z.array(officeOut) }) } },
  });
  deps.api.add({
    method: 'get',
    path: officeIdPath,
    summary: "One office with its version (404 outside the caller's subtree)",
    tags: ['offices'],
    auth: true,
    responses: {
      200: { description: 'The office', schema: officeDetailOut },
      404: { description: "Not found or outside the caller's subtree" },
    },
  });
  deps.api.add({
    method: 'post',
    path: '/api/v1/offices',
    summary: "Create an office under a parent in the admin's subtree",
    tags: ['offices'],
    auth: true,
    body: createOfficeSchema,
    responses: {
      201: { description: 'Created', schema: officeDetailOut },
      400: { description: 'Field errors (error.fields), e.g. code already used, parent outside the subtree' },
    },
  });
  deps.api.add({
    method: 'patch',
    path: officeIdPath,
    summary: 'Edit or move an office; send the version you read',
    tags: ['offices'],
    auth: true,
    body: updateOfficeSchema,
    responses: {
      200: { description: 'Saved', schema: officeDetailOut },
      400: { description: 'Field errors' },
      409: { description: 'Stale version: error.details.changed lists the fields changed since' },
    },
  });
  deps.api.add({
    method: 'post',
    path: `${officeIdPath}/deactivate`,
    summary: 'Deactivate an office (refused while active offices or users are in it)',
    tags: ['offices'],
    auth: true,
    responses: {
      200: { description: 'Deactivated', schema: officeDetailOut },
      409: { description: 'Active offices below it or active users in it' },
    },
  });
  deps.api.add({
    method: 'post',
    path: `${officeIdPath}/reactivate`,
    summary: 'Reactivate an office (its parent must be active)',
    tags: ['offices'],
    auth: true,
    responses: { 200: { description: 'Reactivated', schema: officeDetailOut }, 409: { description: 'The parent office is inactive' } },
  });
  deps.api.add({
    method: 'get',
    path: '/api/v1/reference/districts',
    summary: 'The 8 divisions and 64 districts (Bangla and English names, ISO and BBS codes)',
    tags: ['reference'],
    auth: true,
    responses: { 200: { description: '{ divisions: [{ iso, bbsCode, name, nameEn, districts }] }' } },
  });
  deps.api.add({
    method: 'get',
    path: '/api/v1/reference/upazilas',
    summary: 'Upazilas, optionally of one district (ISO code, BBS code or name)',
    tags: ['reference'],
    auth: true,
    query: listUpazilasQuery,
    responses: { 200: { description: '{ items: [{ geoCode, district, districtName, name, nameEn }] }' } },
  });
  deps.api.add({
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

  return { pages, apiRoutes };
}
