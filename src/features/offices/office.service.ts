// The offices feature's story: list and read offices within the caller's subtree; create, edit, move,
// deactivate and reactivate them (admins, inside their own subtree); keep upazila reference data.
//
// `parent` is the source of truth of the tree; `ancestors` is a cache derived from it. A move writes the
// office first, then recomputes the ancestors of everything below it. The engine has no transactions, so a
// crash between those writes leaves stale caches: repairAncestors() (run at start-up) recomputes every
// office's ancestors from the parent links, and is harmless to run at any time.
import { Types } from 'mongoose';
import { dhakaDateOf, searchKey, toBanglaDigits, toLatinDigits } from '../../lib/index.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { saveVersioned } from '../../platform/db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, type Message } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import { assertCan, decide, permittedPosts, scopeOffices, type Action } from '../access/policy.js';
import { diff, findAudit, recordAudit, type Change, type RequestContext } from '../audit/audit.service.js';
// The users feature has no index.ts yet; deactivation needs to know whether people still work in an office.
import { User } from '../users/user.model.js';
import { Office, OFFICE_LEVELS, type OfficeLevel } from './office.model.js';
import { markOfficesChanged, officeTree, type OfficeNode, type OfficeTree } from './office-tree.js';
import { MEMO_SEGMENT_KEYS, OBJECT_ID, type CreateOfficeInput, type MemoSegmentKey, type UpdateOfficeInput } from './office.schemas.js';
import { DISTRICTS, DIVISIONS, findDistrict, type District } from './reference/bd-geography.js';
import { parseUpazilaCsv, type UpazilaImportError } from './upazila-import.js';
import { Upazila } from './upazila.model.js';

export type MemoSegments = Partial<Record<MemoSegmentKey, string>>;

/** An office as the pages and the API show it. */
export interface OfficeRecord {
  readonly id: string;
  readonly code: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly shortName: string | null;
  readonly level: OfficeLevel;
  readonly parent: string | null;
  readonly ancestors: readonly string[];
  readonly geoCode: string | null;
  readonly districtIso: string | null;
  readonly addressBn: string | null;
  readonly addressEn: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly memoSegments: MemoSegments | null;
  readonly active: boolean;
  /** The optimistic-concurrency version (__v): send it back with an edit. */
  readonly version: number;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
}

/** The fields an edit may change, in the order the audit log lists them. */
const EDITABLE = [
  'nameBn',
  'nameEn',
  'shortName',
  'level',
  'geoCode',
  'districtIso',
  'addressBn',
  'addressEn',
  'phone',
  'email',
  'memoSegments',
] as const;
const AUDITED = ['code', ...EDITABLE, 'parent', 'ancestors', 'active'] as const;

type OfficeDocument = InstanceType<typeof Office>;

function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new UnauthorizedError();
  return ctx.actor;
}

function plainSegments(value: unknown): MemoSegments | null {
  if (!value || typeof value !== 'object') return null;
  const source = value as Record<string, unknown>;
  const out: MemoSegments = {};
  for (const k of MEMO_SEGMENT_KEYS) if (typeof source[k] === 'string' && source[k] !== '') out[k] = source[k];
  return Object.keys(out).length ? out : null;
}

function recordOf(doc: OfficeDocument): OfficeRecord {
  const o = doc.toObject();
  return {
    id: String(o._id),
    code: o.code,
    nameBn: o.nameBn,
    nameEn: o.nameEn ?? null,
    shortName: o.shortName ?? null,
    level: o.level,
    parent: o.parent ? String(o.parent) : null,
    ancestors: (o.ancestors ?? []).map(String),
    geoCode: o.geoCode ?? null,
    districtIso: o.districtIso ?? null,
    addressBn: o.addressBn ?? null,
    addressEn: o.addressEn ?? null,
    phone: o.phone ?? null,
    email: o.email ?? null,
    memoSegments: plainSegments(o.memoSegments),
    active: o.active !== false,
    version: typeof o.__v === 'number' ? o.__v : 0,
    createdAt: o.createdAt ? new Date(o.createdAt).toISOString() : null,
    updatedAt: o.updatedAt ? new Date(o.updatedAt).toISOString() : null,
  };
}

