// Office letterheads (দাপ্তরিক প্যাড): what every document of an office prints at its top. An office that never
// set one prints the defaults, computed from the office record when printed: the government line, the office's
// Bangla name and address, and a contact line from its phone and e-mail. A save names the version it was read
// at; a save from an older version is refused (409) with what changed, and nothing is overwritten.
import crypto from 'node:crypto';
import { normaliseText, toBanglaDigits } from '../../lib/index.js';
import { changeMarker } from '../../platform/db/change-marker.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { ConflictError, NotFoundError, ValidationError, type Message } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/actor.js';
import { assertCan } from '../access/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { recordAudit } from '../audit/index.js';
import type { Letterhead as PrintedLetterhead } from '../documents/index.js';
import { Office, officeTree } from '../offices/index.js';
import type { OfficeTree } from '../../kernel/office-tree.js';
import { Letterhead, LetterheadHistory, type LetterheadDoc, type LetterheadLogo } from './letterhead.model.js';
import { LIMITS } from './letterhead.schemas.js';

export const DEFAULT_GOVERNMENT = 'গণপ্রজাতন্ত্রী বাংলাদেশ সরকার';
/** The largest logo accepted, in bytes (200 kB). */
export const MAX_LOGO_BYTES = 200 * 1024;
/** A save that stopped between its claim and its write is finished by the next save that finds it after this long. */
const HALF_SAVE_MS = 30_000;

const FIELDS = ['government', 'officeName', 'address', 'motto', 'contact', 'logo'] as const;
export type LetterheadField = (typeof FIELDS)[number];

export const FIELD_LABELS: Record<LetterheadField, Message> = {
  government: { bn: 'সরকারের নাম', en: 'government line' },
  officeName: { bn: 'দপ্তরের নাম', en: 'office name' },
  address: { bn: 'ঠিকানা', en: 'address' },
  motto: { bn: 'মূলমন্ত্র (স্লোগান)', en: 'motto' },
  contact: { bn: 'যোগাযোগ', en: 'contact line' },
  logo: { bn: 'লোগো', en: 'logo' },
};

const msg = (bn: string, en: string): Message => ({ bn, en });

/** What one version of an office's letterhead says; null means "the default" (motto: none). */
interface Settings {
  government: string | null;
  officeName: string | null;
  address: string[] | null;
  motto: string | null;
  contact: string | null;
  logo: LetterheadLogo | null;
}

const EMPTY: Settings = { government: null, officeName: null, address: null, motto: null, contact: null, logo: null };

/** What a save may change: absent fields stay as they are; null or "" puts a field back to its default. */
export interface LetterheadInput {
  readonly government?: string | null | undefined;
  readonly officeName?: string | null | undefined;
  /** One line per element, or one text with a line per address line. */
  readonly address?: string | readonly string[] | null | undefined;
  readonly motto?: string | null | undefined;
  readonly contact?: string | null | undefined;
  /** A new logo: its bytes, and the type the sender said it was (a data: URL's or an upload's). */
  readonly logo?: { readonly data: Buffer; readonly declaredType?: string | undefined } | undefined;
  readonly removeLogo?: boolean | undefined;
}

interface OfficeFacts {
  readonly id: string;
  readonly nameBn: string;
  readonly addressBn?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly email?: string | null | undefined;
}

export interface LetterheadView {
  readonly office: { readonly id: string; readonly name: string };
  /** 0 while the office has no letterhead of its own (everything is the default). */
  readonly version: number;
  readonly government: string;
  readonly officeName: string;
  readonly address: string[];
  readonly motto: string | null;
  readonly contact: string | null;
  readonly logo: { readonly contentType: string; readonly bytes: number; readonly sha256: string; readonly url: string } | null;
  /** Which fields print their default (the office record's value) rather than one set here. */
  readonly isDefault: { readonly government: boolean; readonly officeName: boolean; readonly address: boolean; readonly contact: boolean };
  /** The defaults, for a form that shows them beside the fields. */
  readonly defaults: { readonly government: string; readonly officeName: string; readonly address: string[]; readonly contact: string | null };
  readonly updatedBy: { readonly id: string | null; readonly name: string | null } | null;
  readonly updatedAt: Date | null;
}

export interface LetterheadChange {
  readonly field: LetterheadField;
  readonly before: unknown;
  readonly after: unknown;
}

type Ctx = RequestContext & { actor: Actor };

// ------------------------------------------------------------------------------------------------- helpers

