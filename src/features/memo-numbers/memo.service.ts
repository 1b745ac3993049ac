// Memo-number registers (স্মারক নম্বর বহি) and the numbers issued from them.
import { Types } from 'mongoose';
import { MEMO_LAYOUTS, formatMemoNumber, parseMemoNumber, validateMemoSpec, type MemoRegisterSpec } from '../../lib/memo-number.js';
import { toBanglaDigits } from '../../lib/index.js';
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/actor.js';
import { assertCan, permittedPosts, scopeOffices } from '../access/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { recordAudit } from '../audit/index.js';
import { officeTree } from '../offices/index.js';
import { claimNumber, type Claimed, type RegisterInfo } from './memo-allocator.js';
import { MemoRegister, type MemoNumberDoc, type MemoRegisterDoc } from './memo.model.js';
import { allRegisters, numbersPage } from './memo.read-model.js';
import type { CreateRegisterInput } from './memo.schemas.js';

type Ctx = RequestContext & { actor: Actor };


export function specOf(r: Pick<MemoRegisterDoc, 'layout' | 'segments' | 'separator'>): MemoRegisterSpec {
  return {
    layout: r.layout as MemoRegisterSpec['layout'],
    segments: (r.segments ?? []).map((s) => ({ key: s.key ?? '', value: s.value ?? '', width: s.width ?? 1 })),
    separator: (r.separator ?? '-') as '-' | '.',
  };
}

/** Segment values as given (array in layout order, object by key, or {key?, value, width?} list) → stored segments. */
function segmentsFrom(layout: CreateRegisterInput['layout'], input: CreateRegisterInput['segments']): { key: string; value: string; width: number }[] {
  if (layout === 'custom') {
    if (!Array.isArray(input)) throw new ValidationError({ segments: { bn: 'নিজস্ব বিন্যাসে প্রতিটি অংশের মান ও প্রস্থ দিন।', en: 'A custom layout needs each segment’s value and width.' } });
    return input.map((s, i) => (typeof s === 'string' ? { key: `s${i + 1}`, value: s, width: s.length } : { key: s.key ?? `s${i + 1}`, value: s.value, width: s.width ?? s.value.length }));
  }
  const layoutSegments = MEMO_LAYOUTS[layout];
  if (Array.isArray(input)) {
    return layoutSegments.map((seg, i) => {
      const v = input[i];
      return { key: seg.key, width: seg.width, value: v === undefined ? '' : typeof v === 'string' ? v : v.value };
    }).concat(input.slice(layoutSegments.length).map((v, i) => ({ key: `extra${i + 1}`, width: 1, value: typeof v === 'string' ? v : v.value })));
  }
  const unknown = Object.keys(input).filter((k) => !layoutSegments.some((s) => s.key === k));
  if (unknown.length) throw new ValidationError({ segments: { bn: `অজানা অংশ: ${unknown.join(', ')}।`, en: `Unknown segments: ${unknown.join(', ')}.` } });
  // Unused positions are zeros.
  return layoutSegments.map((seg) => ({ key: seg.key, width: seg.width, value: input[seg.key] ?? '0' }));
}

export async function createRegister(ctx: Ctx, input: CreateRegisterInput): Promise<MemoRegisterDoc> {
  const tree = await officeTree();
  const office = input.office ?? permittedPosts(ctx.actor, 'memo.manage')[0]?.office;
  if (!office) throw new ForbiddenError();
  if (!tree.get(office)) throw new ValidationError({ office: { bn: 'দপ্তরটি পাওয়া যায়নি।', en: 'The office was not found.' } });
  assertCan(ctx.actor, 'memo.manage', tree, { office });
  const segments = segmentsFrom(input.layout, input.segments);
  const problems = validateMemoSpec({ layout: input.layout, segments, separator: input.separator });
  if (problems.length) {
    throw new ValidationError({ segments: { bn: problems.map((p) => p.bn).join(' '), en: problems.map((p) => p.en).join(' ') } });
  }
  const doc = await new MemoRegister({ ...input, office, segments, createdBy: { id: ctx.actor.userId, name: ctx.actor.nameBn } }).save();
  if (input.isDefault) {
    // One default per office: the newest one chosen as default wins.
    await MemoRegister.updateMany({ office, isDefault: true, _id: { $ne: doc._id } }, { $set: { isDefault: false } });
  }
  await recordAudit(ctx, { action: 'memo.register.create', entity: { type: 'memo-register', id: String(doc._id), label: doc.name, office }, version: doc.__v });
  return doc.toObject() as unknown as MemoRegisterDoc;
}

// Registers change rarely (created, or another made the default) and are read on every number taken: each
// process keeps them for a few seconds.
const registerCache = new Map<string, { doc: MemoRegisterDoc; at: number }>();
const REGISTER_CACHE_MS = 5_000;

async function readRegister(id: string): Promise<MemoRegisterDoc | null> {
  const hit = registerCache.get(id);
  if (hit && Date.now() - hit.at < REGISTER_CACHE_MS) return hit.doc;
  const doc = (await MemoRegister.findById(asId(id)).lean()) as unknown as MemoRegisterDoc | null;
  if (doc) registerCache.set(id, { doc, at: Date.now() });
  return doc;
}

export async function getRegister(actor: Actor, id: string): Promise<MemoRegisterDoc> {
  const doc = await readRegister(id);
  if (!doc) throw new NotFoundError();
  assertCan(actor, 'memo.read', await officeTree(), { office: String(doc.office) });
  return doc;
}

