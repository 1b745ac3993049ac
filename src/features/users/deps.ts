// What the users feature uses from other features, in one place: the access guard and policy, the audit log,
// and the office tree. The feature's own files import these from here, so its reliance on other
// features' internals is listed once (and changes here when those features publish an index.ts).
export type { Actor } from '../../kernel/actor.js';
export { contextOf } from '../access/index.js';
export { assertCan, scopeOffices, type Action, type Target } from '../access/index.js';
export { Routes, actorOf, type RouteTable } from '../access/index.js';
export type { RequestContext } from '../../kernel/context.js';
export { diff, findAudit, recordAudit, type Change } from '../audit/index.js';
export { officeTree, type OfficeTree } from '../offices/index.js';
