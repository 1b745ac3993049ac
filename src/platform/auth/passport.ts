// The only place passport is imported. Username + password sign-in (passport-local) with sessions; the
// verify, serialize and load functions come from the auth feature.
import type { RequestHandler, Request } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';

export interface PassportDeps {
  /** Resolves the user for valid credentials, or throws a typed error that explains the refusal. */
  verify(username: string, password: string, req: Request): Promise<Express.User>;
  /** Loads what the request will see as the signed-in user, or undefined when the account is gone/inactive. */
  load(id: string, req: Request): Promise<Express.User | undefined>;
}

export interface SessionAuth {
  readonly initialize: RequestHandler;
  readonly session: RequestHandler;
  /** Checks credentials, then signs in (the session id is regenerated). */
  signIn(req: Request, username: string, password: string): Promise<void>;
  /** Signs out (the session id is regenerated). */
  signOut(req: Request): Promise<void>;
}

export function createSessionAuth(deps: PassportDeps): SessionAuth {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      deps.verify(username, password, req).then(
        (user) => done(null, user),
        (err: unknown) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.userId));
  passport.deserializeUser((req: Request, id: string, done: (err: unknown, user?: Express.User | false) => void) => {
    deps.load(id, req).then(
      (user) => done(null, user ?? false),
      (err: unknown) => done(err),
    );
  });
  return {
    initialize: passport.initialize(),
    session: passport.session(),
    signIn: (req, username, password) =>
      new Promise<void>((resolve, reject) => {
        req.body = { ...(req.body as object), username, password };
        passport.authenticate('local', { session: false }, (err: unknown, user: Express.User | false) => {
          if (err) return reject(err);
          if (!user) return reject(new Error('no user'));
          req.login(user, (loginErr) => (loginErr ? reject(loginErr) : resolve()));
        })(req, req.res!, (err: unknown) => (err ? reject(err) : undefined));
      }),
    signOut: (req) => new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve()))),
  };
}
