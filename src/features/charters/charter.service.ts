// Citizen charters (সিটিজেন চার্টার): each office's services with the 7 published columns, imported from
// the text as published. A new import replaces the current version, which moves to the history.
import { setTimeout as sleep } from 'node:timers/promises';
import { normaliseText, toLatinDigits } from '../../lib/index.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { claimVersion, writeClaimed } from '../../platform/db/versioned.js';
import { ConflictError, NotFoundError, ValidationError, type Message } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/actor.js';
import { assertCan } from '../access/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { recordAudit } from '../audit/index.js';
import { officeTree } from '../offices/index.js';
import { Charter } from './charter.model.js';
import { parseCharter, parseTimeLimitDays, type CharterParseError, type CharterService } from './charter-parser.js';

export interface CharterServiceView {
  /** "<section>-<serial>" (e.g. "citizen-1"): how one service is named in URLs (serials repeat across sections). */
  readonly key: string;
  readonly section: CharterService['section'];
  readonly serial: string;
  readonly name: string;
  readonly method: string;
  readonly documents: string;
  readonly fee: string;
  readonly timeLimit: string;
  readonly timeLimitDays: number | null;
  readonly officer: string;
  readonly officerInherited: boolean;
}

export interface ImportOutcome {
  readonly services: CharterServiceView[];
  readonly errors: { row: number; message: string; messageEn: string }[];
  readonly saved: boolean;
  readonly version?: number;
}

function view(s: CharterService | Record<string, unknown>): CharterServiceView {
  const x = s as CharterService;
  return {
    key: `${x.section}-${x.serial}`,
    section: x.section,
    serial: x.serial,
    name: x.name,
    method: x.method ?? '',
    documents: x.documents ?? '',
    fee: x.fee ?? '',
    timeLimit: x.timeLimit ?? '',
    timeLimitDays: x.timeLimitDays ?? null,
    officer: x.officer ?? '',
    officerInherited: x.officerInherited === true,
  };
}

function assertOffice(id: string): void {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError();
}

/**
 * Reads a charter as published. Saves it (replacing the current version) unless `dryRun`; a file with rows
 * that could not be read saves nothing unless `acceptErrors` (the preview shows those rows first).
 */
export async function importCharter(
  ctx: RequestContext & { actor: Actor },
  officeId: string,
  text: string,
  options: { dryRun: boolean; acceptErrors: boolean },
): Promise<ImportOutcome> {
  assertOffice(officeId);
  const tree = await officeTree();
  if (!tree.get(officeId)) throw new NotFoundError();
  assertCan(ctx.actor, 'charter.manage', tree, { office: officeId });
  const parsed = parseCharter(text);
  const services = parsed.services.map(view);
  const errors = parsed.errors.map((e: CharterParseError) => ({ row: e.row, message: e.message, messageEn: e.messageEn }));
  if (services.length === 0) {
    if (errors.length === 0) errors.push({ row: 0, message: 'সিটিজেন চার্টারের কোনো সেবা পড়া যায়নি।', messageEn: 'No service could be read from the charter.' });
    return { services, errors, saved: false };
  }
  if (options.dryRun || (errors.length > 0 && !options.acceptErrors)) return { services, errors, saved: false };

  // An import names no version: it replaces whatever is current. Simultaneous imports each claim the version they
  // found; the one that loses waits for the winner's write and claims the next version, so each is kept as a
  // version of its own and none is lost. A holder that never finishes makes the others give up with 409.
  const now = ctx.clock.now();
  const started = Date.now();
  let replaced: { version: number; services: unknown[] } | null;
  for (;;) {
    const current = await Charter.findById(officeId).lean();
    const from = current?.version ?? 0;
    const claim = await claimCharterVersion(officeId, from);
    if (claim.won) {
      await writeClaimed(claim, () =>
        writeNextVersion(officeId, current ?? null, now, {
          office: officeId,
          version: from + 1,
          current: true,
          services: services.map(({ key: _key, ...rest }) => rest),
          vision: parsed.vision,
          mission: parsed.mission,
          importedAt: now,
          importedBy: { id: ctx.actor.userId, name: ctx.actor.nameBn },
          skippedRows: errors.map((e) => ({ row: e.row, message: e.message })),
        }),
      );
      replaced = current;
      break;
    }
    if (Date.now() - started > IMPORT_WAIT_MS) {
      const latest = await Charter.findById(officeId).lean();
      await staleCharter(officeId, from, latest && latest.version !== from ? latest : { version: from + 1, services: latest?.services ?? [] });
    }
    await sleep(50 + Math.random() * 100);
  }
  const version = (replaced?.version ?? 0) + 1;
  await recordAudit(ctx, {
    action: 'charter.import',
    entity: { type: 'charter', id: officeId, label: tree.get(officeId)!.nameBn, office: officeId },
    changes: [{ field: 'services', before: replaced?.services.length ?? 0, after: services.length }],
    note: `version ${version}; ${errors.length} rows skipped`,
    version,
  });
  return { services, errors, saved: true, version };
}

