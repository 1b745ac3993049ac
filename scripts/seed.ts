// npm run seed: adds the demo offices and users that are missing (idempotent), then exits.
import { loadConfig } from '../src/config.js';
import { withDatabase } from './lib/with-database.js';
import { seedDemo } from '../src/features/seed/index.js';

export async function run(): Promise<number> {
  const config = loadConfig(process.env);
  return withDatabase(config, async ({ logger }) => {
    const report = await seedDemo({ config, logger });
    console.log(`Seeded: ${report.created.offices} offices and ${report.created.users} users created (the rest were there).`);
    console.log(`Demo logins: ${report.logins.map((l) => l.username).join(', ')}; password: ${report.password}`);
    return 0;
  });
}
