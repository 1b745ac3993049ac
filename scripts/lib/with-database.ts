// For command-line scripts: connect (starting the embedded engine when MONGODB_URI is unset, or using the one
// a running app already serves), run, disconnect. An engine this script started is stopped afterwards; one
// the app is serving is left alone.
import { PROJECT_ROOT, type Config } from '../../src/config.js';
import { connectDatabase, syncAllIndexes, type Database } from '../../src/platform/db/connection.js';
import { startEmbeddedEngine } from '../../src/platform/db/embedded-engine.js';
import { createLogger, type Logger } from '../../src/platform/logger.js';
import { registerModels } from '../../src/features/index.js';

export async function withDatabase<T>(config: Config, body: (ctx: { db: Database; logger: Logger; uri: string }) => Promise<T>): Promise<T> {
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'cli' });
  const engine = config.db.uri
    ? undefined
    : await startEmbeddedEngine({ dataDir: config.dataDir, port: config.db.enginePort, projectRoot: PROJECT_ROOT, logger, supervise: false, leaveAdopted: true });
  const uri = config.db.uri ?? engine!.uri;
  const db = await connectDatabase(uri, config.db.name, logger);
  try {
    registerModels();
    await syncAllIndexes(logger);
    return await body({ db, logger, uri });
  } finally {
    await db.close();
    await engine?.stop();
  }
}
