// What the offices feature uses from other features, in one place. access and audit have no index.ts yet, and
// the users feature's index.ts does not export the User model (deactivating an office needs to know whether
// people still work in it); when they do, only these lines change.
export type { Actor } from '../access/actor.js';
export { contextOf } from '../access/context.js';
export { assertCan, decide, permittedPosts, scopeOffices, type Action } from '../access/policy.js';
export { actorOf, Routes, type RouteTable } from '../access/routes.js';
export { diff, findAudit, recordAudit, type Change, type RequestContext } from '../audit/audit.service.js';
export { User } from '../users/user.model.js';
