// The public face of the letterhead feature: what other features and the wiring may use.
export { letterheadText } from './letterhead.i18n.js';
export { Letterhead, LetterheadHistory } from './letterhead.model.js';
export { letterheadRoutes } from './letterhead.routes.js';
export { letterheadFor, saveLetterhead } from './letterhead.service.js';
