// The users feature's story: admins create people with a one-time password, edit them, deactivate them,
// reset their passwords and give them acting charges (চলতি/অতিরিক্ত দায়িত্ব); everyone edits their own
// profile, password and API tokens. Every change is audited with before/after values (passwords masked).
import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { dhakaDateOf, escapeRegExp, searchKey } from '../../lib/index.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { saveVersioned } from '../../platform/db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, type Message } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import { assertCan, scopeOffices, type Action, type Target } from '../access/policy.js';
import { diff, findAudit, recordAudit, type Change, type RequestContext } from '../audit/audit.service.js';
import { findToken, issueToken, listTokens, revokeToken, type AuthSettings, type TokenView } from '../auth/auth.service.js';
import { officeTree, type OfficeTree } from '../offices/office-tree.js';
import { hashPassword, verifyPassword } from './password.js';
import { setUserFields } from './user-field-write.js';
import { withLastSignIn } from './last-sign-in.js';
import type { ActingChargeInput, ChangePasswordInput, CreateUserInput, ProfileInput, UpdateUserInput } from './user.schemas.js';
import { User, type Role } from './user.model.js';

export const PAGE_SIZE = 25;

/** The fields compared for the audit log and for "what changed" on a conflict. */
const AUDITED = ['nameBn', 'nameEn', 'designationBn', 'designationEn', 'office', 'email', 'phone', 'language', 'roles', 'active'] as const;

export interface OfficeRef {
  readonly id: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
}

export interface UserSummary {
  readonly id: string;
  readonly username: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly designationBn: string;
  readonly designationEn: string | null;
  readonly office: OfficeRef;
  readonly roles: Role[];
  readonly active: boolean;
  readonly mustChangePassword: boolean;
}

export type ChargeStatus = 'current' | 'upcoming' | 'ended';

export interface ActingChargeView {
  readonly id: string;
  readonly office: OfficeRef;
  readonly roles: Role[];
  readonly designationBn: string;
  readonly designationEn: string | null;
  /** Dhaka dates, both inclusive. */
  readonly from: string;
  readonly to: string;
  readonly note: string | null;
  readonly status: ChargeStatus;
}

export interface UserDetail extends UserSummary {
  readonly email: string | null;
  readonly phone: string | null;
  readonly language: 'bn' | 'en';
  readonly lastLoginAt: Date | null;
  readonly passwordChangedAt: Date | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  /** The optimistic-concurrency version: send it back with an edit. */
  readonly version: number;
  readonly actingCharges: ActingChargeView[];
}

export interface ListQuery {
  /** Only this office and the offices below it. */
  readonly office?: string;
  readonly role?: Role;
  /** Matched against the stored normalised search text (names, username, designation). */
  readonly q?: string;
  /** 'true' (default 'all'): only active people; 'false': only deactivated ones. */
  readonly active?: 'true' | 'false' | 'all';
  readonly page: number;
  readonly pageSize?: number;
  /** Whose scope limits the list: user.read (default) or user.manage (the admin pages). */
  readonly action?: Extract<Action, 'user.read' | 'user.manage'>;
}

