import type { Request } from 'express';
import type { Clock } from '../../lib/index.js';
import type { RequestContext } from '../../kernel/context.js';

/** The service-facing context of a request: actor, address, request id and the app's clock. */
export function contextOf(req: Request): RequestContext {
  return {
    actor: req.user,
    ip: req.ip,
    requestId: typeof req.id === 'string' ? req.id : undefined,
    clock: req.app.locals.clock as Clock,
  };
}
