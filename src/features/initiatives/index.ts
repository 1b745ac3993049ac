// The public face of the initiatives feature: what other features and the wiring may use.
export { Attachment, AttachmentFile } from './attachment.model.js';
export { attachmentRoutes } from './attachment.routes.js';
export { attachmentsText } from './attachments.i18n.js';
export { initiativePdfRoutes } from './initiative-pdf.routes.js';
export { Initiative, InitiativeChange, Transition } from './initiative.model.js';
export { initiativeReadModel, recordInitiativeChange } from './initiative.read-model.js';
export { initiativeRoutes } from './initiative.routes.js';
export { listQuerySchema } from './initiative.schemas.js';
export { getInitiative, listInitiatives } from './initiative.service.js';
export { initiativesText } from './initiatives.i18n.js';
