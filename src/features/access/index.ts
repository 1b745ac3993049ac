// The public face of the access feature: what other features and the wiring may use.
export { contextOf } from './context.js';
export { navigationFor } from './navigation.js';
export { assertCan, decide, permittedPosts, scopeOffices, type Action, type Target } from './policy.js';
export { Routes, actorOf, type RouteTable } from './routes.js';
