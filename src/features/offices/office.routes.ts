// Pages and API of the offices feature, registered in this order: the office pages, the upazila pages, the
// offices API, the reference API (each API file adds its own OpenAPI description).
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { geographyApi } from './geography.api.js';
import { officeApi } from './office.api.js';
import { officePages } from './office.pages.js';
import type { OfficePeople } from './office.service.js';
import { upazilaPages } from './upazila.pages.js';
import { Routes, type RouteTable } from '../access/index.js';

export function officeRoutes(deps: { table: RouteTable; api: OpenApiRegistry } & OfficePeople): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const apiRoutes = new Routes(deps.table, 'api', '/api/v1');
  officePages(pages, deps);
  upazilaPages(pages);
  officeApi(apiRoutes, deps.api, deps);
  geographyApi(apiRoutes, deps.api);
  return { pages, apiRoutes };
}
