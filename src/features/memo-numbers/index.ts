// The public face of the memo-numbers feature: what other features and the wiring may use.
export { MemoHint, MemoNumber, MemoRegister } from './memo.model.js';
export { memoRoutes } from './memo.routes.js';
export { claimForDocument, createRegister } from './memo.service.js';