/** The current charter of an office (NotFoundError when none or out of scope). */
export async function getCharter(actor: Actor, officeId: string) {
  assertOffice(officeId);
  const tree = await officeTree();
  if (!tree.get(officeId)) throw new NotFoundError();
  assertCan(actor, 'charter.read', tree, { office: officeId });
  const c = await Charter.findById(officeId).lean();
  return c ? { office: officeId, version: c.version, importedAt: c.importedAt, importedBy: c.importedBy?.name ?? null, lastChange: changeView(c.change), vision: c.vision ?? null, mission: c.mission ?? null, services: c.services.map((s) => view(s as unknown as CharterService)) } : undefined;
}

/** Earlier versions of an office's charter, newest first. */
export async function charterHistory(actor: Actor, officeId: string) {
  assertOffice(officeId);
  const tree = await officeTree();
  if (!tree.get(officeId)) throw new NotFoundError();
  assertCan(actor, 'charter.read', tree, { office: officeId });
  const versions = await Charter.find({ office: officeId, current: false }, { services: 0 }).lean();
  return versions.sort((a, b) => b.version - a.version).map((v) => ({ version: v.version, importedAt: v.importedAt, replacedAt: v.replacedAt ?? null, importedBy: v.importedBy?.name ?? null, change: changeView(v.change) }));
}

// ------------------------------------------------------------------------------------------ one service

type Ctx = RequestContext & { actor: Actor };
export const SECTIONS = ['citizen', 'institutional', 'internal'] as const;
type Section = (typeof SECTIONS)[number];
const KEY_RE = /^(citizen|institutional|internal)-(\d{1,4})$/;

/** The editable columns of one service, with their names for messages. */
export const SERVICE_FIELDS: Record<'section' | 'serial' | 'name' | 'method' | 'documents' | 'fee' | 'timeLimit' | 'officer', Message> = {
  section: { bn: 'অংশ', en: 'section' },
  serial: { bn: 'ক্রমিক', en: 'serial' },
  name: { bn: 'সেবার নাম', en: 'service name' },
  method: { bn: 'সেবা প্রদান পদ্ধতি', en: 'delivery method' },
  documents: { bn: 'প্রয়োজনীয় কাগজপত্র', en: 'papers needed' },
  fee: { bn: 'সেবার মূল্য', en: 'fee' },
  timeLimit: { bn: 'সময়সীমা', en: 'time limit' },
  officer: { bn: 'দায়িত্বপ্রাপ্ত কর্মকর্তা', en: 'responsible officer' },
};
type Field = keyof typeof SERVICE_FIELDS;
const FIELDS = Object.keys(SERVICE_FIELDS) as Field[];

export interface ServiceInput {
  section?: Section | undefined;
  serial?: string | undefined;
  name?: string | undefined;
  method?: string | undefined;
  documents?: string | undefined;
  fee?: string | undefined;
  timeLimit?: string | undefined;
  officer?: string | undefined;
}

