// What the offices feature uses from other features, in one place. The people working in an office (users sit
// above offices) come in through OfficePeople, given by the wiring.
export type { Actor } from '../../kernel/actor.js';
export { contextOf } from '../access/index.js';
export { assertCan, decide, permittedPosts, scopeOffices, type Action } from '../access/index.js';
export { actorOf, Routes, type RouteTable } from '../access/index.js';
export type { RequestContext } from '../../kernel/context.js';
export { diff, findAudit, recordAudit, type Change } from '../audit/index.js';