export async function listRegisters(actor: Actor, office?: string): Promise<MemoRegisterDoc[]> {
  const tree = await officeTree();
  const scope = scopeOffices(actor, 'memo.read', tree);
  const wanted = office === undefined ? undefined : String(asId(office));
  // From the registers' read model: no scan of memo_registers per request.
  return (await allRegisters()).filter((r) => (wanted === undefined || String(r.office) === wanted) && scope.has(String(r.office)));
}

/** The register that numbers an office's documents: its own default, else the nearest office above with one. */
export async function defaultRegisterFor(officeId: string): Promise<MemoRegisterDoc | undefined> {
  const tree = await officeTree();
  const regs = (await MemoRegister.find({ isDefault: true, active: true }).lean()) as unknown as MemoRegisterDoc[];
  const path = tree.path(officeId).reverse();
  for (const o of path) {
    const r = regs.filter((x) => String(x.office) === o.id).sort((a, b) => Number(b._id.getTimestamp()) - Number(a._id.getTimestamp()))[0];
    if (r) return r;
  }
  return undefined;
}

export function registerInfo(r: MemoRegisterDoc): RegisterInfo {
  return { id: String(r._id), office: String(r.office), version: r.__v ?? 0, startSerial: r.startSerial ?? 1, spec: specOf(r) };
}

/**
 * Claims a number for a document: from the given register (which must belong to the document's office or an
 * office above it), else the office's default. The same documentKey always gets the same number.
 */
export async function claimForDocument(
  ctx: Ctx,
  input: { office: string; register?: string | undefined; documentKey: string; document: { kind: string; id: string; label: string } },
): Promise<Claimed & { register: MemoRegisterDoc }> {
  const tree = await officeTree();
  let register: MemoRegisterDoc | undefined;
  if (input.register) {
    register = (await MemoRegister.findById(asId(input.register)).lean()) as unknown as MemoRegisterDoc | undefined;
    if (!register || !tree.contains(String(register.office), input.office) || !register.active) {
      throw new ValidationError({ register: { bn: 'এই দপ্তরের জন্য নম্বর বহিটি ব্যবহার করা যায় না।', en: 'That register cannot number this office’s documents.' } });
    }
  } else {
    register = await defaultRegisterFor(input.office);
  }
  if (!register) {
    throw new ConflictError({
      bn: 'এই দপ্তরের কোনো স্মারক নম্বর বহি নেই। প্রশাসক বা ইনোভেশন অফিসার আগে একটি বহি তৈরি করুন।',
      en: 'This office has no memo-number register. An administrator or innovation officer must create one first.',
    });
  }
  const claimed = await claimNumber(registerInfo(register), { documentKey: input.documentKey, document: input.document, by: { id: ctx.actor.userId, name: ctx.actor.nameBn }, at: ctx.clock.now() });
  return { ...claimed, register };
}

/** A number for a letter outside the system (the register page's "take a number"). */
export async function claimForLetter(ctx: Ctx, registerId: string, input: { subject: string; key?: string | undefined }): Promise<Claimed & { register: MemoRegisterDoc; documentKey: string }> {
  const register = await getRegister(ctx.actor, registerId);
  assertCan(ctx.actor, 'memo.claim', await officeTree(), { office: String(register.office) });
  if (!register.active) throw new ConflictError({ bn: 'বহিটি বন্ধ।', en: 'The register is closed.' });
  const documentKey = `letter:${registerId}:${input.key ?? new Types.ObjectId().toHexString()}`;
  // The number's own record (who, when, for what) is the audit trail of a claim.
  const claimed = await claimNumber(registerInfo(register), { documentKey, document: { kind: 'letter', id: documentKey, label: input.subject }, by: { id: ctx.actor.userId, name: ctx.actor.nameBn }, at: ctx.clock.now() });
  return { ...claimed, register, documentKey };
}

/** Every number issued from a register, newest first, with its document (read by _id, a page at a time). */
export async function registerNumbers(actor: Actor, registerId: string, page: number, pageSize: number): Promise<{ items: MemoNumberDoc[]; total: number; lastSerial: number }> {
  const register = await getRegister(actor, registerId);
  return numbersPage(register, page, pageSize);
}

export function registerView(r: MemoRegisterDoc, officeName?: string, lastSerial?: number) {
  const spec = specOf(r);
  const labels = r.layout === 'custom' ? [] : MEMO_LAYOUTS[r.layout as '2014' | '2024'];
  const next = Math.max(r.startSerial ?? 1, (lastSerial ?? 0) + 1);
  return {
    id: String(r._id),
    office: { id: String(r.office), name: officeName ?? null },
    name: r.name,
    layout: r.layout,
    segments: spec.segments.map((s, i) => ({ key: s.key, label: labels[i]?.labelBn ?? null, labelEn: labels[i]?.labelEn ?? null, value: toBanglaDigits(s.value.padStart(s.width, '0')), width: s.width })),
    separator: spec.separator,
    startSerial: r.startSerial ?? 1,
    file: r.file ?? null,
    isDefault: !!r.isDefault,
    active: r.active !== false,
    ...(lastSerial !== undefined ? { lastSerial, nextNumber: formatMemoNumber(spec, next) } : { example: formatMemoNumber(spec, r.startSerial ?? 1) }),
  };
}

export function numberView(n: MemoNumberDoc) {
  return { memoNumber: n.number, serial: n.serial, issuedAt: n.issuedAt, document: n.document ?? null, by: n.by?.name ?? null };
}

/** The lenient reader, for numbers typed from paper letters. */
export function parseNumber(text: string) {
  const parsed = parseMemoNumber(text);
  if (!parsed) {
    throw new ValidationError({ text: { bn: 'এটি স্মারক নম্বর হিসেবে পড়া গেল না (যেমন ৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮)।', en: 'This could not be read as a memo number (e.g. ৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮).' } });
  }
  return parsed;
}
