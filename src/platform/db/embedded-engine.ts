// The embedded database engine: FerretDB v1 (MongoDB wire protocol) on SQLite files, run as a child process.
// Used when MONGODB_URI is not set. Production points MONGODB_URI at MongoDB or FerretDB on PostgreSQL, and
// nothing else in the code knows about this file's paths or flags.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import type { Logger } from '../logger.js';

export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

export interface EmbeddedEngineOptions {
  /** Folder for the SQLite files and the engine's state; kept across restarts. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The project root: where scripts/engine/build.sh and the .tools folder are. */
  readonly projectRoot: string;
  readonly logger: Logger;
  /** Restart the engine if it dies while the app runs (default true). */
  readonly supervise?: boolean;
  /**
   * For command-line scripts: when the engine of this folder belongs to a running app, use it and leave it
   * running at stop(). (An engine whose app has died is always taken over and stopped at stop().)
   */
  readonly leaveAdopted?: boolean;
}

export interface EmbeddedEngine {
  readonly uri: string;
  readonly port: number;
  /** Process id of the engine now serving (changes after a restart). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** Finds (or builds) the engine, reuses or stops a leftover engine of this data folder, and starts one. */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const { logger } = options;
  const dataDir = path.resolve(options.dataDir);
  const sqliteDir = path.join(dataDir, 'ferretdb');
  const stateDir = path.join(dataDir, 'ferretdb-state');
  fs.mkdirSync(sqliteDir, { recursive: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const sqliteUrl = `file:${sqliteDir}/`;

  let adoptedPid: number | undefined;
  let owned = true;
  let port = options.port;
  const ownerFile = path.join(dataDir, 'ferretdb.owner');

  // A crashed app (SIGKILL, OOM) leaves its engine running. We recognise it by its data folder only:
  // an engine serving another folder is never touched.
  for (const leftover of findEnginesServing(sqliteUrl)) {
    if (leftover.port !== undefined && (await pingEngine(leftover.port, 2_000))) {
      const owner = readOwner(ownerFile);
      const ownerAlive = owner !== undefined && owner !== process.pid && alive(owner);
      owned = !(ownerAlive && options.leaveAdopted);
      logger.info({ pid: leftover.pid, port: leftover.port, ownerAlive }, 'reusing the embedded engine already serving this folder');
      adoptedPid = leftover.pid;
      port = leftover.port;
      break;
    }
    logger.warn({ pid: leftover.pid }, 'stopping an unresponsive embedded engine left by an earlier run');
    await killAndWait(leftover.pid);
  }

  const binary = adoptedPid === undefined ? resolveBinary(options.projectRoot) : '';
  if (adoptedPid === undefined && port === 0) port = await freePort();

  const args = [
    '--handler=sqlite',
    `--sqlite-url=${sqliteUrl}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    `--state-dir=${stateDir}`,
    '--log-level=warn',
  ];
  const logPath = path.join(dataDir, 'ferretdb.log');

  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;

  const killOnExit = (): void => {
    if (!owned) return;
    const pid = child?.pid ?? adoptedPid;
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', killOnExit);

  const launch = async (): Promise<void> => {
    const log = fs.openSync(logPath, 'a');
    const proc = spawn(binary, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child = proc;
    let exited = false;
    proc.once('exit', (code, signal) => {
      exited = true;
      if (stopping || child !== proc) return;
      child = undefined;
      if (options.supervise === false) {
        logger.error({ code, signal }, 'the embedded database engine stopped unexpectedly');
        return;
      }
      logger.error({ code, signal }, 'the embedded database engine stopped unexpectedly; restarting it');
      void restartLater();
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exited) throw new EngineUnavailableError(`The embedded database engine exited at start.\n${tail(logPath)}`);
      if (await pingEngine(port, 1_000)) return;
      await sleep(100);
    }
    proc.kill('SIGKILL');
    throw new EngineUnavailableError(`The embedded database engine did not answer within 30 s.\n${tail(logPath)}`);
  };

  const restartLater = async (): Promise<void> => {
    while (!stopping) {
      restarts += 1;
      await sleep(Math.min(10_000, 500 * 2 ** Math.min(restarts, 5)));
      if (stopping) return;
      // Someone (an operator) may have started it again by hand on our folder: adopt it.
      const manual = findEnginesServing(sqliteUrl)[0];
      if (manual) {
        adoptedPid = manual.pid;
        logger.info({ pid: manual.pid }, 'the embedded engine was restarted outside the app; using it');
        return;
      }
      try {
        await launch();
        logger.info({ port }, 'the embedded database engine is back');
        restarts = 0;
        return;
      } catch (err) {
        logger.error({ err }, 'could not restart the embedded database engine; will retry');
      }
    }
  };

  if (adoptedPid === undefined) await launch();
  if (owned) fs.writeFileSync(ownerFile, String(process.pid));

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    pid: () => child?.pid ?? adoptedPid,
    async stop() {
      stopping = true;
      process.off('exit', killOnExit);
      if (!owned) return;
      const pid = child?.pid ?? adoptedPid;
      if (pid) await killAndWait(pid);
      fs.rmSync(ownerFile, { force: true });
    },
  };
}

/** The engine binary: `ferretdb` on PATH as is, else the project's own build (built on first use). */
export function resolveBinary(projectRoot: string): string {
  const onPath = spawnSync('sh', ['-c', 'command -v ferretdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const built = path.join(projectRoot, '.tools', 'ferretdb');
  const script = path.join(projectRoot, 'scripts', 'engine', 'build.sh');
  // build.sh returns at once when the pinned version is already built.
  const result = spawnSync('bash', [script], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status === 0 && fs.existsSync(built)) return built;
  const reason = (result.stderr ?? '').trim();
  throw new EngineUnavailableError(
    result.status === 3
      ? reason
      : `Could not build the embedded database engine (FerretDB).\n${reason}\n` +
          'Set MONGODB_URI to use a MongoDB-compatible server instead.',
  );
}

interface RunningEngine {
  readonly pid: number;
  readonly port: number | undefined;
}

/** Engines (any ferretdb process) whose SQLite folder is this one, found through /proc. */
export function findEnginesServing(sqliteUrl: string): RunningEngine[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return []; // not Linux: no orphan detection
  }
  const found: RunningEngine[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!argv[0] || path.basename(argv[0]) !== 'ferretdb') continue;
    if (!argv.includes(`--sqlite-url=${sqliteUrl}`)) continue;
    const listen = argv.find((a) => a.startsWith('--listen-addr='));
    const port = listen ? Number(listen.split(':').pop()) : undefined;
    found.push({ pid: Number(entry), port: Number.isFinite(port) ? port : undefined });
  }
  return found;
}

async function pingEngine(port: number, timeoutMs: number): Promise<boolean> {
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    directConnection: true,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!alive(pid) || isZombie(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

function isZombie(pid: number): boolean {
  try {
    return /\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
