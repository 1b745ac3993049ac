// The public face of the auth feature: what other features and the wiring may use.
export { authJobs } from './auth.jobs.js';
export { SignInSlot, SignInState } from './auth.model.js';
export { authRoutes } from './auth.routes.js';
export { authMarker, authenticate, loadActor } from './auth.service.js';
export { bearerAuth, exemptFromCsrf } from './bearer.js';
