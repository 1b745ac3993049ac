// The only place the mongoose connection is opened and closed. Models use mongoose's default connection.
import mongoose from 'mongoose';
import type { Logger } from '../logger.js';
import { assertAcknowledgedClient, installWriteGuard } from './write-guard.js';

// Installed as soon as this module loads, so every client of the process (mongoose's, raw driver clients,
// scripts) is guarded before its first write.
installWriteGuard();

export interface Database {
  readonly connection: mongoose.Connection;
  /** True when the server answers a ping within the time limit. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, dbName: string, logger: Logger): Promise<Database> {
  mongoose.set('strictQuery', true);
  // Index builds are explicit (syncIndexes at start-up), not a side effect of the first query.
  mongoose.set('autoIndex', false);
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 5_000,
    heartbeatFrequencyMS: 2_000,
  });
  const connection = mongoose.connection;
  try {
    assertAcknowledgedClient(connection.getClient());
  } catch (err) {
    await mongoose.disconnect();
    throw err;
  }
  let closing = false;
  connection.on('disconnected', () => {
    if (!closing) logger.warn('database connection lost; the driver keeps retrying');
  });
  connection.on('reconnected', () => logger.info('database connection restored'));
  return {
    connection,
    async ping(timeoutMs = 2_000) {
      const db = connection.db;
      if (!db) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          db.admin().command({ ping: 1 }).then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      closing = true;
      await mongoose.disconnect();
    },
  };
}

/** Builds every model's declared indexes (unique indexes carry correctness on this engine). */
export async function syncAllIndexes(logger: Logger): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    await model.syncIndexes();
    logger.debug({ model: model.modelName }, 'indexes in place');
  }
}
