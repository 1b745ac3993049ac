// What the meeting services use from features that have no index.ts (public face) yet: access rules, the audit
// log, memo numbers and the user model, imported in this one place instead of in each service file. The
// offices feature is imported through its index.ts directly.
export type { Actor, Post } from '../access/actor.js';
export { assertCan, decide, permittedPosts, type Target } from '../access/policy.js';
export { recordAudit, type RequestContext } from '../audit/audit.service.js';
export { claimForDocument } from '../memo-numbers/memo.service.js';
export { User } from '../users/user.model.js';