function changeView(c: unknown) {
  const x = c as { kind?: string; key?: string; name?: string; at?: Date; by?: { name?: string } } | undefined | null;
  return x?.kind ? { kind: x.kind, key: x.key ?? null, name: x.name ?? null, at: x.at ?? null, by: x.by?.name ?? null } : null;
}

const msg = (bn: string, en: string): Message => ({ bn, en });

/** The serial typed with Bangla or Latin digits, with its punctuation ("১২." → "12"); undefined when it is not one. */
function serialOf(v: string): string | undefined {
  const d = toLatinDigits(v.trim()).replace(/[.)।:\s]+$/u, '');
  return /^\d{1,4}$/.test(d) ? d : undefined;
}

/** Checks and normalises what was sent (NFC, whitespace collapsed, as imports store it). */
function cleanInput(input: ServiceInput): ServiceInput {
  const out: ServiceInput = {};
  const fields: Record<string, Message> = {};
  if (input.section !== undefined) {
    if (!SECTIONS.includes(input.section)) fields.section = msg('অংশ বেছে নিন: নাগরিক, প্রাতিষ্ঠানিক বা অভ্যন্তরীণ সেবা।', 'Choose the section: citizen, institutional or internal.');
    else out.section = input.section;
  }
  if (input.serial !== undefined && input.serial !== '') {
    const serial = typeof input.serial === 'string' ? serialOf(input.serial) : undefined;
    if (!serial) fields.serial = msg('ক্রমিক একটি সংখ্যা হতে হবে (যেমন ১২)।', 'The serial must be a number (e.g. 12).');
    else out.serial = serial;
  }
  for (const f of ['name', 'method', 'documents', 'fee', 'timeLimit', 'officer'] as const) {
    const v = input[f];
    if (v === undefined) continue;
    if (typeof v !== 'string') {
      fields[f] = msg('এই ঘরে লেখা দিন।', 'This field must be text.');
      continue;
    }
    const t = normaliseText(v);
    const max = f === 'name' || f === 'timeLimit' || f === 'fee' ? 1000 : 5000;
    if (t.length > max) fields[f] = msg(`সর্বোচ্চ ${max.toLocaleString('bn-BD')} অক্ষর দেওয়া যাবে।`, `Use at most ${max} characters.`);
    else out[f] = t;
  }
  if (input.name !== undefined && !out.name && !fields.name) fields.name = msg('সেবার নাম লিখুন।', 'Give the name of the service.');
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return out;
}

function sectionIndex(s: string): number {
  return SECTIONS.indexOf(s as Section);
}

/** Puts a service among the others: within its section, before the first one with a higher serial. */
function insertService(services: CharterServiceView[], s: CharterServiceView): CharterServiceView[] {
  const out = [...services];
  let at = out.findIndex((x) => sectionIndex(x.section) > sectionIndex(s.section) || (x.section === s.section && Number(x.serial) > Number(s.serial)));
  if (at < 0) at = out.length;
  out.splice(at, 0, s);
  return out;
}

function findService(services: readonly CharterServiceView[], key: string): number {
  if (!KEY_RE.test(key)) throw new NotFoundError(msg('সিটিজেন চার্টারে এই সেবাটি পাওয়া যায়নি।', 'This service is not in the citizen charter.'));
  const found = services.flatMap((s, i) => (s.key === key ? [i] : []));
  if (found.length === 0) throw new NotFoundError(msg('সিটিজেন চার্টারে এই সেবাটি পাওয়া যায়নি।', 'This service is not in the citizen charter.'));
  if (found.length > 1) throw new ConflictError(msg('চার্টারে একই অংশে এই ক্রমিকের একাধিক সেবা আছে; কোনটি বদলাতে চান বোঝা যাচ্ছে না। চার্টারটি ঠিক করে আবার আমদানি করুন।', 'The charter has more than one service with this serial in this section; which one is meant is unclear. Correct the charter and import it again.'), { key });
  return found[0]!;
}