export interface UserList {
  readonly items: UserSummary[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/** Refused because it is about the admin's own account (deactivating themself, dropping their own admin role). */
export class OwnAccountError extends ForbiddenError {}

const msg = (bn: string, en: string): Message => ({ bn, en });

const MESSAGES = {
  usernameTaken: msg('এই ব্যবহারকারীর নাম আগে থেকেই আছে; অন্য একটি দিন।', 'This username is already taken; choose another.'),
  officeOutside: msg('তালিকা থেকে আপনার আওতাধীন একটি দপ্তর বেছে নিন।', 'Choose an office within your offices from the list.'),
  officeInactive: msg('এই দপ্তরটি নিষ্ক্রিয়; অন্য একটি বেছে নিন।', 'This office is inactive; choose another.'),
  ownDeactivate: msg(
    'আপনি নিজের অ্যাকাউন্ট নিষ্ক্রিয় করতে পারবেন না। অন্য একজন অ্যাডমিনকে বলুন।',
    'You cannot deactivate your own account. Ask another administrator.',
  ),
  ownAdminRole: msg('আপনি নিজের অ্যাডমিন ভূমিকা সরাতে পারবেন না।', 'You cannot remove your own admin role.'),
  wrongCurrent: msg('বর্তমান পাসওয়ার্ড সঠিক নয়।', 'The current password is not correct.'),
  sameAsCurrent: msg('নতুন পাসওয়ার্ড বর্তমান পাসওয়ার্ডের থেকে আলাদা হতে হবে।', 'The new password must differ from the current one.'),
  sameAsUsername: msg('ব্যবহারকারীর নাম পাসওয়ার্ড হিসেবে ব্যবহার করা যাবে না।', 'The username cannot be used as the password.'),
  stale: msg(
    'আপনি পাতাটি খোলার পর অন্য কেউ এই তথ্য পরিবর্তন করেছেন। নিচে বর্তমান তথ্য দেখে আবার সংরক্ষণ করুন।',
    'Someone else changed this record after you opened it. Check the current values and save again.',
  ),
  busy: msg('এই মুহূর্তে অন্য কেউ এই ব্যবহারকারীর তথ্য সংরক্ষণ করছেন; পাসওয়ার্ড বদলানো হয়নি। আবার চেষ্টা করুন।', 'Someone else is saving this person right now; the password was not changed. Try again.'),
};

/** A password write through the versioned mechanism (user-field-write.ts): 404 or 409, never a silent loss. */
async function writePassword(userId: unknown, fields: Record<string, unknown>): Promise<number> {
  const result = await setUserFields(userId, fields, { changed: ['password', 'mustChangePassword'] });
  if (result.written) return result.version;
  if (result.reason === 'missing') throw new NotFoundError();
  throw new ConflictError(MESSAGES.busy, { changed: [] });
}

// --- Helpers ---------------------------------------------------------------------------------------------

function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new UnauthorizedError();
  return ctx.actor;
}

function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

function todayOf(ctx: RequestContext): string {
  return dhakaDateOf(ctx.clock.now());
}

/** The stored search field, the same formula as the seed and the test factories. */
export function searchTextOf(u: { nameBn: string; nameEn?: string | null; username: string; designationBn: string }): string {
  return searchKey([u.nameBn, u.nameEn ?? '', u.username, u.designationBn].join(' '));
}

// An alphabet without look-alikes (no 0/o, 1/l/i), read aloud over the phone without confusion.
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** "k7mp-x3qa-9hdt": 12 random characters (about 59 bits) in groups of four. */
export function generateOneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += READABLE[crypto.randomInt(READABLE.length)];
    groups.push(s);
  }
  return groups.join('-');
}

function officeRef(tree: OfficeTree, id: unknown): OfficeRef {
  const node = tree.get(String(id));
  return { id: String(id), nameBn: node?.nameBn ?? '', nameEn: node?.nameEn ?? null };
}

function chargeStatus(c: { from: string; to: string }, today: string): ChargeStatus {
  if (today < c.from) return 'upcoming';
  if (today > c.to) return 'ended';
  return 'current';
}

type Loaded = ReturnType<(typeof User)['hydrate']>;

interface UserRecord {
  _id: unknown;
  username: string;
  nameBn: string;
  nameEn?: string | null;
  designationBn: string;
  designationEn?: string | null;
  office: unknown;
  roles: Role[];
  active?: boolean | null;
  mustChangePassword?: boolean | null;
  email?: string | null;
  phone?: string | null;
  language?: string | null;
  lastLoginAt?: Date | null;
  passwordChangedAt?: Date | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
  __v?: number;
  actingCharges?: ArrayLike<{
    _id?: unknown;
    office: unknown;
    roles: Role[];
    designationBn: string;
    designationEn?: string | null;
    from: string;
    to: string;
    note?: string | null;
  }>;
}

