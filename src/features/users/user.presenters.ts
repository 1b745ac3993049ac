// What the users pages show and how their forms behave: a person, an acting charge and a token as view models
// in the page's language, the pickers (offices indented by depth, roles, languages), paging links, and a form's
// values kept (or merged with the current ones after a conflict) to show again on an error.
import type { Request, Response } from 'express';
import { dhakaPartsOf, formatDateEn, formatShortDateBn, toBanglaDigits } from '../../lib/index.js';
import type { ConflictError, FieldErrors, Message } from '../../kernel/errors.js';
import { translator, type Language } from '../../platform/i18n/index.js';
import type { officeChoices } from './directory.service.js';
import type { TokenInfo } from './tokens.service.js';
import { ROLES, type Role } from './user.model.js';
import type { ActingChargeView, UserDetail, UserSummary } from './user.records.js';

export type Values = Record<string, unknown>;

export function langOf(res: Response): Language {
  return res.locals.lang === 'en' ? 'en' : 'bn';
}

export function tr(res: Response, key: string): string {
  return (res.locals.t as (k: string) => string)(key);
}

/** The same text in both languages, for flash messages (shown in the language of the next page). */
export function both(key: string): Message {
  return { bn: translator('bn')(key), en: translator('en')(key) };
}

export function localise(fields: FieldErrors, lang: Language): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]));
}

export function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

function dateText(iso: string, lang: Language): string {
  return lang === 'en' ? formatDateEn(iso) : formatShortDateBn(iso);
}

export function instantText(d: Date | null, lang: Language): string | null {
  if (!d) return null;
  const p = dhakaPartsOf(d);
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = `${dateText(p.date, lang)} ${pad(p.hour)}:${pad(p.minute)}`;
  return lang === 'en' ? text : toBanglaDigits(text);
}

export function pick(lang: Language, bn: string, en: string | null | undefined): string {
  return lang === 'en' ? en || bn : bn;
}

function roleLabels(res: Response, roles: readonly Role[]): string {
  return roles.map((r) => tr(res, `roles.${r}`)).join(', ');
}

export function roleOptions(res: Response, selected: unknown): { value: Role; label: string; checked: boolean }[] {
  const chosen = new Set(Array.isArray(selected) ? selected.map(String) : selected ? [String(selected)] : []);
  return ROLES.map((r) => ({ value: r, label: tr(res, `roles.${r}`), checked: chosen.has(r) }));
}

export type OfficeChoice = Awaited<ReturnType<typeof officeChoices>>[number];

/** Offices indented by depth (non-breaking spaces survive in <option>); inactive ones only when already chosen. */
export function officeOptions(
  choices: OfficeChoice[],
  selected: unknown,
  lang: Language,
): { value: string; label: string; selected: boolean }[] {
  return choices
    .filter((o) => o.active || o.id === selected)
    .map((o) => ({
      value: o.id,
      label: `${'\u00a0\u00a0\u00a0'.repeat(o.depth)}${pick(lang, o.nameBn, o.nameEn)}`,
      selected: o.id === selected,
    }));
}

export function languageOptions(res: Response, selected: unknown) {
  return (['bn', 'en'] as const).map((l) => ({ value: l, label: tr(res, `users.languages.${l}`), selected: l === (selected ?? 'bn') }));
}

/** A form's values as typed (strings, roles as a list), to show them again on an error. */
export function formValues(body: unknown): Values {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Values = {};
  for (const [k, v] of Object.entries(b)) if (k !== '_csrf' && !/password/i.test(k)) out[k] = v;
  return out;
}

/**
 * After a conflict the form shows the current values of the fields someone else changed and keeps the rest as
 * typed, at the current version: saving again keeps both people's edits unless both touched the same field.
 */
export function mergeConflict(values: Values, err: ConflictError): Values {
  const changed = Array.isArray(err.details?.changed) ? (err.details.changed as string[]) : [];
  const current = (err.details?.current ?? {}) as Record<string, unknown>;
  const merged: Values = { ...values, version: err.details?.version };
  for (const f of changed) if (f in current && f !== 'active') merged[f] = current[f] ?? '';
  return merged;
}