function assertFree(services: readonly CharterServiceView[], key: string, except?: number): void {
  if (services.some((s, i) => i !== except && s.key === key)) {
    throw new ValidationError({ serial: msg('এই অংশে এই ক্রমিকের আরেকটি সেবা আছে; অন্য ক্রমিক দিন।', 'Another service in this section has this serial; choose another.') });
  }
}

export interface ServiceChange {
  readonly key: string;
  readonly name: string;
  readonly change: 'added' | 'removed' | 'edited';
  readonly fields: Field[];
}

/** What differs between two lists of services, matched by key. */
export function compareServices(before: readonly CharterServiceView[], after: readonly CharterServiceView[]): ServiceChange[] {
  const old = new Map(before.map((s) => [s.key, s]));
  const now = new Map(after.map((s) => [s.key, s]));
  const out: ServiceChange[] = [];
  for (const s of after) {
    const o = old.get(s.key);
    if (!o) out.push({ key: s.key, name: s.name, change: 'added', fields: [] });
    else {
      const fields = FIELDS.filter((f) => o[f] !== s[f]);
      if (fields.length) out.push({ key: s.key, name: s.name, change: 'edited', fields });
    }
  }
  for (const o of before) if (!now.has(o.key)) out.push({ key: o.key, name: o.name, change: 'removed', fields: [] });
  return out;
}

const CHANGE_WORDS: Record<ServiceChange['change'], Message> = { added: msg('যুক্ত হয়েছে', 'added'), removed: msg('বাদ দেওয়া হয়েছে', 'removed'), edited: msg('বদলেছে', 'changed') };

/** '"name" বদলেছে (সময়সীমা)' in one language. */
export function describeChange(c: ServiceChange, lang: keyof Message): string {
  return `"${c.name}" ${CHANGE_WORDS[c.change][lang]}${c.fields.length ? ` (${c.fields.map((f) => SERVICE_FIELDS[f][lang]).join(', ')})` : ''}`;
}

/** Every change, joined with "; ". */
export function describeChanges(changes: readonly ServiceChange[], lang: keyof Message): string {
  return changes.map((c) => describeChange(c, lang)).join('; ');
}

/** 409: the charter changed since `version` was read; says what changed, service by service. */
async function staleCharter(officeId: string, version: number, current: { version: number; services: unknown[] } | null): Promise<never> {
  const currentVersion = current?.version ?? 0;
  const then = version > 0 && version < currentVersion ? await Charter.findById(`${officeId}:v${version}`).lean() : null;
  const changes = then ? compareServices(then.services.map((s) => view(s as unknown as CharterService)), (current?.services ?? []).map((s) => view(s as unknown as CharterService))) : [];
  const bn = describeChanges(changes, 'bn');
  const en = describeChanges(changes, 'en');
  throw new ConflictError(
    {
      bn: `আপনি খোলার পর অন্য কেউ এই সিটিজেন চার্টার পরিবর্তন করেছেন (সংস্করণ ${version.toLocaleString('bn-BD')} থেকে ${currentVersion.toLocaleString('bn-BD')})${bn ? `: ${bn}` : ''}। নতুন তথ্য দেখে আবার চেষ্টা করুন; আপনার পরিবর্তন সংরক্ষিত হয়নি।`,
      en: `Someone else changed this citizen charter after you opened it (version ${version} to ${currentVersion})${en ? `: ${en}` : ''}. Review it and try again; your change was not saved.`,
    },
    { version, currentVersion, changes },
  );
}

/** How long an import waits for simultaneous imports of the same charter to be written before it gives up (409). */
const IMPORT_WAIT_MS = 15_000;

/** Claims the move of an office's charter out of `version` (platform/db/versioned.ts): of simultaneous saves one wins. */
function claimCharterVersion(officeId: string, version: number) {
  return claimVersion('charter', officeId, version, { changed: ['services'], currentVersion: async () => (await Charter.findById(officeId, { version: 1 }).lean())?.version ?? 0 });
}