/** The audited fields of a record, for diff(). */
function snapshot(r: OfficeRecord): Record<string, unknown> {
  return { ...r, memoSegments: r.memoSegments ?? null };
}

function entityOf(r: OfficeRecord) {
  return { type: 'office', id: r.id, label: r.nameBn, office: r.id };
}

/** The version step of a change, kept in the audit entry so a 409 can say what changed since. */
function versionChange(before: number | null, after: number): Change {
  return { field: 'version', before, after };
}

async function loadOffice(id: string): Promise<OfficeDocument> {
  if (!OBJECT_ID.test(id)) throw new NotFoundError();
  const doc = await Office.findById(id);
  if (!doc) throw new NotFoundError();
  return doc;
}

/** True when the actor may manage an office at the top of the tree (only they may create root offices). */
function managesRoot(actor: Actor, tree: OfficeTree): boolean {
  return permittedPosts(actor, 'office.manage').some((p) => {
    const node = tree.get(p.office);
    return !!node && !node.parent;
  });
}

const PARENT_UNKNOWN: Message = {
  bn: 'এই ঊর্ধ্বতন দপ্তরটি পাওয়া যায়নি বা আপনার আওতার বাইরে। তালিকা থেকে একটি দপ্তর বেছে নিন।',
  en: 'This parent office was not found or is outside your offices. Choose one from the list.',
};

/** Root-first ids from the top of the tree down to `id` (inclusive), following parent links, the truth. */
async function pathByParents(id: Types.ObjectId): Promise<Types.ObjectId[]> {
  const path: Types.ObjectId[] = [];
  const seen = new Set<string>();
  let current: Types.ObjectId | null = id;
  while (current) {
    const key = String(current);
    if (seen.has(key)) throw new Error(`office parent links form a cycle at ${key}`);
    seen.add(key);
    path.unshift(current);
    const doc: { parent?: Types.ObjectId | null } | null = await Office.findById(current, { parent: 1 }).lean();
    current = doc?.parent ?? null;
  }
  return path;
}

/**
 * Checks a new parent for `officeId` (undefined when creating) and returns the ancestors the office gets
 * under it. Throws a field error on `parent` when it is missing, outside the actor's subtree, inactive, or
 * the office itself or one of its descendants.
 */
async function ancestorsUnder(actor: Actor, tree: OfficeTree, parentId: string | null, officeId?: string): Promise<Types.ObjectId[]> {
  if (parentId === null) {
    if (!managesRoot(actor, tree)) {
      throw new ValidationError({ parent: { bn: 'ঊর্ধ্বতন দপ্তর বেছে নিন।', en: 'Choose the parent office.' } });
    }
    return [];
  }
  if (officeId && parentId === officeId) {
    throw new ValidationError({ parent: { bn: 'কোনো দপ্তর নিজের অধীনে যেতে পারে না।', en: 'An office cannot be placed under itself.' } });
  }
  const parent = OBJECT_ID.test(parentId) ? await Office.findById(parentId, { nameBn: 1, active: 1 }).lean() : null;
  if (!parent || decide(actor, 'office.manage', tree, { office: parentId }) !== 'allow')
    throw new ValidationError({ parent: PARENT_UNKNOWN });
  const path = await pathByParents(parent._id);
  if (officeId && path.some((a) => String(a) === officeId)) {
    throw new ValidationError({
      parent: {
        bn: `“${parent.nameBn}” এই দপ্তরেরই অধীন দপ্তর; কোনো দপ্তর নিজের অধীন দপ্তরের নিচে যেতে পারে না।`,
        en: `“${parent.nameBn}” is below this office; an office cannot be placed under its own descendant.`,
      },
    });
  }
  if (parent.active === false) {
    throw new ValidationError({
      parent: {
        bn: `“${parent.nameBn}” নিষ্ক্রিয়; সক্রিয় একটি ঊর্ধ্বতন দপ্তর বেছে নিন।`,
        en: `“${parent.nameBn}” is inactive; choose an active parent office.`,
      },
    });
  }
  return path;
}

