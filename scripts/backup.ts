// npm run backup [-- --out DIR]: writes backups/udbhabon-<db>-<YYYYMMDD-HHmmss>.udbk.gz through the driver
// (any engine), pausing the app's writes meanwhile. Format and details: scripts/lib/backup-format.ts.
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { withDatabase } from './lib/with-database.js';
import { backupDatabase, describeBackup, EXIT, newBackupPath, reportFailure, stderrLog, withInterrupt } from './lib/backup-format.js';

const USAGE = 'usage: npm run backup [-- --out DIR]   (default folder: backups/)';

export async function run(args: string[]): Promise<number> {
  const log = stderrLog();
  let outDir = path.join(PROJECT_ROOT, 'backups');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return EXIT.ok;
    }
    const value = arg === '--out' ? args[++i] : arg.startsWith('--out=') ? arg.slice('--out='.length) : undefined;
    if (!value) {
      log.line(arg === '--out' ? '--out needs a folder' : `unknown argument: ${arg}`);
      log.line(USAGE);
      return EXIT.usage;
    }
    outDir = path.resolve(value);
  }
  try {
    const config = loadConfig(process.env);
    return await withInterrupt((signal) =>
      withDatabase(config, async ({ db }) => {
        const native = db.connection.db;
        if (!native) throw new Error('not connected');
        const file = newBackupPath(outDir, config.db.name, new Date());
        const report = await backupDatabase({ db: native, file, log, signal });
        console.log(`Backup written: ${report.file}`);
        console.log(`  ${describeBackup(report)}`);
        return EXIT.ok;
      }),
    );
  } catch (err) {
    return reportFailure('Backup', err, log);
  }
}
