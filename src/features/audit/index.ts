// The public face of the audit feature: what other features and the wiring may use.
export { auditText } from './audit.i18n.js';
export { AuditEntry } from './audit.model.js';
export { auditRoutes } from './audit.routes.js';
export { diff, fieldsChangedSince, findAudit, recordAudit, type Change } from './audit.service.js';
