// What the offices feature uses from other features, in one place. The people working in an office (users sit
// above offices) come in through OfficePeople, given by the wiring.
export type { Actor } from '../access/actor.js';
export { contextOf } from '../access/context.js';
export { assertCan, decide, permittedPosts, scopeOffices, type Action } from '../access/policy.js';
export { actorOf, Routes, type RouteTable } from '../access/routes.js';
export { diff, findAudit, recordAudit, type Change, type RequestContext } from '../audit/audit.service.js';