/**
 * Writes version `current.version + 1` (only the holder of the claim on `current`'s version calls it): the version
 * replaced goes to the history first, so a save that stops between the two writes loses nothing; a holder that
 * takes over a dead one's claim finds that history already kept (same content: it is the version both read).
 */
async function writeNextVersion(officeId: string, current: { version: number } | null, now: Date, next: Record<string, unknown>): Promise<void> {
  if (!current) {
    try {
      await Charter.create({ _id: officeId, ...next });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await staleCharter(officeId, 0, await Charter.findById(officeId).lean());
    }
    return;
  }
  try {
    await Charter.create({ ...current, _id: `${officeId}:v${current.version}`, current: false, replacedAt: now });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const r = await Charter.replaceOne({ _id: officeId, version: current.version }, next);
  // Moved by a save without a claim (a holder that was slow, not dead, beside its taker): refuse, write nothing more.
  if (r.matchedCount === 0) await staleCharter(officeId, current.version, await Charter.findById(officeId).lean());
}

/**
 * Makes the next version of an office's charter from the current one, if `expected` is still current: of saves
 * from the same version, the one that claims it writes; the others are told someone else changed the charter.
 */
async function saveNextVersion(
  ctx: Ctx,
  officeId: string,
  expected: number,
  change: (services: CharterServiceView[]) => { services: CharterServiceView[]; kind: 'add' | 'edit' | 'remove'; key: string; name: string; audit: { field: string; before: unknown; after: unknown }[] },
): Promise<{ version: number; services: CharterServiceView[]; changed: boolean }> {
  assertOffice(officeId);
  const tree = await officeTree();
  if (!tree.get(officeId)) throw new NotFoundError();
  assertCan(ctx.actor, 'charter.manage', tree, { office: officeId });
  const current = await Charter.findById(officeId).lean();
  const currentVersion = current?.version ?? 0;
  if (expected !== currentVersion) await staleCharter(officeId, expected, current);
  const before = (current?.services ?? []).map((s) => view(s as unknown as CharterService));
  const out = change(before);
  if (out.audit.length === 0) return { version: currentVersion, services: before, changed: false };
  const now = ctx.clock.now();
  const by = { id: ctx.actor.userId, name: ctx.actor.nameBn };
  const next = {
    office: officeId,
    version: currentVersion + 1,
    current: true,
    services: out.services.map(({ key: _k, ...s }) => s),
    vision: current?.vision,
    mission: current?.mission,
    importedAt: current?.importedAt ?? now,
    importedBy: current?.importedBy ?? by,
    skippedRows: current?.skippedRows ?? [],
    change: { kind: out.kind, key: out.key, name: out.name, at: now, by },
  };
  const claim = await claimCharterVersion(officeId, currentVersion);
  if (!claim.won) {
    // Someone saved, or is saving, from this same version.
    const latest = await Charter.findById(officeId).lean();
    await staleCharter(officeId, expected, latest && latest.version !== currentVersion ? latest : { version: currentVersion + 1, services: latest?.services ?? [] });
  }
  await writeClaimed(claim, () => writeNextVersion(officeId, current, now, next));
  await recordAudit(ctx, {
    action: `charter.service.${out.kind}`,
    entity: { type: 'charter', id: officeId, label: tree.get(officeId)!.nameBn, office: officeId },
    changes: out.audit,
    note: `version ${currentVersion + 1}: ${out.kind} ${out.key} (${out.name})`,
    version: currentVersion + 1,
  });
  return { version: currentVersion + 1, services: out.services, changed: true };
}

/** Edits one service's columns (a new version; the previous one is kept in the history). */
export async function editService(ctx: Ctx, officeId: string, key: string, expected: number, input: ServiceInput): Promise<{ version: number; service: CharterServiceView; changed: boolean }> {
  const clean = cleanInput(input);
  let result: CharterServiceView | undefined;
  const saved = await saveNextVersion(ctx, officeId, expected, (services) => {
    const i = findService(services, key);
    const old = services[i]!;
    const merged = { ...old, ...clean };
    const officerChanged = clean.officer !== undefined && clean.officer !== old.officer;
    const s: CharterServiceView = {
      ...merged,
      key: `${merged.section}-${merged.serial}`,
      timeLimitDays: clean.timeLimit !== undefined ? parseTimeLimitDays(merged.timeLimit) : old.timeLimitDays,
      officerInherited: officerChanged ? false : old.officerInherited,
    };
    result = s;
    const audit = FIELDS.filter((f) => old[f] !== s[f]).map((f) => ({ field: `services.${key}.${f}`, before: old[f], after: s[f] }));
    if (audit.length === 0) return { services, kind: 'edit', key, name: old.name, audit };
    if (s.key !== key) assertFree(services, s.key, i);
    const rest = services.filter((_, j) => j !== i);
    const list = s.key === key ? services.map((x, j) => (j === i ? s : x)) : insertService(rest, s);
    return { services: list, kind: 'edit', key, name: s.name, audit };
  });
  return { version: saved.version, service: result!, changed: saved.changed };
}

/** Adds one service (the serial defaults to the next one in its section). */
export async function addService(ctx: Ctx, officeId: string, expected: number, input: ServiceInput): Promise<{ version: number; service: CharterServiceView }> {
  if (input.section === undefined || input.name === undefined) {
    const fields: Record<string, Message> = {};
    if (input.section === undefined) fields.section = msg('অংশ বেছে নিন: নাগরিক, প্রাতিষ্ঠানিক বা অভ্যন্তরীণ সেবা।', 'Choose the section: citizen, institutional or internal.');
    if (input.name === undefined) fields.name = msg('সেবার নাম লিখুন।', 'Give the name of the service.');
    throw new ValidationError(fields);
  }
  const clean = cleanInput(input);
  let result: CharterServiceView | undefined;
  const saved = await saveNextVersion(ctx, officeId, expected, (services) => {
    const section = clean.section!;
    const serial = clean.serial ?? String(services.filter((s) => s.section === section).reduce((m, s) => Math.max(m, Number(s.serial) || 0), 0) + 1);
    const timeLimit = clean.timeLimit ?? '';
    const s: CharterServiceView = { key: `${section}-${serial}`, section, serial, name: clean.name!, method: clean.method ?? '', documents: clean.documents ?? '', fee: clean.fee ?? '', timeLimit, timeLimitDays: parseTimeLimitDays(timeLimit), officer: clean.officer ?? '', officerInherited: false };
    assertFree(services, s.key);
    result = s;
    return { services: insertService(services, s), kind: 'add', key: s.key, name: s.name, audit: [{ field: `services.${s.key}`, before: null, after: s.name }] };
  });
  return { version: saved.version, service: result! };
}

/** Removes one service (the version that had it stays in the history). */
export async function removeService(ctx: Ctx, officeId: string, key: string, expected: number): Promise<{ version: number; removed: CharterServiceView }> {
  let removed: CharterServiceView | undefined;
  const saved = await saveNextVersion(ctx, officeId, expected, (services) => {
    const i = findService(services, key);
    removed = services[i]!;
    return { services: services.filter((_, j) => j !== i), kind: 'remove', key, name: removed.name, audit: [{ field: `services.${key}`, before: removed.name, after: null }] };
  });
  return { version: saved.version, removed: removed! };
}

/** One service of the current charter, with the version it was read at (for the edit form). */
export async function getService(actor: Actor, officeId: string, key: string): Promise<{ version: number; service: CharterServiceView }> {
  const c = await getCharter(actor, officeId);
  if (!c) throw new NotFoundError(msg('সিটিজেন চার্টারে এই সেবাটি পাওয়া যায়নি।', 'This service is not in the citizen charter.'));
  return { version: c.version, service: c.services[findService(c.services, key)]! };
}