function assertOffice(tree: OfficeTree, officeId: string): void {
  if (!/^[0-9a-f]{24}$/i.test(officeId) || !tree.get(officeId)) throw new NotFoundError();
}

/** A stored binary as a Buffer (lean reads return BSON Binary). */
function bytesOf(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  const b = v as { buffer: Uint8Array; length(): number };
  return Buffer.from(b.buffer.subarray(0, b.length()));
}

function logoOf(l: unknown): LetterheadLogo | null {
  const x = l as Partial<LetterheadLogo> | null | undefined;
  if (!x?.data || !x.contentType) return null;
  const data = bytesOf(x.data);
  return { contentType: x.contentType, data, bytes: x.bytes ?? data.length, sha256: x.sha256 ?? sha256(data) };
}

function settingsOf(d: Partial<LetterheadDoc> | null | undefined): Settings {
  if (!d) return { ...EMPTY };
  return {
    government: d.government || null,
    officeName: d.officeName || null,
    address: d.address?.length ? [...d.address] : null,
    motto: d.motto || null,
    contact: d.contact || null,
    logo: logoOf(d.logo),
  };
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** The contact line minutes have always printed: "ফোন: ০১৭…, ই-মেইল: …". */
function defaultContact(o: OfficeFacts | undefined): string | null {
  return [o?.phone ? `ফোন: ${toBanglaDigits(o.phone)}` : '', o?.email ? `ই-মেইল: ${o.email}` : ''].filter(Boolean).join(', ') || null;
}

function defaultsOf(o: OfficeFacts | undefined) {
  return { government: DEFAULT_GOVERNMENT, officeName: o?.nameBn ?? '', address: o?.addressBn ? [o.addressBn] : [], contact: defaultContact(o) };
}

async function officeFacts(officeId: string, tree?: OfficeTree): Promise<OfficeFacts | undefined> {
  const o = await Office.findById(officeId, { nameBn: 1, addressBn: 1, phone: 1, email: 1 }).lean();
  if (o) return { id: officeId, nameBn: o.nameBn, addressBn: o.addressBn, phone: o.phone, email: o.email };
  const node = (tree ?? (await officeTree())).get(officeId);
  return node ? { id: officeId, nameBn: node.nameBn } : undefined;
}

function printed(s: Settings, office: OfficeFacts | undefined): PrintedLetterhead {
  const d = defaultsOf(office);
  return {
    government: s.government ?? d.government,
    officeName: s.officeName ?? d.officeName,
    address: s.address ?? d.address,
    motto: s.motto ?? undefined,
    logoDataUrl: s.logo ? `data:${s.logo.contentType};base64,${s.logo.data.toString('base64')}` : undefined,
    contact: s.contact ?? d.contact ?? undefined,
  };
}

function view(doc: LetterheadDoc | null, office: OfficeFacts | undefined, officeId: string): LetterheadView {
  const s = settingsOf(doc);
  const d = defaultsOf(office);
  return {
    office: { id: officeId, name: office?.nameBn ?? '' },
    version: doc?.version ?? 0,
    government: s.government ?? d.government,
    officeName: s.officeName ?? d.officeName,
    address: s.address ?? d.address,
    motto: s.motto,
    contact: s.contact ?? d.contact,
    logo: s.logo ? { contentType: s.logo.contentType, bytes: s.logo.bytes, sha256: s.logo.sha256, url: `/api/v1/offices/${officeId}/letterhead/logo` } : null,
    isDefault: { government: s.government === null, officeName: s.officeName === null, address: s.address === null, contact: s.contact === null },
    defaults: d,
    updatedBy: doc?.updatedBy ? { id: doc.updatedBy.id ? String(doc.updatedBy.id) : null, name: doc.updatedBy.name ?? null } : null,
    updatedAt: doc?.updatedAt ?? null,
  };
}

// ------------------------------------------------------------------------------------------------- input

const isPng = (b: Buffer) => b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && b.subarray(12, 16).toString('latin1') === 'IHDR';
const isJpeg = (b: Buffer) => b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** A logo's bytes checked: PNG or JPEG by their magic bytes (whatever the sender called them), at most 200 kB. */
export function checkLogo(logo: { data: Buffer; declaredType?: string | undefined }): LetterheadLogo {
  const { data } = logo;
  if (data.length === 0) throw new ValidationError({ logo: msg('লোগোর ফাইলটি খালি।', 'The logo file is empty.') });
  if (data.length > MAX_LOGO_BYTES) {
    throw new ValidationError({ logo: msg(`লোগো সর্বোচ্চ ২০০ কিলোবাইট হতে পারে; এটি ${toBanglaDigits(Math.ceil(data.length / 1024))} কিলোবাইট।`, `The logo may be at most 200 kB; this one is ${Math.ceil(data.length / 1024)} kB.`) });
  }
  const sniffed = isPng(data) ? 'image/png' : isJpeg(data) ? 'image/jpeg' : undefined;
  if (!sniffed) throw new ValidationError({ logo: msg('লোগো PNG বা JPEG ছবি হতে হবে; এই ফাইলটি তা নয়।', 'The logo must be a PNG or JPEG image; this file is not one.') });
  const declared = logo.declaredType === 'image/jpg' || logo.declaredType === 'image/pjpeg' ? 'image/jpeg' : logo.declaredType;
  if (declared && declared !== sniffed) {
    throw new ValidationError({ logo: msg(`ফাইলটিকে ${declared} বলা হয়েছে, কিন্তু এর ভেতরে ${sniffed === 'image/png' ? 'PNG' : 'JPEG'} ছবি আছে; সঠিক ফাইলটি দিন।`, `The file was sent as ${declared} but holds a ${sniffed === 'image/png' ? 'PNG' : 'JPEG'} image; send the right file.`) });
  }
  return { contentType: sniffed, data, bytes: data.length, sha256: sha256(data) };
}

/** One line of text (NFC, whitespace collapsed); "" → null (the default). */
function line(v: string | null | undefined, max: number, field: string, fields: Record<string, Message>): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string') {
    fields[field] = msg('এই ঘরে লেখা দিন।', 'This field must be text.');
    return undefined;
  }
  const t = normaliseText(v);
  if (t.length > max) fields[field] = msg(`সর্বোচ্চ ${toBanglaDigits(max)} অক্ষর দেওয়া যাবে।`, `Use at most ${max} characters.`);
  return t || null;
}