function summaryOf(u: UserRecord, tree: OfficeTree): UserSummary {
  return {
    id: String(u._id),
    username: u.username,
    nameBn: u.nameBn,
    nameEn: u.nameEn ?? null,
    designationBn: u.designationBn,
    designationEn: u.designationEn ?? null,
    office: officeRef(tree, u.office),
    roles: [...u.roles],
    active: u.active !== false,
    mustChangePassword: u.mustChangePassword === true,
  };
}

function detailOf(u: UserRecord, tree: OfficeTree, today: string): UserDetail {
  return {
    ...summaryOf(u, tree),
    email: u.email ?? null,
    phone: u.phone ?? null,
    language: u.language === 'en' ? 'en' : 'bn',
    lastLoginAt: u.lastLoginAt ?? null,
    passwordChangedAt: u.passwordChangedAt ?? null,
    createdAt: u.createdAt ?? null,
    updatedAt: u.updatedAt ?? null,
    version: u.__v ?? 0,
    actingCharges: Array.from(u.actingCharges ?? []).map((c) => ({
      id: String(c._id),
      office: officeRef(tree, c.office),
      roles: [...c.roles],
      designationBn: c.designationBn,
      designationEn: c.designationEn ?? null,
      from: c.from,
      to: c.to,
      note: c.note ?? null,
      status: chargeStatus(c, today),
    })),
  };
}

function detailOfDoc(doc: Loaded, tree: OfficeTree, today: string): UserDetail {
  return detailOf(doc.toObject() as unknown as UserRecord, tree, today);
}

/** The values compared in the audit log. */
function snapshot(doc: Loaded): Record<string, unknown> {
  return {
    nameBn: doc.nameBn,
    nameEn: doc.nameEn,
    designationBn: doc.designationBn,
    designationEn: doc.designationEn,
    office: String(doc.office),
    email: doc.email,
    phone: doc.phone,
    language: doc.language,
    roles: [...doc.roles],
    active: doc.active !== false,
  };
}

function entityOf(doc: { _id: unknown; username: string; office: unknown }) {
  return { type: 'user', id: String(doc._id), label: doc.username, office: String(doc.office) };
}

/** The target for a scope check: the user's office; for reading, also the offices of acting charges in force. */
function targetOf(doc: UserRecord, action: Action, today: string): Target {
  if (action !== 'user.read') return { office: String(doc.office) };
  const acting = Array.from(doc.actingCharges ?? [])
    .filter((c) => c.from <= today && today <= c.to)
    .map((c) => String(c.office));
  return { office: String(doc.office), assignedOffices: acting };
}

async function loadFor(ctx: RequestContext, userId: string, action: Action, withPassword = false) {
  const actor = actorOf(ctx);
  if (!isObjectId(userId)) throw new NotFoundError();
  const query = User.findById(userId);
  const doc = withPassword ? await query.select('+passwordHash') : await query;
  if (!doc) throw new NotFoundError();
  const tree = await officeTree();
  const today = todayOf(ctx);
  assertCan(actor, action, tree, targetOf(doc.toObject() as unknown as UserRecord, action, today));
  return { actor, doc, tree, today };
}

function assertOfficeAssignable(actor: Actor, tree: OfficeTree, officeId: string, field: string, current?: string): void {
  const scope = scopeOffices(actor, 'user.manage', tree);
  if (!scope.has(officeId)) throw new ValidationError({ [field]: MESSAGES.officeOutside });
  // An inactive office takes no new people (one already there may stay).
  if (officeId !== current && tree.get(officeId)?.active === false) throw new ValidationError({ [field]: MESSAGES.officeInactive });
}

function versionOf(doc: Loaded): number {
  return (doc as unknown as { __v?: number }).__v ?? 0;
}

/**
 * The fields changed since `version`: each versioned save is audited with the note "version N", so the
 * entries after the editor's version name them. Without such entries, the fields that differ from the edit.
 */
async function changedSince(userId: string, version: number, fallback: () => string[]): Promise<string[]> {
  const { items } = await findAudit({ entityId: userId, page: 1, pageSize: 200 });
  const fields = new Set<string>();
  for (const e of items) {
    const m = /^version (\d+)$/.exec(e.note ?? '');
    if (m && Number(m[1]) > version) for (const c of e.changes ?? []) if (c.field) fields.add(c.field);
  }
  return fields.size ? [...fields] : fallback();
}

