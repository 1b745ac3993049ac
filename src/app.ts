// createApp(deps): middleware, routers and the error handler. It never connects and never listens,
// so tests build it on port 0 against a throwaway database.
import crypto from 'node:crypto';
import path from 'node:path';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { PROJECT_ROOT, type Config } from './config.js';
import { navigationFor, type RouteTable, contextOf } from './features/access/index.js';
import { authRoutes, authenticate, loadActor, bearerAuth, exemptFromCsrf } from './features/auth/index.js';
import { healthRouter } from './features/health/index.js';
import { homeRoutes } from './features/home/index.js';
import { officeTree, officeRoutes, officesText } from './features/offices/index.js';
import { userRoutes, activePeopleIn, usersText, rememberLanguage } from './features/users/index.js';
import { auditRoutes, auditText } from './features/audit/index.js';
import { charterRoutes, chartersText } from './features/charters/index.js';
import { initiativeRoutes, attachmentRoutes, initiativePdfRoutes, attachmentsText, initiativesText } from './features/initiatives/index.js';
import {
  meetingRoutes,
  meetingMail,
  meetingEventHandlers,
  type MeetingEvents,
  minutesPdfRoutes,
  meetingsText,
  memoText,
} from './features/meetings/index.js';
import { createEventBus, createOutbox, type Outbox } from './platform/events/index.js';
import { createMailer, type Mailer } from './platform/mail/mailer.js';
import type { PdfRenderer } from './platform/pdf/index.js';
import { lazyPdfRenderer } from './platform/pdf/shared.js';
import { memoRoutes } from './features/memo-numbers/index.js';
import { letterheadRoutes, letterheadText } from './features/letterhead/index.js';
import type { Clock } from './lib/index.js';
import { csrfProtection } from './platform/auth/csrf.js';
import { createSessionAuth } from './platform/auth/passport.js';
import { sessionMiddleware } from './platform/auth/session.js';
import type { Database } from './platform/db/connection.js';
import { bodyParsing } from './platform/http/body-guard.js';
import { errorHandler, notFoundHandler } from './platform/http/error-handler.js';
import { flashMiddleware } from './platform/http/flash.js';
import { registerCatalogue, type Catalogue } from './platform/i18n/index.js';
import { OpenApiRegistry } from './platform/http/openapi.js';
import { languageMiddleware, requestId } from './platform/http/request-context.js';
import { configureViews } from './platform/http/views.js';
import { createWritePauseCheck, writePauseMiddleware } from './platform/http/write-pause.js';
import type { Logger } from './platform/logger.js';

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly clock: Clock;
  /** Signs session cookies (main.ts resolves SESSION_SECRET or the development one). */
  readonly sessionSecret?: string;
  /** Outgoing mail (main.ts creates one from the SMTP settings; without one, createApp makes its own). */
  readonly mailer?: Mailer;
  /** The warm Chromium for documents (main.ts starts one; without it a shared one starts on first use). */
  readonly pdf?: PdfRenderer;
  /** The durable outbox (main.ts drains it at start and on a schedule); without one, createApp makes its own. */
  readonly outbox?: Outbox<AppEvents>;
}

/** Every event the features publish (names and payloads); platform/events/index.ts says which are durable. */
export type AppEvents = MeetingEvents;

/** Each feature's interface text and the name views ask for it by (t('offices.key')); users' merges into the shared one. */
const CATALOGUES: Readonly<Record<string, Catalogue>> = {
  offices: officesText,
  users: usersText,
  audit: auditText,
  charters: chartersText,
  initiatives: initiativesText,
  attachments: attachmentsText,
  meetings: meetingsText,
  memo: memoText,
  letterhead: letterheadText,
};

/** Gives i18n every feature's text; createApp calls it, and calling it again changes nothing. */
export function registerCatalogues(): readonly string[] {
  for (const [namespace, catalogue] of Object.entries(CATALOGUES)) registerCatalogue(namespace, catalogue);
  return Object.keys(CATALOGUES);
}

