// Pages and API of the users feature. Routes are thin: parse, call the service, render or answer. The pages and
// the API of each part live in their own files; this puts them together in the order they were always declared.
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import type { TokenSettings } from './api-tokens.js';
import { Routes, type RouteTable } from '../access/index.js';
import { adminPages } from './admin.pages.js';
import { profilePages } from './profile.pages.js';
import { ownTokenPages, userTokenPages } from './tokens.pages.js';
import { userApi } from './user.api.js';

/** The configuration default (TOKEN_DAYS), used when the app does not pass its auth settings. */
const DEFAULT_SETTINGS: TokenSettings = { tokenDays: 90 };

export function userRoutes(deps: { table: RouteTable; api: OpenApiRegistry; settings?: TokenSettings }): {
  pages: Routes;
  apiRoutes: Routes;
} {
  const pages = new Routes(deps.table, 'page');
  const apiRoutes = new Routes(deps.table, 'api', '/api/v1');
  const settings = deps.settings ?? DEFAULT_SETTINGS;

  adminPages(pages);
  userTokenPages(pages);
  profilePages(pages);
  ownTokenPages(pages, settings);
  userApi(apiRoutes, deps.api);
  return { pages, apiRoutes };
}
