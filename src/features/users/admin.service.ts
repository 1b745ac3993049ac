// People management by admins: create people with a one-time password, edit them, deactivate and reactivate
// them, reset their passwords and give them acting charges (চলতি/অতিরিক্ত দায়িত্ব). Every change is audited
// with before/after values (passwords masked).
import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { ForbiddenError, NotFoundError, ValidationError, type Message } from '../../kernel/errors.js';
import { assertCan, scopeOffices } from '../access/index.js';
import { diff, recordAudit } from '../audit/index.js';
import { officeTree, type OfficeTree } from '../offices/index.js';
import type { Actor } from '../../kernel/actor.js';
import type { RequestContext } from '../../kernel/context.js';
import { withLastSignIn } from './last-sign-in.js';
import { hashPassword } from './password.js';
import type { ActingChargeInput, CreateUserInput, UpdateUserInput } from './user.schemas.js';
import { User, type Role } from './user.model.js';
import {
  AUDITED,
  detailOfDoc,
  entityOf,
  searchTextOf,
  snapshot,
  versionOf,
  type ActingChargeView,
  type Loaded,
  type UserDetail,
} from './user.records.js';
import { actorOf, isObjectId, loadFor, saveAudited, staleError, todayOf, writePassword } from './user.store.js';

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
};

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

function assertOfficeAssignable(actor: Actor, tree: OfficeTree, officeId: string, field: string, current?: string): void {
  const scope = scopeOffices(actor, 'user.manage', tree);
  if (!scope.has(officeId)) throw new ValidationError({ [field]: MESSAGES.officeOutside });
  // An inactive office takes no new people (one already there may stay).
  if (officeId !== current && tree.get(officeId)?.active === false) throw new ValidationError({ [field]: MESSAGES.officeInactive });
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
