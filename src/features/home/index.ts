// The public face of the home feature: what other features and the wiring may use.
export { homeRoutes } from './home.routes.js';
