// The users feature's public face: other features read people and act on them only through these.
export {
  /** People the caller may see (office subtree; acting charges in force count too), filtered and paged. */
  listUsers,
  /** One person, checked against the caller's scope for the action (404 outside it). */
  getUser,
  /** Offices the caller may pick for an action, depth-first with depth, for indented pickers. */
  officeChoices,
  /** Active people working in an office (own post, or an acting charge running on or after a Dhaka date). */
  activePeopleIn,
} from './directory.service.js';
export {
  /** Creates a person with a one-time password (returned once) that must be changed at first sign-in. */
  createUser,
  /** Edits a person at the version read; a stale version is a ConflictError naming the changed fields. */
  updateUser,
  /** Deactivates a person (never oneself); their sessions and tokens stop working. */
  deactivateUser,
  /** Lets a deactivated person sign in again. */
  reactivateUser,
  /** Issues a new one-time password (returned once) that must be changed. */
  resetPassword,
  /** Gives a person an acting charge (চলতি/অতিরিক্ত দায়িত্ব): office, roles, designation, Dhaka dates. */
  addActingCharge,
  /** Removes an acting charge (the audit log keeps it). */
  removeActingCharge,
  /** A readable one-time password: three groups of four characters without look-alikes. */
  generateOneTimePassword,
  /** Refusal about one's own account (deactivating oneself, dropping one's own admin role). */
  OwnAccountError,
} from './admin.service.js';
export {
  /** The signed-in person's own record. */
  getOwnProfile,
  /** Edits one's own names, e-mail, phone and language. */
  updateOwnProfile,
  /** Changes one's own password (current one required) and clears "must change password". */
  changeOwnPassword,
} from './profile.service.js';
export {
  /** One's own API tokens. */
  listOwnTokens,
  /** Issues an API token for oneself (returned once). */
  createOwnToken,
  /** Revokes one's own token, or another person's with token.manage in scope. */
  revokeOwnOrManagedToken,
  /** A person's API tokens (token.manage). */
  listUserTokens,
  /** Revokes one of a person's tokens (token.manage). */
  revokeUserToken,
} from './tokens.service.js';
export {
  /** The stored search text of a person (NFC, lower case: names, username, designation). */
  searchTextOf,
} from './user.records.js';
export type { UserSummary, UserDetail, ActingChargeView } from './user.records.js';
export type { UserList, ListQuery } from './directory.service.js';
export type { TokenInfo } from './tokens.service.js';
export { ROLES, type Role } from './user.model.js';
export { ApiToken, TOKEN_PREFIX, findToken, issueToken, listTokens, revokeToken, tokenId, tokenRecord, touchToken, type TokenSettings, type TokenView } from './api-tokens.js';
export { recordSignIn } from './last-sign-in.js';
export { hashPassword, verifyPassword } from './password.js';
export { rememberLanguage } from './user-field-write.js';
export { User } from './user.model.js';
export { userRoutes } from './user.routes.js';
export { backfillUsernames, forgetUsername, recordUsername, userIdForUsername, usernamesComplete } from './username-index.js';
export { usersText } from './users.i18n.js';