/** The next version's settings: the current ones with what was sent applied. Throws ValidationError (400). */
function applyInput(current: Settings, input: LetterheadInput): Settings {
  const fields: Record<string, Message> = {};
  const next: Settings = { ...current };
  for (const f of ['government', 'officeName', 'motto', 'contact'] as const) {
    const v = line(input[f], LIMITS[f], f, fields);
    if (v !== undefined) next[f] = v;
  }
  if (input.address !== undefined) {
    if (input.address === null) next.address = null;
    else {
      const raw = typeof input.address === 'string' ? input.address.split(/\r?\n|\r/) : Array.isArray(input.address) ? input.address : null;
      if (!raw || raw.some((l) => typeof l !== 'string')) fields.address = msg('ঠিকানা লেখা বা লাইনের তালিকা হিসেবে দিন।', 'Give the address as text or a list of lines.');
      else {
        const lines = raw.map((l) => normaliseText(l)).filter(Boolean);
        if (lines.length > LIMITS.addressLines) fields.address = msg(`ঠিকানা সর্বোচ্চ ${toBanglaDigits(LIMITS.addressLines)} লাইনে দিন।`, `Use at most ${LIMITS.addressLines} address lines.`);
        else if (lines.some((l) => l.length > LIMITS.addressLine)) fields.address = msg(`ঠিকানার প্রতিটি লাইন সর্বোচ্চ ${toBanglaDigits(LIMITS.addressLine)} অক্ষর।`, `Each address line may have at most ${LIMITS.addressLine} characters.`);
        else next.address = lines.length ? lines : null;
      }
    }
  }
  if (input.logo && input.removeLogo) {
    fields.removeLogo = msg('নতুন লোগো দিলে একই সঙ্গে লোগো মুছে ফেলা যায় না; যেকোনো একটি করুন।', 'Send a new logo or remove the logo, not both.');
  } else if (input.logo) {
    try {
      next.logo = checkLogo(input.logo);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(fields, err.fields);
    }
  } else if (input.removeLogo) next.logo = null;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return next;
}

// ---------------------------------------------------------------------------------------------- changes

const logoSummary = (l: { contentType?: string | null; bytes?: number | null; sha256?: string | null } | null | undefined) => (l?.sha256 ? { contentType: l.contentType ?? null, bytes: l.bytes ?? null, sha256: l.sha256 } : null);

function fieldValue(s: Settings, f: LetterheadField): unknown {
  return f === 'logo' ? logoSummary(s.logo) : s[f];
}

