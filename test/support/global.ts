// Mocha global fixtures: one throwaway database for the whole run, on the real engine.
// TEST_MONGODB_URI (or MONGODB_URI) points the tests at an existing server; otherwise an embedded FerretDB is
// started in a temporary folder and removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { connectDatabase, syncAllIndexes, type Database } from '../../src/platform/db/connection.js';
import { findEnginesServing, startEmbeddedEngine, type EmbeddedEngine } from '../../src/platform/db/embedded-engine.js';
import { registerModels } from '../../src/features/index.js';
import { testLogger } from './logger.js';
import { setTestDatabase } from './db.js';

let engine: EmbeddedEngine | undefined;
let db: Database | undefined;
let tmp: string | undefined;

/** Engines and folders left by an earlier run that was killed (its process is gone); a live run is left alone. */
function reapEarlierRuns(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith('udbhabon-test-')) continue;
    const dir = path.join(os.tmpdir(), name);
    const owner = Number(fs.readFileSync(path.join(dir, 'runner.pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
    if (owner && owner !== process.pid && isAlive(owner)) continue;
    for (const engineDir of ['engine', 'runtime-data', 'external-server']) {
      for (const e of findEnginesServing(`file:${path.join(dir, engineDir, 'ferretdb')}/`)) process.kill(e.pid, 'SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function mochaGlobalSetup(): Promise<void> {
  reapEarlierRuns();
  let uri = process.env.TEST_MONGODB_URI ?? process.env.MONGODB_URI;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'udbhabon-test-'));
  fs.writeFileSync(path.join(tmp, 'runner.pid'), String(process.pid));
  if (!uri) {
    engine = await startEmbeddedEngine({ dataDir: path.join(tmp, 'engine'), port: 0, projectRoot: PROJECT_ROOT, logger: testLogger });
    uri = engine.uri;
  }
  const dbName = `udbhabon_test_${process.pid}_${Date.now().toString(36)}`;
  db = await connectDatabase(uri, dbName, testLogger);
  registerModels();
  await syncAllIndexes(testLogger);
  setTestDatabase({ uri, dbName, db, tmpDir: tmp });
}

export async function mochaGlobalTeardown(): Promise<void> {
  try {
    await db?.connection.dropDatabase();
  } catch {
    /* the engine may already be gone */
  }
  await db?.close();
  await engine?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
