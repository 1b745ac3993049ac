// The office form (new and edit pages): its values from a record or a posted body, and the page built from
// them, with field errors and, after a 409, the values someone else saved meanwhile.
import type { Request, Response } from 'express';
import { toLatinDigits } from '../../lib/index.js';
import type { Language } from '../../platform/i18n/index.js';
import { divisionsWithDistricts } from './geography.service.js';
import { digitsFor, langOf, tOf } from './office.http.js';
import { OFFICE_LEVELS } from './office.model.js';
import { parentChoices } from './office.queries.js';
import type { OfficeRecord } from './office.record.js';
import { MEMO_SEGMENT_KEYS } from './office.schemas.js';
import { actorOf } from '../access/index.js';

export type FormValues = Record<string, string>;

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

/** The form's values for a stored office (digits in the page's language). */
export function valuesOfRecord(r: OfficeRecord, lang: Language): FormValues {
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

/** The form's values as posted, to show them again with the errors. */
export function valuesOfBody(body: Record<string, unknown>): FormValues {
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

export interface FormState {
  mode: 'new' | 'edit';
  office?: OfficeRecord;
  values: FormValues;
  errors: Record<string, string>;
  conflict?: { changed: string[] };
}

/** Renders the new or edit form with `status` (400 with field errors, 409 with what changed meanwhile). */
export async function renderForm(req: Request, res: Response, status: number, state: FormState): Promise<void> {
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
