// Declaring a route declares its guard: routes.post('/admin/users', 'user.manage', handler).
// Every declaration is recorded (app.locals.routeTable), so a generated test can walk every route × role ×
// scope. The guard authenticates (page → redirect to sign-in, API → 401) and checks the role part of the
// rule (403); the handler checks the record's scope with assertCan (404) once it has loaded the record.
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../kernel/errors.js';
import { retryTransientReads } from '../../platform/http/read-retry.js';
import type { Actor } from '../../kernel/actor.js';
import { permittedPosts, type Action } from './policy.js';

/** 'public': anyone; 'signed-in': any signed-in user; otherwise an action from the policy. */
export type Access = 'public' | 'signed-in' | Action;

export interface RouteInfo {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  readonly access: Access;
  readonly kind: 'page' | 'api';
}

export type RouteTable = RouteInfo[];

type Method = RouteInfo['method'];

export class Routes {
  readonly router = Router();

  constructor(
    private readonly table: RouteTable,
    private readonly kind: 'page' | 'api',
    private readonly mount = '',
  ) {}

  get(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('get', path, access, handlers);
  }
  post(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('post', path, access, handlers);
  }
  put(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('put', path, access, handlers);
  }
  patch(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('patch', path, access, handlers);
  }
  delete(path: string, access: Access, ...handlers: RequestHandler[]): this {
    return this.add('delete', path, access, handlers);
  }

  private add(method: Method, path: string, access: Access, handlers: RequestHandler[]): this {
    this.table.push({ method, path: this.mount + path, access, kind: this.kind });
    this.router[method](path, guard(access, this.kind), ...(method === 'get' ? handlers.map(retryTransientReads) : handlers));
    return this;
  }
}

export function guard(access: Access, kind: 'page' | 'api'): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (access === 'public') return next();
    const actor = req.user;
    if (!actor) {
      if (kind === 'page' && req.method === 'GET') {
        return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      }
      return next(new UnauthorizedError());
    }
    // A one-time password must be replaced before anything else is done through the pages.
    if (actor.mustChangePassword) {
      if (kind === 'page' && !req.path.startsWith('/profile/password')) return res.redirect('/profile/password');
      // Through the API only "who am I" and the password change itself, until the one-time password is replaced.
      if (kind === 'api' && !/^\/api\/v1\/me(\/password)?$/.test(req.originalUrl.split('?')[0]!)) {
        return next(
          new ForbiddenError({
            bn: 'প্রথমে এককালীন পাসওয়ার্ডটি বদলান (POST /api/v1/me/password)।',
            en: 'Change your one-time password first (POST /api/v1/me/password).',
          }),
        );
      }
    }
    if (access !== 'signed-in' && permittedPosts(actor, access).length === 0) return next(new ForbiddenError());
    next();
  };
}

/** The signed-in actor (use behind a guard). */
export function actorOf(req: Request): Actor {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
}
