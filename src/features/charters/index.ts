// The public face of the charters feature: what other features and the wiring may use.
export { parseCharter } from './charter-parser.js';
export { Charter } from './charter.model.js';
export { charterRoutes } from './charter.routes.js';
export { chartersText } from './charters.i18n.js';
