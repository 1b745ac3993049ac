import mongoose from 'mongoose';
import { initiativeReadModel } from '../../src/features/initiatives/initiative.read-model.js';
import { resetReadModels } from '../../src/platform/db/read-model.js';
import type { Database } from '../../src/platform/db/connection.js';

export interface TestDatabase {
  readonly uri: string;
  readonly dbName: string;
  readonly db: Database;
  /** A temporary folder removed after the run. */
  readonly tmpDir: string;
}

let current: TestDatabase | undefined;

export function setTestDatabase(value: TestDatabase): void {
  current = value;
}

/** The run's throwaway database (set up by test/support/global.ts). */
export function testDatabase(): TestDatabase {
  if (!current) throw new Error('the test database is not set up (is test/support/global.ts required?)');
  return current;
}

/** Empties every collection, keeping indexes: each suite starts from a known state. */
export async function resetDatabase(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('not connected');
  for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (!c.name.startsWith('system.')) await db.collection(c.name).deleteMany({});
  }
  initiativeReadModel.reset();
  resetReadModels();
}