/** The fields that differ between two versions (logos compared by hash), with the values set (null: default). */
export function compareSettings(a: Settings, b: Settings): LetterheadChange[] {
  return FIELDS.filter((f) => JSON.stringify(fieldValue(a, f)) !== JSON.stringify(fieldValue(b, f))).map((f) => ({ field: f, before: fieldValue(a, f), after: fieldValue(b, f) }));
}

/** "মূলমন্ত্র (স্লোগান), লোগো" in one language. */
export function describeChanges(changes: readonly { field: LetterheadField }[], lang: keyof Message): string {
  return changes.map((c) => FIELD_LABELS[c.field][lang]).join(', ');
}

/** A history snapshot (no logo bytes) as settings to compare with. */
function settingsOfSnapshot(s: unknown): Settings {
  const x = (s ?? {}) as Partial<Settings> & { logo?: { contentType?: string; bytes?: number; sha256?: string } | null };
  const base = settingsOf(x as Partial<LetterheadDoc>);
  const l = x.logo?.sha256 ? { contentType: x.logo.contentType as LetterheadLogo['contentType'], data: Buffer.alloc(0), bytes: x.logo.bytes ?? 0, sha256: x.logo.sha256 } : null;
  return { ...base, logo: l };
}

/** 409: the letterhead changed since `expected` was read; says which fields changed. Saves nothing. */
async function stale(officeId: string, expected: number, now: { version: number; settings: Settings }): Promise<never> {
  let then: Settings | undefined;
  if (expected === 0) then = { ...EMPTY };
  else if (expected < now.version) {
    const h = await LetterheadHistory.findById(`${officeId}:${expected}`, { before: 1 }).lean();
    if (h) then = settingsOfSnapshot(h.before);
  }
  const changes = then && expected < now.version ? compareSettings(then, now.settings) : [];
  const bn = describeChanges(changes, 'bn');
  const en = describeChanges(changes, 'en');
  throw new ConflictError(
    {
      bn: `আপনি খোলার পর অন্য কেউ এই দাপ্তরিক প্যাড পরিবর্তন করেছেন (সংস্করণ ${toBanglaDigits(expected)} থেকে ${toBanglaDigits(now.version)})${bn ? `; যা বদলেছে: ${bn}` : ''}। নতুন তথ্য দেখে আবার চেষ্টা করুন; আপনার পরিবর্তন সংরক্ষিত হয়নি।`,
      en: `Someone else changed this letterhead after you opened it (version ${expected} to ${now.version})${en ? `; changed: ${en}` : ''}. Review it and try again; your change was not saved.`,
    },
    { version: expected, currentVersion: now.version, changes },
  );
}

// ----------------------------------------------------------------------------------------------- reads

const letterheadsMarker = changeMarker('letterheads');
const officesMarker = changeMarker('offices');

/** An office's letterhead as the API and the form show it (defaults filled in, and which fields are defaults). */
export async function getLetterhead(actor: Actor, officeId: string): Promise<LetterheadView> {
  const tree = await officeTree();
  assertOffice(tree, officeId);
  assertCan(actor, 'letterhead.read', tree, { office: officeId });
  const [doc, office] = await Promise.all([Letterhead.findById(officeId).lean() as Promise<LetterheadDoc | null>, officeFacts(officeId, tree)]);
  return view(doc, office, officeId);
}

/** The logo's bytes (NotFoundError when the office has none, or is out of scope). */
export async function readLogo(actor: Actor, officeId: string): Promise<LetterheadLogo> {
  const tree = await officeTree();
  assertOffice(tree, officeId);
  assertCan(actor, 'letterhead.read', tree, { office: officeId });
  const logo = logoOf((await Letterhead.findById(officeId, { logo: 1 }).lean())?.logo);
  if (!logo) throw new NotFoundError(msg('এই দপ্তরের প্যাডে কোনো লোগো নেই।', 'This office’s letterhead has no logo.'));
  return logo;
}

const CACHE_LIMIT = 200;
const cache = new Map<string, { key: string; value: Promise<PrintedLetterhead> }>();

/**
 * The letterhead an office's documents print, defaults filled in. One `_id` read of the letterhead (and one of
 * the office, for the defaults), kept per process until a letterhead or an office changes: the change markers
 * say so here at once and in other instances within half a second.
 */
export async function letterheadFor(officeId: string): Promise<PrintedLetterhead> {
  const id = String(officeId);
  const key = `${await officesMarker.version()}|${await letterheadsMarker.version()}`;
  const hit = cache.get(id);
  if (hit && hit.key === key) return hit.value;
  const value = (async () => {
    if (!/^[0-9a-f]{24}$/i.test(id)) return printed(EMPTY, undefined);
    const [doc, office] = await Promise.all([Letterhead.findById(id).lean() as Promise<LetterheadDoc | null>, officeFacts(id)]);
    return printed(settingsOf(doc), office);
  })();
  const entry = { key, value };
  cache.delete(id);
  cache.set(id, entry);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  value.catch(() => {
    if (cache.get(id) === entry) cache.delete(id);
  });
  return value;
}