/** The geo code of an office in a district starts with the district's BBS code (0000: head office). */
function checkGeoCode(geoCode: string | null | undefined, districtIso: string | null | undefined): void {
  if (!geoCode || !districtIso || /^0+$/.test(geoCode)) return;
  const district = DISTRICTS.find((d) => d.iso === districtIso);
  if (district && !geoCode.startsWith(district.bbsCode)) {
    throw new ValidationError({
      geoCode: {
        bn: `${district.nameBn} জেলার জিও কোড ${toBanglaDigits(district.bbsCode)} দিয়ে শুরু হয় (যেমন ${toBanglaDigits(district.bbsCode)}০০ জেলা কার্যালয়ের জন্য)।`,
        en: `Geo codes in ${district.nameEn} district start with ${district.bbsCode} (e.g. ${district.bbsCode}00 for the district office).`,
      },
    });
  }
}

const CODE_TAKEN: Message = { bn: 'এই কোড আরেকটি দপ্তরের; অন্য কোড দিন।', en: 'Another office has this code; choose another.' };

/** The fields changed since `version`, read from the audit log (each office write records its version step). */
async function changedSince(id: string, version: number): Promise<string[]> {
  const { items } = await findAudit({ entityId: id, page: 1, pageSize: 200 });
  const changed = new Set<string>();
  for (const entry of items) {
    if (entry.entity?.type !== 'office') continue;
    const step = entry.changes.find((c) => c.field === 'version');
    const after = typeof entry.version === 'number' ? entry.version : typeof step?.after === 'number' ? step.after : undefined;
    if (after === undefined || after <= version) continue;
    for (const c of entry.changes) if (c.field && c.field !== 'version' && c.field !== 'ancestors') changed.add(c.field);
  }
  return AUDITED.filter((f) => changed.has(f));
}

