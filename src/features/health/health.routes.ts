import { Router } from 'express';
import { z } from 'zod';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';

export interface HealthDeps {
  /** Resolves true when the database answers. */
  readonly pingDatabase: () => Promise<boolean>;
}

/** GET /healthz: 200 {"status":"ok"} while the database answers, 503 otherwise. */
export function healthRouter(deps: HealthDeps, api: OpenApiRegistry): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const ok = await deps.pingDatabase();
    res.set('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json(ok ? { status: 'ok' } : { status: 'unavailable', database: 'down' });
  });
  api.add({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and database reachability',
    tags: ['health'],
    responses: {
      200: { description: 'The app and its database answer', schema: z.object({ status: z.literal('ok') }) },
      503: { description: 'The database does not answer', schema: z.object({ status: z.string(), database: z.string() }) },
    },
  });
  return router;
}