export function createApp(deps: AppDeps): express.Express {
  const { config, logger, clock } = deps;
  registerCatalogues();
  const app = express();
  const api = new OpenApiRegistry();
  const routeTable: RouteTable = [];
  app.locals.clock = clock;
  app.locals.routeTable = routeTable;
  app.locals.openapi = api;
  // Creating a transport opens no connection; mail is sent only when a meeting needs it.
  const mailer = deps.mailer ?? createMailer(config.mail, logger);
  const mail = meetingMail(mailer, config.mail.from, logger, config.publicUrl);
  const pdf = deps.pdf ? () => deps.pdf! : lazyPdfRenderer(config, logger);
  // Per app, so a second app in one process has its own handlers (mailer, renderer) and shares nothing.
  const events = createEventBus<AppEvents>(logger);
  const outbox = deps.outbox ?? createOutbox<AppEvents>({ logger, clock });
  meetingEventHandlers({ bus: events, outbox, mail, pdf, publicUrl: config.publicUrl, logger });

  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', parseTrustProxy(config.trustProxy));
  configureViews(app, path.join(PROJECT_ROOT, 'views'));

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = requestId(req as express.Request);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // Only behind HTTPS: a plain-HTTP demo on localhost must not be told to upgrade.
      strictTransportSecurity: config.cookieSecure,
    }),
  );
  app.use(compression());
  app.use(
    '/assets/fonts',
    express.static(path.join(PROJECT_ROOT, 'node_modules/@fontsource/noto-sans-bengali/files'), { maxAge: '30d', immutable: true }),
  );
  app.use('/assets', express.static(path.join(PROJECT_ROOT, 'views/assets'), { maxAge: '1h' }));
  app.use(healthRouter({ pingDatabase: () => deps.db.ping() }, api));

  // JSON and form bodies; a JSON API route refuses other types (415) and no body (400), and text that is not
  // valid UTF-8 is refused (400) instead of being stored as U+FFFD.
  app.use(bodyParsing(api, { limit: '1mb' }));

  // Who is asking: a bearer token (API clients) or the session (pages).
  const sessionAuth = createSessionAuth({
    verify: (username, password, req) => authenticate(username, password, contextOf(req), config.auth),
    load: (id) => loadActor(id, clock, 'session'),
  });
  const sessions = sessionMiddleware({
    client: deps.db.connection.getClient(),
    dbName: deps.db.connection.name,
    secret: deps.sessionSecret ?? crypto.randomBytes(32).toString('hex'),
    secure: config.cookieSecure,
    hours: config.auth.sessionHours,
  });
  const bearer = bearerAuth(clock);
  app.use((req, res, next) => {
    // Bearer-token requests need no session (and must not create one).
    if (req.get('authorization')) return bearer(req, res, next);
    sessions(req, res, (err?: unknown) => {
      if (err) return next(err);
      sessionAuth.initialize(req, res, () => sessionAuth.session(req, res, next));
    });
  });
  app.use(
    languageMiddleware({
      preferred: (req) => req.user?.language,
      remember: async (req, lang) => {
        if (req.user) await rememberLanguage(req.user.userId, lang);
      },
    }),
  );
  app.use(csrfProtection({ skip: exemptFromCsrf }));
  app.use(flashMiddleware);
  app.use(async (req, res, next) => {
    if (req.user && req.accepts('html') && !req.originalUrl.startsWith('/api/')) {
      res.locals.me = await navigationFor(req.user, await officeTree(), res.locals.lang === 'en' ? 'en' : 'bn');
    }
    next();
  });
  // A running backup pauses writes (503 "try again shortly") so its archive is consistent.
  app.use(writePauseMiddleware(createWritePauseCheck()));

  const auth = authRoutes({ table: routeTable, api, auth: sessionAuth, settings: { ...config.auth } });
  app.use(auth.pages.router);
  app.use('/api/v1', auth.apiRoutes.router);
  app.use(homeRoutes({ table: routeTable, stuckPilotMonths: config.initiatives.stuckPilotMonths }).router);
  const featureDeps = { table: routeTable, api, config, settings: config.auth, pdf, events, officeTree, activePeopleIn };
  for (const feature of [
    officeRoutes,
    userRoutes,
    auditRoutes,
    charterRoutes,
    initiativeRoutes,
    attachmentRoutes,
    memoRoutes,
    minutesPdfRoutes,
    meetingRoutes,
    letterheadRoutes,
    initiativePdfRoutes,
  ]) {
    const { pages, apiRoutes } = feature(featureDeps);
    app.use(pages.router);
    app.use('/api/v1', apiRoutes.router);
  }

  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(api.document());
  });
  api.add({
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    tags: ['meta'],
    responses: { 200: { description: 'OpenAPI 3 document' } },
  });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
