// An initiative's profile as a PDF (API and page), printed under its office's letterhead.
import type { RequestHandler } from 'express';
import type { Config } from '../../config.js';
import type { Clock } from '../../lib/index.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import type { PdfRenderer } from '../../platform/pdf/index.js';
import { Routes, actorOf, type RouteTable } from '../access/index.js';
import { renderInitiativeProfile } from './initiative-pdf.js';
import { getInitiative } from './initiative.service.js';

export function initiativePdfRoutes(deps: { table: RouteTable; api: OpenApiRegistry; config: Config; pdf: () => PdfRenderer }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const api = new Routes(deps.table, 'api', '/api/v1');

  const profilePdf: RequestHandler = async (req, res) => {
    // getInitiative enforces the scope (404 outside it) before anything is rendered.
    const d = await getInitiative(actorOf(req), String(req.params.initiativeId));
    const pdf = await renderInitiativeProfile(deps.pdf(), d, { clock: req.app.locals.clock as Clock, stuckPilotMonths: deps.config.initiatives.stuckPilotMonths });
    res.set('Content-Type', 'application/pdf');
    res.set('Content-Disposition', `inline; filename="initiative-${String(d._id)}.pdf"`);
    res.set('Cache-Control', 'private, no-cache');
    res.send(pdf);
  };
  api.get('/initiatives/:initiativeId/profile.pdf', 'initiative.read', profilePdf);
  pages.get('/initiatives/:initiativeId/profile.pdf', 'initiative.read', profilePdf);

  deps.api.add({
    method: 'get',
    path: '/api/v1/initiatives/{initiativeId}/profile.pdf',
    summary: "The initiative's profile as an A4 Bangla PDF under its office's letterhead: facts, problem, solution, TCV, stage timeline (both calendars), replication areas. Rendered fresh on every request",
    tags: ['initiatives'],
    auth: true,
    responses: { 200: { description: 'application/pdf', contentType: 'application/pdf' }, 404: { description: 'No such initiative, or outside your scope' } },
  });
  return { pages, apiRoutes: api };
}
