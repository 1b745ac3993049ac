// npm run restore -- FILE: restores a backup made by `npm run backup` into the configured database, which must
// be empty (refused otherwise, exit code 2, nothing changed). The file is checked in full first.
import { loadConfig } from '../src/config.js';
import { withDatabase } from './lib/with-database.js';
import { EXIT, readBackupHeader, reportFailure, restoreDatabase, stderrLog, withInterrupt } from './lib/backup-format.js';

const USAGE = 'usage: npm run restore -- FILE   (FILE: a .udbk.gz made by npm run backup; the database must be empty)';

export async function run(args: string[]): Promise<number> {
  const log = stderrLog();
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const [file, ...extra] = args;
  if (!file || extra.length > 0 || file.startsWith('-')) {
    log.line(USAGE);
    return EXIT.usage;
  }
  try {
    await readBackupHeader(file); // a wrong file is refused before the engine starts
    const config = loadConfig(process.env);
    return await withInterrupt((signal) =>
      withDatabase(config, async ({ db }) => {
        const native = db.connection.db;
        if (!native) throw new Error('not connected');
        const report = await restoreDatabase({ db: native, file, log, signal });
        console.log(`Restored ${file}`);
        console.log(
          `  into database "${native.databaseName}": ${report.header.collections.length} collections, ${report.documents.toLocaleString('en-US')} documents, in ${(report.ms / 1000).toFixed(1)} s; counts verified.`,
        );
        return EXIT.ok;
      }),
    );
  } catch (err) {
    return reportFailure('Restore', err, log);
  }
}
