// What the users feature uses from other features, in one place: the access guard and policy, the audit log,
// and the office tree. The feature's own files import these from here, so its reliance on other
// features' internals is listed once (and changes here when those features publish an index.ts).
export type { Actor } from '../access/actor.js';
export { contextOf } from '../access/context.js';
export { assertCan, scopeOffices, type Action, type Target } from '../access/policy.js';
export { Routes, actorOf, type RouteTable } from '../access/routes.js';
export { diff, findAudit, recordAudit, type Change, type RequestContext } from '../audit/audit.service.js';
export { officeTree, type OfficeTree } from '../offices/index.js';