async function staleError(doc: Loaded, version: number, edit: Record<string, unknown>, claimed: readonly string[] = []): Promise<ConflictError> {
  const current = snapshot(doc);
  const changed = await changedSince(String(doc._id), version, () =>
    Object.keys(edit).filter((k) => k in current && JSON.stringify(current[k] ?? null) !== JSON.stringify(edit[k] ?? null)),
  );
  // The winner's audit entry may not be written yet: what its claim says it changes counts too.
  for (const f of claimed) if (!changed.includes(f)) changed.push(f);
  return new ConflictError(MESSAGES.stale, { changed, version: versionOf(doc), current });
}

/** Saves a versioned change and audits it; a save that lost the race for its version becomes a ConflictError. */
async function saveAudited(ctx: RequestContext, doc: Loaded, action: string, changes: Change[]): Promise<void> {
  const readVersion = versionOf(doc);
  await saveVersioned('user', doc, {
    changed: changes.map((c) => c.field),
    lost: async (claimed) => {
      const fresh = await User.findById(doc._id);
      throw fresh ? await staleError(fresh, readVersion, {}, claimed) : new NotFoundError();
    },
  });
  await recordAudit(ctx, { action, entity: entityOf(doc), changes, note: `version ${versionOf(doc)}` });
}

// --- Reading -------------------------------------------------------------------------------------------

/**
 * People holding an acting charge on `today` in one of `offices` (all when undefined), with `role` if given.
 * The engine cannot $elemMatch on sub-documents, so a dotted-path query (which may match across different
 * charges) narrows the candidates and the exact test runs here; few people hold acting charges.
 */
async function actingHolders(offices: ReadonlySet<string> | undefined, role: Role | undefined, today: string): Promise<Types.ObjectId[]> {
  const pre: Record<string, unknown> = { 'actingCharges.from': { $lte: today }, 'actingCharges.to': { $gte: today } };
  if (offices) pre['actingCharges.office'] = { $in: [...offices].map((id) => new Types.ObjectId(id)) };
  if (role) pre['actingCharges.roles'] = role;
  const docs = await User.find(pre).select({ actingCharges: 1 }).lean();
  return docs
    .filter((d) =>
      (d.actingCharges ?? []).some(
        (c) => c.from <= today && today <= c.to && (!offices || offices.has(String(c.office))) && (!role || c.roles.includes(role)),
      ),
    )
    .map((d) => d._id);
}