async function conflict(id: string, version: number, claimed: readonly string[] = []): Promise<ConflictError> {
  // The winner's audit entry may not be written yet: what its claim says it changes counts too.
  const fromClaim = new Set(claimed);
  const changed = [...new Set([...(await changedSince(id, version)), ...AUDITED.filter((f) => fromClaim.has(f))])];
  return new ConflictError(
    {
      bn: 'আপনি দপ্তরটি খোলার পরে অন্য কেউ এটি পরিবর্তন করেছেন। সর্বশেষ তথ্য দেখে আবার সংরক্ষণ করুন।',
      en: 'Someone else changed this office after you opened it. Review the latest values and save again.',
    },
    { changed },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export interface OfficeFilters {
  readonly q?: string | undefined;
  readonly level?: OfficeLevel | undefined;
  readonly parent?: string | undefined;
  readonly active?: boolean | undefined;
}

export interface OfficeListItem {
  readonly id: string;
  readonly code: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly level: OfficeLevel;
  readonly parent: string | null;
  readonly geoCode: string | null;
  readonly active: boolean;
  /** Depth below the top of the caller's subtree (0 = the caller's own top office). */
  readonly depth: number;
  /** The offices above it within the caller's subtree, root first. */
  readonly path: readonly OfficeNode[];
}

const collator = new Intl.Collator('bn');
const LEVEL_ORDER = new Map<string, number>(OFFICE_LEVELS.map((l, i) => [l, i]));

function byLevelThenName(a: OfficeNode, b: OfficeNode): number {
  return (LEVEL_ORDER.get(a.level) ?? 99) - (LEVEL_ORDER.get(b.level) ?? 99) || collator.compare(a.nameBn, b.nameBn);
}

/** The offices of `scope` in tree order (each office, then those below it), with their depth within the scope. */
function inTreeOrder(tree: OfficeTree, scope: ReadonlySet<string>): { node: OfficeNode; depth: number }[] {
  const out: { node: OfficeNode; depth: number }[] = [];
  const roots = [...scope]
    .map((id) => tree.get(id))
    .filter((n): n is OfficeNode => !!n && !(n.parent && scope.has(n.parent)))
    .sort(byLevelThenName);
  const walk = (node: OfficeNode, depth: number): void => {
    out.push({ node, depth });
    for (const child of tree
      .children(node.id)
      .filter((c) => scope.has(c.id))
      .sort(byLevelThenName))
      walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return out;
}

function matchesText(node: OfficeNode, q: string): boolean {
  const key = searchKey(q);
  const digits = toLatinDigits(key);
  const hay = searchKey([node.nameBn, node.nameEn ?? '', node.code, node.geoCode ?? ''].join(' '));
  return hay.includes(key) || hay.includes(digits);
}

/** The offices the actor may see (their posts' subtrees), in tree order, filtered. Served from the in-process tree. */
export async function listOffices(actor: Actor, filters: OfficeFilters = {}): Promise<OfficeListItem[]> {
  const tree = await officeTree();
  const scope = scopeOffices(actor, 'office.read', tree);
  return inTreeOrder(tree, scope)
    .filter(({ node }) => {
      if (filters.level && node.level !== filters.level) return false;
      if (filters.parent && node.parent !== filters.parent) return false;
      if (filters.active !== undefined && node.active !== filters.active) return false;
      if (filters.q && !matchesText(node, filters.q)) return false;
      return true;
    })
    .map(({ node, depth }) => ({
      id: node.id,
      code: node.code,
      nameBn: node.nameBn,
      nameEn: node.nameEn ?? null,
      level: node.level,
      parent: node.parent ?? null,
      geoCode: node.geoCode ?? null,
      active: node.active,
      depth,
      path: tree
        .path(node.id)
        .slice(0, -1)
        .filter((a) => scope.has(a.id)),
    }));
}

/** One office, if the actor may do `action` on it (403 without the role, 404 outside their subtree). */
export async function getOffice(
  ctx: RequestContext,
  id: string,
  action: Extract<Action, 'office.read' | 'office.manage'> = 'office.read',
): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, action).length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  assertCan(actor, action, await officeTree(), { office: id });
  return recordOf(doc);
}

export interface ParentChoice {
  readonly id: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly level: OfficeLevel;
  readonly depth: number;
}

/**
 * The offices an admin may put an office under: active offices in their subtree, without `office` and the
 * offices below it (an office cannot move under itself or its descendants); the current parent is kept.
 */
export async function parentChoices(
  actor: Actor,
  office?: { id: string; parent: string | null },
): Promise<{ choices: ParentChoice[]; rootAllowed: boolean }> {
  const tree = await officeTree();
  const scope = scopeOffices(actor, 'office.manage', tree);
  const excluded = new Set(office ? tree.subtreeIds(office.id) : []);
  const choices = inTreeOrder(tree, scope)
    .filter(({ node }) => !excluded.has(node.id) && (node.active || node.id === office?.parent))
    .map(({ node, depth }) => ({ id: node.id, nameBn: node.nameBn, nameEn: node.nameEn ?? null, level: node.level, depth }));
  return { choices, rootAllowed: managesRoot(actor, tree) };
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** Creates an office under a parent in the admin's subtree (a root office only by an admin of a root office). */
export async function createOffice(ctx: RequestContext, input: CreateOfficeInput): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const tree = await officeTree();
  const ancestors = await ancestorsUnder(actor, tree, input.parent ?? null);
  checkGeoCode(input.geoCode, input.districtIso);
  let doc: OfficeDocument;
  try {
    doc = await Office.create({
      code: input.code,
      nameBn: input.nameBn,
      nameEn: input.nameEn ?? undefined,
      shortName: input.shortName ?? undefined,
      level: input.level,
      parent: ancestors.length ? ancestors[ancestors.length - 1] : null,
      ancestors,
      geoCode: input.geoCode ?? undefined,
      districtIso: input.districtIso ?? undefined,
      addressBn: input.addressBn ?? undefined,
      addressEn: input.addressEn ?? undefined,
      phone: input.phone ?? undefined,
      email: input.email ?? undefined,
      memoSegments: plainSegments(input.memoSegments) ?? undefined,
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError({ code: CODE_TAKEN });
    throw err;
  }
  await markOfficesChanged();
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: 'office.create',
    entity: entityOf(after),
    changes: [...diff({}, snapshot(after), AUDITED), versionChange(null, after.version)],
  });
  return after;
}

/**
 * Edits an office read at `input.version`; a `parent` that differs moves it (see moveOffice). A stale version
 * is refused with ConflictError { changed: fields changed since }. The code is a stable key and never changes.
 */
export async function updateOffice(ctx: RequestContext, id: string, input: UpdateOfficeInput): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  const tree = await officeTree();
  assertCan(actor, 'office.manage', tree, { office: id });
  if ((doc.__v ?? 0) !== input.version) throw await conflict(id, input.version);
  if (input.code !== undefined && input.code !== doc.code) {
    throw new ValidationError({ code: { bn: 'দপ্তরের কোড পরিবর্তন করা যায় না।', en: 'The code of an office cannot be changed.' } });
  }
  const before = recordOf(doc);

  for (const field of EDITABLE) {
    const value = input[field];
    if (value === undefined) continue;
    if (field === 'memoSegments') doc.set('memoSegments', plainSegments(value) ?? undefined);
    else doc.set(field, value ?? undefined);
  }
  const newParent = input.parent === undefined ? undefined : (input.parent ?? null);
  const moving = newParent !== undefined && newParent !== before.parent;
  if (moving) {
    const path = await ancestorsUnder(actor, tree, newParent, id);
    doc.set('parent', path.length ? path[path.length - 1] : null);
    doc.set('ancestors', path);
  }
  checkGeoCode(doc.geoCode, doc.districtIso);
  if (!doc.isModified()) return before;
  const changes = diff(snapshot(before), snapshot(recordOf(doc)), AUDITED);
  await saveVersioned('office', doc, { changed: changes.map((c) => c.field), lost: async (claimed) => { throw await conflict(id, input.version, claimed); } });
  try {
    if (moving) await recomputeAncestors();
  } finally {
    await markOfficesChanged();
  }
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: moving ? 'office.move' : 'office.update',
    entity: entityOf(after),
    changes: [...changes, versionChange(before.version, after.version)],
  });
  return after;
}

