// Starts the compiled app (dist/src/main.js, built by `npm run`) as its own process against a given database,
// as production runs it. Benchmarks use it so the load generator (autocannon) never shares the app's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

export interface SpawnedApp {
  readonly child: ChildProcess;
  readonly url: string;
}

export function spawnApp(options: { uri: string; dbName: string; dataDir: string; env?: Record<string, string>; nodeArgs?: readonly string[] }): Promise<SpawnedApp> {
  const compiled = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), compiled], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
      HOST: '127.0.0.1',
      PORT: '0',
      MONGODB_URI: options.uri,
      DB_NAME: options.dbName,
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      SCHEDULER: 'false',
      LOGIN_RATE_LIMIT: '10000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${out}`)), 60_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1') });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`app exited (${code}):\n${out}`)));
  });
}
