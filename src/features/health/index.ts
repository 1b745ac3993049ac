// The public face of the health feature: what other features and the wiring may use.
export { healthRouter } from './health.routes.js';