export function summaryView(u: UserSummary, lang: Language, res: Response, base: string) {
  return {
    id: u.id,
    href: `${base}/${u.id}`,
    username: u.username,
    name: pick(lang, u.nameBn, u.nameEn),
    designation: pick(lang, u.designationBn, u.designationEn),
    officeName: pick(lang, u.office.nameBn, u.office.nameEn),
    roles: roleLabels(res, u.roles),
    active: u.active,
    mustChangePassword: u.mustChangePassword,
  };
}

function chargeView(c: ActingChargeView, lang: Language, res: Response) {
  return {
    id: c.id,
    designation: pick(lang, c.designationBn, c.designationEn),
    officeName: pick(lang, c.office.nameBn, c.office.nameEn),
    roles: roleLabels(res, c.roles),
    from: dateText(c.from, lang),
    to: dateText(c.to, lang),
    note: c.note,
    status: c.status,
    statusLabel: tr(res, `users.chargeStatus.${c.status}`),
  };
}

export function detailView(u: UserDetail, lang: Language, res: Response, base: string) {
  return {
    ...summaryView(u, lang, res, base),
    nameBn: u.nameBn,
    nameEn: u.nameEn,
    designationBn: u.designationBn,
    designationEn: u.designationEn,
    email: u.email,
    phone: u.phone,
    languageLabel: tr(res, `users.languages.${u.language}`),
    lastLogin: instantText(u.lastLoginAt, lang),
    passwordChanged: instantText(u.passwordChangedAt, lang),
    version: u.version,
    charges: u.actingCharges.map((c) => chargeView(c, lang, res)),
  };
}

export function tokenView(t: TokenInfo, lang: Language, res: Response) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    created: instantText(t.createdAt, lang),
    expires: instantText(t.expiresAt, lang),
    lastUsed: instantText(t.lastUsedAt ?? null, lang),
    status: t.status,
    statusLabel: tr(res, `users.tokenStatus.${t.status}`),
    active: t.status === 'active',
  };
}

export function pager(req: Request, page: number, pagesCount: number) {
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) if (k !== 'page' && typeof v === 'string' && v) params.set(k, v);
    params.set('page', String(p));
    return `?${params}`;
  };
  return { prev: page > 1 ? link(page - 1) : undefined, next: page < pagesCount ? link(page + 1) : undefined };
}

export function conflictView(err: ConflictError, res: Response, lang: Language, offices: OfficeChoice[]) {
  const changed = Array.isArray(err.details?.changed) ? (err.details.changed as string[]) : [];
  const current = (err.details?.current ?? {}) as Record<string, unknown>;
  const show = (field: string): string => {
    const v = current[field];
    if (v === undefined || v === null || v === '') return '—';
    if (field === 'office') {
      const o = offices.find((x) => x.id === v);
      return o ? pick(lang, o.nameBn, o.nameEn) : String(v);
    }
    if (field === 'roles' && Array.isArray(v)) return roleLabels(res, v as Role[]);
    if (field === 'active') return tr(res, v ? 'users.active' : 'users.inactive');
    if (field === 'language') return tr(res, `users.languages.${String(v)}`);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  return {
    message: err.messages[lang],
    fields: changed.map((f) => ({
      label: tr(res, `users.${f}`) === `users.${f}` ? f : tr(res, `users.${f}`),
      current: f in current ? show(f) : undefined,
    })),
  };
}

export function detailValues(u: UserDetail): Values {
  return {
    nameBn: u.nameBn,
    nameEn: u.nameEn ?? '',
    designationBn: u.designationBn,
    designationEn: u.designationEn ?? '',
    office: u.office.id,
    email: u.email ?? '',
    phone: u.phone ?? '',
    language: u.language,
    roles: u.roles,
    version: u.version,
  };
}