/** Moves an office under another parent in the admin's subtree (never under itself or its descendants). */
export async function moveOffice(
  ctx: RequestContext,
  id: string,
  input: { parent: string | null; version: number },
): Promise<OfficeRecord> {
  return updateOffice(ctx, id, { version: input.version, parent: input.parent });
}

function countBn(n: number): string {
  return toBanglaDigits(n);
}

/** Deactivates an office; refused while active offices are below it or active people work in it. */
export async function deactivateOffice(ctx: RequestContext, id: string): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  assertCan(actor, 'office.manage', await officeTree(), { office: id });
  const before = recordOf(doc);
  if (!before.active) return before;
  const today = dhakaDateOf(ctx.clock.now());
  const [children, people] = await Promise.all([
    Office.countDocuments({ parent: doc._id, active: true }),
    // $elemMatch with field conditions is not implemented by the embedded engine: the charge dates are checked here.
    User.find({ active: true, $or: [{ office: doc._id }, { 'actingCharges.office': doc._id }] }, { office: 1, actingCharges: 1 }).lean(),
  ]);
  const users = people.filter(
    (u) => String(u.office) === id || (u.actingCharges ?? []).some((c) => String(c.office) === id && c.to >= today),
  ).length;
  if (children > 0 || users > 0) {
    const bn: string[] = [];
    const en: string[] = [];
    if (children > 0) {
      bn.push(`এর অধীনে ${countBn(children)}টি সক্রিয় দপ্তর আছে`);
      en.push(`${children} active office${children === 1 ? '' : 's'} below it`);
    }
    if (users > 0) {
      bn.push(`এখানে ${countBn(users)} জন সক্রিয় ব্যবহারকারী কর্মরত (বা চলতি দায়িত্বে) আছেন`);
      en.push(`${users} active user${users === 1 ? '' : 's'} working here (or holding a charge)`);
    }
    throw new ConflictError(
      {
        bn: `“${before.nameBn}” নিষ্ক্রিয় করা যাবে না: ${bn.join(' এবং ')}। আগে সেগুলো অন্য দপ্তরে সরান বা নিষ্ক্রিয় করুন।`,
        en: `“${before.nameEn ?? before.nameBn}” cannot be deactivated: it has ${en.join(' and ')}. Move or deactivate them first.`,
      },
      { activeChildren: children, activeUsers: users },
    );
  }
  doc.active = false;
  await saveVersioned('office', doc, { changed: ['active'], lost: async (claimed) => { throw await conflict(id, before.version, claimed); } });
  await markOfficesChanged();
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: 'office.deactivate',
    entity: entityOf(after),
    changes: [...diff(snapshot(before), snapshot(after), ['active']), versionChange(before.version, after.version)],
  });
  return after;
}

