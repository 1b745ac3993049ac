// One's own profile and password: names, e-mail, phone and language (never roles, office or username), and a
// password change that needs the current password and clears "must change password".
import { NotFoundError, ValidationError, type Message } from '../../kernel/errors.js';
import { diff, recordAudit } from '../audit/index.js';
import { officeTree } from '../offices/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { withLastSignIn } from './last-sign-in.js';
import { hashPassword, verifyPassword } from './password.js';
import type { ChangePasswordInput, ProfileInput } from './user.schemas.js';
import { User } from './user.model.js';
import { AUDITED, detailOfDoc, entityOf, searchTextOf, snapshot, versionOf, type UserDetail } from './user.records.js';
import { actorOf, saveAudited, staleError, todayOf, writePassword } from './user.store.js';

const msg = (bn: string, en: string): Message => ({ bn, en });

const MESSAGES = {
  wrongCurrent: msg('বর্তমান পাসওয়ার্ড সঠিক নয়।', 'The current password is not correct.'),
  sameAsCurrent: msg('নতুন পাসওয়ার্ড বর্তমান পাসওয়ার্ডের থেকে আলাদা হতে হবে।', 'The new password must differ from the current one.'),
  sameAsUsername: msg('ব্যবহারকারীর নাম পাসওয়ার্ড হিসেবে ব্যবহার করা যাবে না।', 'The username cannot be used as the password.'),
};

/** The signed-in person's own record. */
export async function getOwnProfile(ctx: RequestContext): Promise<UserDetail> {
  const actor = actorOf(ctx);
  const doc = await User.findById(actor.userId);
  if (!doc) throw new NotFoundError();
  return withLastSignIn(detailOfDoc(doc, await officeTree(), todayOf(ctx)));
}

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
