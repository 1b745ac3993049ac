// The offices feature's public face for other features: the tree, scope-checked reads and geography.
export { OFFICE_LEVELS, type OfficeLevel } from './office.model.js';
export type { OfficeListItem } from './office.queries.js';
export type { OfficeRecord } from './office.record.js';
export type { UpazilaRecord } from './geography.service.js';
export type { AncestorRepair } from './office.ancestors.js';
export type { OfficeNode, OfficeTree } from './office-tree.js';
export type { District, Division } from './reference/bd-geography.js';

/** The office tree read model (cached, reloaded within a second of any office write). */
export { officeTree } from './office-tree.js';
/** Tells every app instance to reload the office tree; call after writing offices outside this feature. */
export { markOfficesChanged } from './office-tree.js';
/** One office the actor may read (or manage): 403 without the role, 404 outside their subtree. */
export { getOffice } from './office.queries.js';
/** The offices the actor may see, in tree order, filtered by text, level, parent or state. */
export { listOffices } from './office.queries.js';
/** Recomputes every office's ancestors from its parent links; idempotent, meant for start-up. */
export { repairAncestors } from './office.ancestors.js';
/** Upazilas (imported reference data), optionally of one district. */
export { listUpazilas } from './geography.service.js';
/** The 8 divisions with their districts, sorted by Bangla name. */
export { divisionsWithDistricts } from './geography.service.js';
/** The 64 districts and 8 divisions (ISO and BBS codes, Bangla and English names). */
export { DISTRICTS, DIVISIONS } from './reference/bd-geography.js';
/** Finds a district by ISO code, BBS code or Bangla/English name. */
export { findDistrict } from './reference/bd-geography.js';
export { Office } from './office.model.js';
export { officeRoutes } from './office.routes.js';
export { officesText } from './offices.i18n.js';
export { Upazila } from './upazila.model.js';