/** Reactivates an office; its parent must be active. */
export async function reactivateOffice(ctx: RequestContext, id: string): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  assertCan(actor, 'office.manage', await officeTree(), { office: id });
  const before = recordOf(doc);
  if (before.active) return before;
  if (doc.parent) {
    const parent = await Office.findById(doc.parent, { nameBn: 1, nameEn: 1, active: 1 }).lean();
    if (parent && parent.active === false) {
      throw new ConflictError({
        bn: `ঊর্ধ্বতন দপ্তর “${parent.nameBn}” নিষ্ক্রিয়; আগে সেটি সক্রিয় করুন।`,
        en: `The parent office “${parent.nameEn ?? parent.nameBn}” is inactive; reactivate it first.`,
      });
    }
  }
  doc.active = true;
  await saveVersioned('office', doc, { changed: ['active'], lost: async (claimed) => { throw await conflict(id, before.version, claimed); } });
  await markOfficesChanged();
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: 'office.reactivate',
    entity: entityOf(after),
    changes: [...diff(snapshot(before), snapshot(after), ['active']), versionChange(before.version, after.version)],
  });
  return after;
}

export interface AncestorRepair {
  /** Offices read. */
  readonly checked: number;
  /** Offices whose ancestors were rewritten. */
  readonly fixed: number;
  /** Offices whose parent links loop (left untouched; an administrator must fix a parent). */
  readonly cycles: readonly string[];
}

