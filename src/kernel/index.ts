// The shared kernel: what every feature speaks and no feature owns. Features depend on it, on platform and lib,
// and on each other's public face (their index.ts) only.
export { allRoles, hasRole, primaryPost, type Actor, type Post } from './actor.js';
export { fixedClock, systemClock, type Clock } from './clock.js';
export type { RequestContext } from './context.js';
export * from './errors.js';
export { OFFICE_LEVELS, OfficeTree, type OfficeLevel, type OfficeNode, type OfficeTreeSnapshot } from './office-tree.js';
export { ROLES, type Role } from './roles.js';
