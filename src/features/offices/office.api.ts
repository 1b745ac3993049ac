// The offices API (/api/v1/offices) and its OpenAPI description. Every route names its access on its line;
// a PATCH checks the office's scope (404 outside the caller's subtree) before reading the body.
import { z } from 'zod';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import { apiListItem, apiRecord, officeDetailOut, officeOut } from './office.api-shapes.js';
import { getOffice, listOffices } from './office.queries.js';
import { createOfficeSchema, listOfficesQuery, updateOfficeSchema } from './office.schemas.js';
import { createOffice, deactivateOffice, reactivateOffice, updateOffice, type OfficePeople } from './office.service.js';
import { actorOf, contextOf, type Routes } from '../access/index.js';

/** Registers the offices API and adds it to the OpenAPI description. */
export function officeApi(apiRoutes: Routes, api: OpenApiRegistry, people: OfficePeople): void {
  apiRoutes.get('/offices', 'office.read', async (req, res) => {
    const q = parseOrThrow(listOfficesQuery, req.query);
    const items = await listOffices(actorOf(req), {
      q: q.q,
      level: q.level,
      parent: q.parent,
      active: q.active === undefined ? undefined : q.active === 'true',
    });
    res.json({ items: items.map(apiListItem) });
  });

  apiRoutes.get('/offices/:officeId', 'office.read', async (req, res) => {
    res.json(apiRecord(await getOffice(contextOf(req), String(req.params.officeId), 'office.read')));
  });

  apiRoutes.post('/offices', 'office.manage', async (req, res) => {
    const input = parseOrThrow(createOfficeSchema, req.body ?? {});
    res.status(201).json(apiRecord(await createOffice(contextOf(req), input)));
  });

  apiRoutes.patch('/offices/:officeId', 'office.manage', async (req, res) => {
    const ctx = contextOf(req);
    const id = String(req.params.officeId);
    await getOffice(ctx, id, 'office.manage'); // 404 outside the subtree, before reading the body
    const input = parseOrThrow(updateOfficeSchema, req.body ?? {});
    res.json(apiRecord(await updateOffice(ctx, id, input)));
  });

  apiRoutes.post('/offices/:officeId/deactivate', 'office.manage', async (req, res) => {
    res.json(apiRecord(await deactivateOffice(contextOf(req), String(req.params.officeId), people)));
  });

  apiRoutes.post('/offices/:officeId/reactivate', 'office.manage', async (req, res) => {
    res.json(apiRecord(await reactivateOffice(contextOf(req), String(req.params.officeId))));
  });

  // ----- OpenAPI -----

  const officeIdPath = '/api/v1/offices/{officeId}';
  api.add({
    method: 'get',
    path: '/api/v1/offices',
    summary: 'Offices the caller may see (their subtree), in tree order',
    tags: ['offices'],
    auth: true,
    query: listOfficesQuery,
    responses: { 200: { description: '{ items }', schema: z.object({ items: z.array(officeOut) }) } },
  });
  api.add({
    method: 'get',
    path: officeIdPath,
    summary: "One office with its version (404 outside the caller's subtree)",
    tags: ['offices'],
    auth: true,
    responses: {
      200: { description: 'The office', schema: officeDetailOut },
      404: { description: "Not found or outside the caller's subtree" },
    },
  });
  api.add({
    method: 'post',
    path: '/api/v1/offices',
    summary: "Create an office under a parent in the admin's subtree",
    tags: ['offices'],
    auth: true,
    body: createOfficeSchema,
    responses: {
      201: { description: 'Created', schema: officeDetailOut },
      400: { description: 'Field errors (error.fields), e.g. code already used, parent outside the subtree' },
    },
  });
  api.add({
    method: 'patch',
    path: officeIdPath,
    summary: 'Edit or move an office; send the version you read',
    tags: ['offices'],
    auth: true,
    body: updateOfficeSchema,
    responses: {
      200: { description: 'Saved', schema: officeDetailOut },
      400: { description: 'Field errors' },
      409: { description: 'Stale version: error.details.changed lists the fields changed since' },
    },
  });
  api.add({
    method: 'post',
    path: `${officeIdPath}/deactivate`,
    summary: 'Deactivate an office (refused while active offices or users are in it)',
    tags: ['offices'],
    auth: true,
    responses: {
      200: { description: 'Deactivated', schema: officeDetailOut },
      409: { description: 'Active offices below it or active users in it' },
    },
  });
  api.add({
    method: 'post',
    path: `${officeIdPath}/reactivate`,
    summary: 'Reactivate an office (its parent must be active)',
    tags: ['offices'],
    auth: true,
    responses: { 200: { description: 'Reactivated', schema: officeDetailOut }, 409: { description: 'The parent office is inactive' } },
  });
}