/** Recomputes every office's ancestors from the parent links and rewrites those that differ (by _id). */
async function recomputeAncestors(): Promise<AncestorRepair> {
  const docs = await Office.find({}, { parent: 1, ancestors: 1 }).lean();
  const parentOf = new Map<string, string | null>(docs.map((d) => [String(d._id), d.parent ? String(d.parent) : null]));
  const computed = new Map<string, string[] | null>(); // null: in a cycle
  const cycles: string[] = [];
  const resolve = (id: string, visiting: Set<string>): string[] | null => {
    const known = computed.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return null;
    visiting.add(id);
    const parent = parentOf.get(id) ?? null;
    let result: string[] | null;
    if (!parent) result = [];
    else if (!parentOf.has(parent))
      result = []; // a dangling parent: nothing above it is known
    else {
      const above = resolve(parent, visiting);
      result = above === null ? null : [...above, parent];
    }
    visiting.delete(id);
    computed.set(id, result);
    return result;
  };
  const ops: { updateOne: { filter: { _id: Types.ObjectId }; update: { $set: { ancestors: Types.ObjectId[] } } } }[] = [];
  for (const d of docs) {
    const id = String(d._id);
    const want = resolve(id, new Set());
    if (want === null) {
      cycles.push(id);
      continue;
    }
    const have = (d.ancestors ?? []).map(String);
    if (have.length !== want.length || have.some((a, i) => a !== want[i])) {
      ops.push({ updateOne: { filter: { _id: d._id }, update: { $set: { ancestors: want.map((a) => new Types.ObjectId(a)) } } } });
    }
  }
  if (ops.length) await Office.bulkWrite(ops, { ordered: false });
  return { checked: docs.length, fixed: ops.length, cycles };
}

/** Recomputes all ancestors from parent links (idempotent; call at start-up to finish an interrupted move). */
export async function repairAncestors(): Promise<AncestorRepair> {
  const report = await recomputeAncestors();
  if (report.fixed > 0) await markOfficesChanged();
  return report;
}

// ---------------------------------------------------------------------------------------------------------
// Geography: divisions and districts (kept in the project) and upazilas (imported data)

export interface DistrictOption {
  readonly iso: string;
  readonly bbsCode: string;
  readonly nameBn: string;
  readonly nameEn: string;
}

/** The 8 divisions with their districts, each sorted by Bangla name, for pickers and the reference API. */
export function divisionsWithDistricts(): { iso: string; bbsCode: string; nameBn: string; nameEn: string; districts: DistrictOption[] }[] {
  return [...DIVISIONS]
    .sort((a, b) => collator.compare(a.nameBn, b.nameBn))
    .map((d) => ({
      iso: d.iso,
      bbsCode: d.bbsCode,
      nameBn: d.nameBn,
      nameEn: d.nameEn,
      districts: DISTRICTS.filter((x) => x.division === d.iso)
        .map((x) => ({ iso: x.iso, bbsCode: x.bbsCode, nameBn: x.nameBn, nameEn: x.nameEn }))
        .sort((a, b) => collator.compare(a.nameBn, b.nameBn)),
    }));
}

export interface UpazilaRecord {
  readonly geoCode: string;
  readonly districtIso: string;
  readonly districtBn: string;
  readonly districtEn: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
}

function districtOf(iso: string): District | undefined {
  return DISTRICTS.find((d) => d.iso === iso);
}

/** Resolves a district given as ISO code, BBS code or name; a field error on `district` when unknown. */
export function resolveDistrictFilter(value: string | undefined): District | undefined {
  if (!value) return undefined;
  const district = findDistrict(value);
  if (!district) throw new ValidationError({ district: { bn: `জেলা '${value}' চেনা যায়নি।`, en: `District '${value}' is not known.` } });
  return district;
}

/** Upazilas, optionally of one district and matching a text, ordered by geo code. */
export async function listUpazilas(filters: { district?: District | undefined; q?: string | undefined } = {}): Promise<UpazilaRecord[]> {
  const docs = await Upazila.find(filters.district ? { districtIso: filters.district.iso } : {}).lean();
  const key = filters.q ? searchKey(filters.q) : undefined;
  return docs
    .filter((u) => !key || (u.searchKey ?? '').includes(key) || (u.searchKey ?? '').includes(toLatinDigits(key)))
    .sort((a, b) => a.geoCode.localeCompare(b.geoCode))
    .map((u) => ({
      geoCode: u.geoCode,
      districtIso: u.districtIso,
      districtBn: districtOf(u.districtIso)?.nameBn ?? u.districtIso,
      districtEn: districtOf(u.districtIso)?.nameEn ?? u.districtIso,
      nameBn: u.nameBn,
      nameEn: u.nameEn ?? null,
    }));
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