/** People the caller may see (their user.read scope, or user.manage for the admin pages), filtered and paged. */
export async function listUsers(ctx: RequestContext, query: ListQuery): Promise<UserList> {
  const actor = actorOf(ctx);
  const tree = await officeTree();
  const today = todayOf(ctx);
  const pageSize = Math.min(Math.max(query.pageSize ?? PAGE_SIZE, 1), 100);
  let offices = scopeOffices(actor, query.action ?? 'user.read', tree);
  if (query.office) {
    const within = new Set(tree.subtreeIds(query.office));
    offices = new Set([...offices].filter((id) => within.has(id)));
  }
  const filter: Record<string, unknown> = {};
  const everything = tree.all().every((o) => offices.has(o.id));
  if (!everything || query.role) {
    const own = {
      ...(everything ? {} : { office: { $in: [...offices].map((id) => new Types.ObjectId(id)) } }),
      ...(query.role ? { roles: query.role } : {}),
    };
    // A person also counts where they hold an acting charge today.
    const acting = await actingHolders(everything ? undefined : offices, query.role, today);
    Object.assign(filter, acting.length ? { $or: [own, { _id: { $in: acting } }] } : own);
  }
  if (query.active === 'true') filter.active = { $ne: false };
  if (query.active === 'false') filter.active = false;
  const q = query.q ? searchKey(query.q) : '';
  if (q) filter.searchText = { $regex: escapeRegExp(q) };
  const [docs, total] = await Promise.all([
    User.find(filter)
      .select({
        username: 1,
        nameBn: 1,
        nameEn: 1,
        designationBn: 1,
        designationEn: 1,
        office: 1,
        roles: 1,
        active: 1,
        mustChangePassword: 1,
      })
      .sort({ nameBn: 1, _id: 1 })
      .skip((query.page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
    User.countDocuments(filter),
  ]);
  return { items: docs.map((d) => summaryOf(d as unknown as UserRecord, tree)), total, page: query.page, pageSize };
}

/** One person, if the caller may see them for `action` (404 outside the scope, 403 without the role). */
export async function getUser(
  ctx: RequestContext,
  userId: string,
  action: Extract<Action, 'user.read' | 'user.manage' | 'token.manage'> = 'user.read',
): Promise<UserDetail> {
  const { doc, tree, today } = await loadFor(ctx, userId, action);
  return withLastSignIn(detailOfDoc(doc, tree, today));
}

/** The signed-in person's own record. */
export async function getOwnProfile(ctx: RequestContext): Promise<UserDetail> {
  const actor = actorOf(ctx);
  const doc = await User.findById(actor.userId);
  if (!doc) throw new NotFoundError();
  return withLastSignIn(detailOfDoc(doc, await officeTree(), todayOf(ctx)));
}

/** The offices the caller may pick for `action`, depth-first with their depth (for indented pickers). */
export async function officeChoices(
  ctx: RequestContext,
  action: Action,
): Promise<{ id: string; nameBn: string; nameEn: string | null; depth: number; active: boolean }[]> {
  const actor = actorOf(ctx);
  const tree = await officeTree();
  const scope = scopeOffices(actor, action, tree);
  const out: { id: string; nameBn: string; nameEn: string | null; depth: number; active: boolean }[] = [];
  const seen = new Set<string>();
  const walk = (id: string, depth: number): void => {
    const node = tree.get(id);
    if (!node || seen.has(id)) return;
    seen.add(id);
    out.push({ id, nameBn: node.nameBn, nameEn: node.nameEn ?? null, depth, active: node.active });
    const kids = tree.children(id).sort((a, b) => a.nameBn.localeCompare(b.nameBn, 'bn'));
    for (const k of kids) walk(k.id, depth + 1);
  };
  // Start from the top-most offices of the scope (those whose parent is outside it).
  const tops = [...scope].map((id) => tree.get(id)).filter((n) => n && !(n.parent && scope.has(n.parent)));
  for (const top of tops.sort((a, b) => a!.nameBn.localeCompare(b!.nameBn, 'bn'))) walk(top!.id, 0);
  return out;
}

// --- Admin: create, edit, deactivate, reset --------------------------------------------------------------

/** Creates a person with a one-time password (returned once; they must change it at first sign-in). */
export async function createUser(ctx: RequestContext, input: CreateUserInput): Promise<{ user: UserDetail; oneTimePassword: string }> {
  const actor = actorOf(ctx);
  const tree = await officeTree();
  assertCan(actor, 'user.manage', tree); // the role; an office outside the subtree is a field error below
  assertOfficeAssignable(actor, tree, input.office, 'office');
  const oneTimePassword = generateOneTimePassword();
  const fields = {
    username: input.username,
    nameBn: input.nameBn,
    nameEn: input.nameEn ?? undefined,
    designationBn: input.designationBn,
    designationEn: input.designationEn ?? undefined,
    office: input.office,
    email: input.email ?? undefined,
    phone: input.phone ?? undefined,
    language: input.language,
    roles: [...new Set(input.roles)],
    active: true,
  };
  let doc: Loaded;
  try {
    doc = await User.create({
      ...fields,
      passwordHash: await hashPassword(oneTimePassword),
      mustChangePassword: true,
      searchText: searchTextOf(fields),
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError({ username: MESSAGES.usernameTaken });
    throw err;
  }
  await recordAudit(ctx, {
    action: 'user.create',
    entity: entityOf(doc),
    changes: [
      ...diff({}, { username: doc.username, ...snapshot(doc) }, ['username', ...AUDITED]),
      ...diff({}, { password: 'one-time' }, ['password']),
      { field: 'mustChangePassword', before: null, after: true },
    ],
    note: `version ${versionOf(doc)}`,
  });
  return { user: detailOfDoc(doc, tree, todayOf(ctx)), oneTimePassword };
}

/**
 * Edits a person (admin). `version` is the version the editor read: if the record changed since, nothing is
 * saved and a ConflictError names the changed fields (details.changed) with the current values.
 */
export async function updateUser(ctx: RequestContext, userId: string, input: UpdateUserInput): Promise<UserDetail> {
  const { actor, doc, tree, today } = await loadFor(ctx, userId, 'user.manage');
  const { version, active, ...fields } = input;
  const edit: Record<string, unknown> = { ...fields, ...(active === undefined ? {} : { active }) };
  if (versionOf(doc) !== version) throw await staleError(doc, version, edit);
  const self = String(doc._id) === actor.userId;
  if (fields.office !== undefined && fields.office !== String(doc.office))
    assertOfficeAssignable(actor, tree, fields.office, 'office', String(doc.office));
  if (self && fields.roles && !fields.roles.includes('admin') && doc.roles.includes('admin'))
    throw new ValidationError({ roles: MESSAGES.ownAdminRole });
  if (self && active === false) throw new OwnAccountError(MESSAGES.ownDeactivate);
  const before = snapshot(doc);
  if (fields.nameBn !== undefined) doc.nameBn = fields.nameBn;
  if (fields.nameEn !== undefined) doc.set('nameEn', fields.nameEn ?? undefined);
  if (fields.designationBn !== undefined) doc.designationBn = fields.designationBn;
  if (fields.designationEn !== undefined) doc.set('designationEn', fields.designationEn ?? undefined);
  if (fields.office !== undefined) doc.set('office', fields.office);
  if (fields.email !== undefined) doc.set('email', fields.email ?? undefined);
  if (fields.phone !== undefined) doc.set('phone', fields.phone ?? undefined);
  if (fields.language !== undefined) doc.language = fields.language;
  if (fields.roles !== undefined) doc.set('roles', [...new Set(fields.roles)]);
  if (active !== undefined) doc.active = active;
  doc.searchText = searchTextOf(doc);
  const changes = diff(before, snapshot(doc), AUDITED);
  // A change of the active flag alone is audited as what it is.
  const action = changes.length === 1 && changes[0]!.field === 'active' ? (active ? 'user.reactivate' : 'user.deactivate') : 'user.update';
  if (changes.length) await saveAudited(ctx, doc, action, changes);
  return withLastSignIn(detailOfDoc(doc, tree, today));
}

async function setActive(ctx: RequestContext, userId: string, active: boolean): Promise<UserDetail> {
  const { actor, doc, tree, today } = await loadFor(ctx, userId, 'user.manage');
  if (!active && String(doc._id) === actor.userId) throw new OwnAccountError(MESSAGES.ownDeactivate);
  if ((doc.active !== false) !== active) {
    const before = snapshot(doc);
    doc.active = active;
    await saveAudited(ctx, doc, active ? 'user.reactivate' : 'user.deactivate', diff(before, snapshot(doc), ['active']));
  }
  return withLastSignIn(detailOfDoc(doc, tree, today));
}

/** Deactivates a person: their sessions and tokens stop working at once. An admin cannot deactivate themself. */
export function deactivateUser(ctx: RequestContext, userId: string): Promise<UserDetail> {
  return setActive(ctx, userId, false);
}

/** Lets a deactivated person sign in again. */
export function reactivateUser(ctx: RequestContext, userId: string): Promise<UserDetail> {
  return setActive(ctx, userId, true);
}

/** Replaces a person's password with a new one-time password (returned once) that they must change. */
export async function resetPassword(ctx: RequestContext, userId: string): Promise<{ user: UserDetail; oneTimePassword: string }> {
  const { doc, tree, today } = await loadFor(ctx, userId, 'user.manage', true);
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  // Versioned, so a simultaneous admin edit cannot write the old hash back; passwordChangedAt ends every API
  // token issued before it (auth.service compares it with the token's stamp).
  doc.set('__v', await writePassword(doc._id, { passwordHash, mustChangePassword: true, passwordChangedAt: ctx.clock.now() }));
  await recordAudit(ctx, {
    action: 'user.reset-password',
    entity: entityOf(doc),
    changes: [
      ...diff({ password: doc.passwordHash }, { password: passwordHash }, ['password']),
      ...(doc.mustChangePassword ? [] : [{ field: 'mustChangePassword', before: false, after: true }]),
    ],
  });
  doc.mustChangePassword = true;
  return { user: await withLastSignIn(detailOfDoc(doc, tree, today)), oneTimePassword };
}

// --- Acting charges ------------------------------------------------------------------------------------

function chargeValue(c: {
  office: unknown;
  roles: readonly Role[];
  designationBn: string;
  designationEn?: string | null;
  from: string;
  to: string;
  note?: string | null;
}) {
  return {
    office: String(c.office),
    roles: [...c.roles],
    designationBn: c.designationBn,
    designationEn: c.designationEn ?? null,
    from: c.from,
    to: c.to,
    note: c.note ?? null,
  };
}

/** Gives a person a second post (office in the admin's subtree, roles, designation) for a Dhaka date range. */
export async function addActingCharge(ctx: RequestContext, userId: string, input: ActingChargeInput): Promise<ActingChargeView> {
  const { actor, doc, tree, today } = await loadFor(ctx, userId, 'user.manage');
  assertOfficeAssignable(actor, tree, input.office, 'office');
  if (input.to < input.from)
    throw new ValidationError({
      to: { bn: 'শেষের তারিখ শুরুর তারিখের আগে হতে পারে না।', en: 'The end date cannot be before the start date.' },
    });
  const charge = {
    _id: new Types.ObjectId(),
    office: new Types.ObjectId(input.office),
    roles: [...new Set(input.roles)],
    designationBn: input.designationBn,
    designationEn: input.designationEn ?? undefined,
    from: input.from,
    to: input.to,
    note: input.note ?? undefined,
  };
  doc.actingCharges.push(charge);
  await saveAudited(ctx, doc, 'user.acting-add', [
    { field: 'actingCharge', before: null, after: { id: String(charge._id), ...chargeValue(charge) } },
  ]);
  const view = detailOfDoc(doc, tree, today).actingCharges.find((c) => c.id === String(charge._id));
  if (!view) throw new Error('acting charge vanished after save');
  return view;
}

/** Ends an acting charge by removing it (the audit log keeps what it was). */
export async function removeActingCharge(ctx: RequestContext, userId: string, chargeId: string): Promise<void> {
  const { doc } = await loadFor(ctx, userId, 'user.manage');
  const charge = isObjectId(chargeId) ? doc.actingCharges.find((c) => String(c._id) === chargeId) : undefined;
  if (!charge) throw new NotFoundError();
  const before = { id: chargeId, ...chargeValue(charge) };
  // A whole-array $set: the engine applies a $pull of sub-documents unreliably.
  doc.set(
    'actingCharges',
    doc.actingCharges.filter((c) => String(c._id) !== chargeId),
  );
  await saveAudited(ctx, doc, 'user.acting-remove', [{ field: 'actingCharge', before, after: null }]);
}

// --- One's own profile and password --------------------------------------------------------------------

/** Edits one's own names, e-mail, phone and language (never roles, office or username). */
export async function updateOwnProfile(ctx: RequestContext, input: ProfileInput): Promise<UserDetail> {
  const actor = actorOf(ctx);
  const doc = await User.findById(actor.userId);
  if (!doc) throw new NotFoundError();
  const tree = await officeTree();
  const { version, ...fields } = input;
  if (version !== undefined && versionOf(doc) !== version) throw await staleError(doc, version, fields);
  const before = snapshot(doc);
  if (fields.nameBn !== undefined) doc.nameBn = fields.nameBn;
  if (fields.nameEn !== undefined) doc.set('nameEn', fields.nameEn ?? undefined);
  if (fields.email !== undefined) doc.set('email', fields.email ?? undefined);
  if (fields.phone !== undefined) doc.set('phone', fields.phone ?? undefined);
  if (fields.language !== undefined) doc.language = fields.language;
  doc.searchText = searchTextOf(doc);
  const changes = diff(before, snapshot(doc), AUDITED);
  if (changes.length) await saveAudited(ctx, doc, 'user.profile-update', changes);
  return withLastSignIn(detailOfDoc(doc, tree, todayOf(ctx)));
}

/**
 * Changes one's own password: the current one is required; the new one has at least 10 characters and is
 * neither the username nor the current password. Clears "must change password".
 */
export async function changeOwnPassword(ctx: RequestContext, input: ChangePasswordInput): Promise<void> {
  const actor = actorOf(ctx);
  const doc = await User.findById(actor.userId).select('+passwordHash').lean();
  if (!doc) throw new NotFoundError();
  if (!(await verifyPassword(doc.passwordHash, input.currentPassword)))
    throw new ValidationError({ currentPassword: MESSAGES.wrongCurrent });
  if (input.newPassword.trim().toLowerCase() === doc.username.toLowerCase())
    throw new ValidationError({ newPassword: MESSAGES.sameAsUsername });
  if (input.newPassword === input.currentPassword) throw new ValidationError({ newPassword: MESSAGES.sameAsCurrent });
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  await writePassword(doc._id, { passwordHash, mustChangePassword: false, passwordChangedAt: now });
  await recordAudit(ctx, {
    action: 'user.password-change',
    entity: entityOf(doc),
    changes: [
      ...diff({ password: doc.passwordHash }, { password: passwordHash }, ['password']),
      ...(doc.mustChangePassword ? [{ field: 'mustChangePassword', before: true, after: false }] : []),
    ],
  });
}

// --- API tokens ----------------------------------------------------------------------------------------

export type TokenStatus = 'active' | 'expired' | 'revoked';

export interface TokenInfo extends TokenView {
  readonly status: TokenStatus;
}

function withStatus(ctx: RequestContext, tokens: TokenView[]): TokenInfo[] {
  const now = ctx.clock.now();
  return tokens.map((t) => ({ ...t, status: t.revokedAt ? 'revoked' : t.expiresAt <= now ? 'expired' : 'active' }));
}

/** One's own API tokens (hashes only; the token itself is never stored). */
export async function listOwnTokens(ctx: RequestContext): Promise<TokenInfo[]> {
  return withStatus(ctx, await listTokens([actorOf(ctx).userId]));
}

/** Issues an API token for oneself; the token is returned once. */
export async function createOwnToken(
  ctx: RequestContext,
  settings: AuthSettings,
  name?: string,
): Promise<{ token: string; expiresAt: Date; id: string }> {
  const actor = actorOf(ctx);
  return issueToken({ ...ctx, actor }, settings, name ?? 'API');
}

/** Revokes a token: one's own, or (token.manage) another person's in the caller's subtree. */
export async function revokeOwnOrManagedToken(ctx: RequestContext, tokenId: string): Promise<void> {
  const actor = actorOf(ctx);
  const token = await findToken(tokenId);
  if (!token) throw new NotFoundError();
  const owner = await User.findById(token.user).lean();
  const office = owner ? String(owner.office) : undefined;
  if (token.user !== actor.userId) assertCan(actor, 'token.manage', await officeTree(), { office: office ?? null });
  await revokeToken(ctx, token.id, { id: token.user, office });
}

/** A person's API tokens (token.manage, within the admin's subtree). */
export async function listUserTokens(ctx: RequestContext, userId: string): Promise<{ user: UserDetail; tokens: TokenInfo[] }> {
  const user = await getUser(ctx, userId, 'token.manage');
  return { user, tokens: withStatus(ctx, await listTokens([user.id])) };
}

/** Revokes one of a person's tokens (token.manage); a token of someone else is not found. */
export async function revokeUserToken(ctx: RequestContext, userId: string, tokenId: string): Promise<void> {
  const user = await getUser(ctx, userId, 'token.manage');
  const token = await findToken(tokenId);
  if (!token || token.user !== user.id) throw new NotFoundError();
  await revokeToken(ctx, token.id, { id: user.id, office: user.office.id });
}
