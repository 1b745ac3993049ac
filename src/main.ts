// The boot sequence: config → database (embedded engine unless MONGODB_URI) → indexes → seed → listen →
// scheduler. One shutdown() undoes each step in reverse order.
import http from 'node:http';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { createApp, type AppEvents } from './app.js';
import { createOutbox } from './platform/events/index.js';
import { createMailer } from './platform/mail/mailer.js';
import { createPdfRenderer } from './platform/pdf/index.js';
import { ConfigError, PROJECT_ROOT, loadConfig, type Config } from './config.js';
import { systemClock } from './lib/index.js';
import { resolveSessionSecret, sessionJobs } from './platform/auth/session.js';
import { connectDatabase, syncAllIndexes, type Database } from './platform/db/connection.js';
import { EngineUnavailableError, startEmbeddedEngine, type EmbeddedEngine } from './platform/db/embedded-engine.js';
import { createLogger } from './platform/logger.js';
import { startScheduler, type Scheduler } from './platform/scheduler/index.js';
import { authJobs } from './features/auth/index.js';
import { registerModels } from './features/index.js';
import { repairAncestors } from './features/offices/index.js';
import { initiativeReadModel } from './features/initiatives/index.js';
import { seedDemo, type SeedReport } from './features/seed/index.js';

export interface Running {
  readonly config: Config;
  readonly url: string;
  readonly server: http.Server;
  readonly seed: SeedReport | undefined;
  shutdown(reason?: string): Promise<void>;
}

/** Starts everything; used by `npm start` and by tests that need a whole process. */
export async function start(env: Record<string, string | undefined>): Promise<Running> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  const undo: { name: string; run: () => Promise<void> }[] = [];
  const shutdown = async (reason = 'shutdown'): Promise<void> => {
    logger.info({ reason }, 'shutting down');
    for (const step of undo.reverse().splice(0)) {
      try {
        await step.run();
      } catch (err) {
        logger.error({ err, step: step.name }, 'shutdown step failed');
      }
    }
  };

  try {
    let uri = config.db.uri;
    if (!uri) {
      const engine: EmbeddedEngine = await startEmbeddedEngine({
        dataDir: config.dataDir,
        port: config.db.enginePort,
        projectRoot: PROJECT_ROOT,
        logger,
      });
      undo.push({ name: 'embedded engine', run: () => engine.stop() });
      uri = engine.uri;
    }
    const db: Database = await connectDatabase(uri, config.db.name, logger);
    undo.push({ name: 'database', run: () => db.close() });
    registerModels();
    await syncAllIndexes(logger);
    // Office ancestors are a cache of the parent links; a crash in the middle of a move is finished here.
    await repairAncestors();

    const seed = config.seedDemo ? await seedDemo({ config, logger }) : undefined;
    // Load the initiatives read model now, so the first person after a start does not wait for it.
    await initiativeReadModel.all();

    const sessionSecret = resolveSessionSecret(config.sessionSecret, config.dataDir);
    const mailer = createMailer(config.mail, logger);
    undo.push({ name: 'mail', run: () => mailer.close() });
    // One warm Chromium for documents, started now so the first PDF does not wait for it.
    const pdf = createPdfRenderer({ executablePath: config.pdf.executablePath, poolSize: config.pdf.poolSize, logger });
    undo.push({ name: 'pdf renderer', run: () => pdf.close() });
    await pdf.start().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'Chromium did not start; documents will retry on first use'));
    // Durable events (issued minutes' PDF and mail): createApp registers the handlers, this process drains it.
    const outbox = createOutbox<AppEvents>({ logger, clock: systemClock });
    const app = createApp({ config, logger, db, clock: systemClock, sessionSecret, mailer, pdf, outbox });
    const server = http.createServer(app);
    server.listen(config.port, config.host);
    await once(server, 'listening');
    undo.push({
      name: 'http server',
      run: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5_000).unref();
        }),
    });

    // What a crash or a failed handler left is finished now, in the background, and every five minutes after.
    const drainedAtStart = outbox.drain({ graceMs: 0 }).catch((err: unknown) => logger.error({ err }, 'outbox drain at start failed'));
    undo.push({ name: 'outbox', run: async () => void (await Promise.all([drainedAtStart, outbox.idle()])) });
    if (config.scheduler) {
      const drainer = startScheduler([outbox.job()], logger);
      undo.push({ name: 'outbox drain job', run: () => drainer.stop() });
    }

    if (config.scheduler) {
      const scheduler: Scheduler = startScheduler([...authJobs, ...sessionJobs({ client: db.connection.getClient(), dbName: db.connection.name })], logger);
      undo.push({ name: 'scheduler', run: () => scheduler.stop() });
    }

    const address = server.address();
    const port = address && typeof address === 'object' ? address.port : config.port;
    const url = config.publicUrl ?? `http://localhost:${port}`;
    return { config, url, server, seed, shutdown };
  } catch (err) {
    await shutdown('start-up failed');
    throw err;
  }
}

function printBanner(running: Running, logger: Pick<Console, 'log'>): void {
  const lines = [
    '',
    `  উদ্ভাবন / Udbhabon is running at ${running.url}`,
    `  Health: ${running.url}/healthz   API: ${running.url}/api/v1/openapi.json`,
  ];
  if (running.seed) {
    lines.push('', '  Demo logins (username / password):');
    for (const u of running.seed.logins) lines.push(`    ${u.username.padEnd(10)} ${running.seed.password}   ${u.role}`);
    if (running.seed.passwordSource === 'generated') {
      lines.push(`  (password generated at the first start and kept in ${running.seed.passwordFile}; set DEMO_PASSWORD to choose it)`);
    }
  }
  lines.push('', '  Stop with Ctrl+C.', '');
  logger.log(lines.join('\n'));
}

/** npm start's entry: start, print the banner, stop cleanly on SIGINT/SIGTERM. */
export async function main(): Promise<void> {
  let running: Running;
  try {
    running = await start(process.env);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof EngineUnavailableError) {
      console.error(`\n${err.message}\n`);
    } else {
      console.error('\nUdbhabon could not start:', err instanceof Error ? err.message : err, '\n');
    }
    process.exit(1);
  }
  printBanner(running, console);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void running.shutdown(signal).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

// Run when executed directly (node dist/src/main.js, tsx src/main.ts); scripts/start.mjs calls main() itself.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}

