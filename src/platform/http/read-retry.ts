// A GET that meets a transient engine error (a connection reset, a restart, a reply out of step) is run once
// more before it is answered with 503: reading again changes nothing, and most such errors last one request.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isTransientDbError } from '../db/transient.js';

/** How long the second try waits: long enough for the driver to notice a dropped connection and open another. */
export const READ_RETRY_DELAY_MS = 250;

const retried = new WeakSet<Request>();

/** A GET route's handler, retried once on a transient database error when nothing has been sent yet. */
export function retryTransientReads(handler: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const run = () => {
      let settled = false;
      const onNext: NextFunction = (err?: unknown) => {
        if (settled) return;
        settled = true;
        if (err && err !== 'route' && err !== 'router' && isTransientDbError(err) && !res.headersSent && !retried.has(req)) {
          retried.add(req);
          req.log?.warn({ err }, 'transient database error on a read; trying once more');
          setTimeout(run, READ_RETRY_DELAY_MS);
          return;
        }
        next(err as Error);
      };
      try {
        Promise.resolve(handler(req, res, onNext)).catch(onNext);
      } catch (err) {
        onNext(err);
      }
    };
    run();
  };
}
