// What the meeting services use from features that have no index.ts (public face) yet: access rules, the audit
// log, memo numbers and the user model, imported in this one place instead of in each service file. The
// offices feature is imported through its index.ts directly.
export type { Actor, Post } from '../../kernel/actor.js';
export { assertCan, decide, permittedPosts, type Target } from '../access/index.js';
export type { RequestContext } from '../../kernel/context.js';
export { recordAudit } from '../audit/index.js';
export { claimForDocument } from '../memo-numbers/index.js';
export { User } from '../users/index.js';