// ----------------------------------------------------------------------------------------------- write

/**
 * Saves the next version of an office's letterhead from version `expected`. The save first claims "the move out
 * of version n" by inserting `<office>:<n>` into the history (a unique `_id`, enforced under concurrency): of two
 * saves from the same version one inserts it and goes ahead, the other gets 409 saying what changed. The claim
 * holds the whole next version, so a save that died between the claim and the write is finished by whoever
 * finds it stale, and the version is never stuck.
 */
export async function saveLetterhead(ctx: Ctx, officeId: string, expected: number, input: LetterheadInput): Promise<{ letterhead: LetterheadView; changed: boolean; changes: LetterheadChange[] }> {
  const tree = await officeTree();
  assertOffice(tree, officeId);
  assertCan(ctx.actor, 'letterhead.manage', tree, { office: officeId });
  const current = (await Letterhead.findById(officeId).lean()) as LetterheadDoc | null;
  const currentVersion = current?.version ?? 0;
  const before = settingsOf(current);
  const next = applyInput(before, input);
  if (expected !== currentVersion) await stale(officeId, expected, { version: currentVersion, settings: before });
  const changes = compareSettings(before, next);
  if (changes.length === 0) return { letterhead: view(current, await officeFacts(officeId, tree), officeId), changed: false, changes };

  const by = { id: ctx.actor.userId, name: ctx.actor.nameBn };
  const nextDoc = { office: officeId, version: currentVersion + 1, ...next, address: next.address ?? undefined, updatedBy: by, updatedAt: ctx.clock.now() };
  const claimId = `${officeId}:${currentVersion}`;
  try {
    await LetterheadHistory.create({ _id: claimId, office: officeId, version: currentVersion, before: { ...before, logo: logoSummary(before.logo) }, next: nextDoc, by, at: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await someoneElseSaved(officeId, expected, currentVersion, claimId);
  }
  await writeVersion(officeId, currentVersion, nextDoc);
  await letterheadsMarker.bump();
  await recordAudit(ctx, {
    action: 'letterhead.save',
    entity: { type: 'letterhead', id: officeId, label: tree.get(officeId)!.nameBn, office: officeId },
    changes: changes.map((c) => ({ field: c.field, before: c.before, after: c.after })),
    note: `version ${currentVersion + 1}`,
    version: currentVersion + 1,
  });
  const saved = (await Letterhead.findById(officeId).lean()) as LetterheadDoc | null;
  return { letterhead: view(saved, await officeFacts(officeId, tree), officeId), changed: true, changes };
}

/** Replaces version `from` with the next one (creates the first); a no-op when someone already finished it. */
async function writeVersion(officeId: string, from: number, nextDoc: Record<string, unknown>): Promise<void> {
  if (from === 0) {
    try {
      await Letterhead.create({ _id: officeId, ...nextDoc });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    return;
  }
  await Letterhead.replaceOne({ _id: officeId, version: from }, nextDoc);
}

/** The claim on this version is taken: finish it if its saver died, then answer 409 with what changed. */
async function someoneElseSaved(officeId: string, expected: number, from: number, claimId: string): Promise<never> {
  const held = await LetterheadHistory.findById(claimId).lean();
  let latest = (await Letterhead.findById(officeId).lean()) as LetterheadDoc | null;
  if (held && (latest?.version ?? 0) === from) {
    if (Date.now() - new Date(held.at).getTime() > HALF_SAVE_MS) {
      // A save that claimed this version and never wrote it: write what it claimed, then refuse this one.
      const { _id: _ignored, ...doc } = held.next as unknown as Record<string, unknown>;
      void _ignored;
      await writeVersion(officeId, from, { ...doc, logo: logoOf(doc.logo) });
      await letterheadsMarker.bump();
      latest = (await Letterhead.findById(officeId).lean()) as LetterheadDoc | null;
    } else {
      // That save is being written right now: what it will say is in its claim.
      return stale(officeId, expected, { version: from + 1, settings: settingsOf(held.next as unknown as LetterheadDoc) });
    }
  }
  return stale(officeId, expected, { version: latest?.version ?? from + 1, settings: settingsOf(latest) });
}
