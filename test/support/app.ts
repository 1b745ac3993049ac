// Builds the app against the run's test database, on port 0.
import http from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import type { RouteInfo } from '../../src/features/access/routes.js';
import { loadConfig, type Config } from '../../src/config.js';
import { fixedClock, systemClock, type Clock } from '../../src/lib/index.js';
import { testDatabase } from './db.js';
import { testLogger } from './logger.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  const t = testDatabase();
  return loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: t.uri,
    DB_NAME: t.dbName,
    DATA_DIR: path.join(t.tmpDir, 'data'),
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
    ...overrides,
  });
}

export interface TestServer {
  readonly url: string;
  readonly server: http.Server;
  /** Every route the app declared (method, path, access, kind). */
  readonly routes: RouteInfo[];
  close(): Promise<void>;
}

/** createApp + listen on an ephemeral port. */
export async function startTestServer(
  options: { clock?: Clock | string; ping?: () => Promise<boolean>; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const t = testDatabase();
  const clock = typeof options.clock === 'string' ? fixedClock(options.clock) : (options.clock ?? systemClock);
  const app = createApp({
    config: testConfig(options.env),
    logger: testLogger,
    db: { ...t.db, ping: options.ping ?? ((ms?: number) => t.db.ping(ms)) },
    clock,
  });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    routes: app.locals.routeTable as RouteInfo[],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
