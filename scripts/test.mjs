// npm test: install what is missing (npm packages, chromium, fonts, the database engine), type-check,
// then run every test tier in one mocha run: unit, engine contract, integration (real database), e2e (real browser).
// Extra arguments go to mocha, e.g. `npm test -- --grep calendar`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, checkNode, ensureDependencies, ensureEngine, ensureSystemPackages, fail, typecheck } from './lib/bootstrap.mjs';

try {
  checkNode();
  ensureDependencies();
  ensureSystemPackages({ required: true });
  ensureEngine({ uriVar: 'TEST_MONGODB_URI' });
  typecheck();
} catch (err) {
  fail(err);
}
const mocha = path.join(ROOT, 'node_modules/mocha/bin/mocha.js');
const r = spawnSync(process.execPath, [mocha, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
process.exit(r.status ?? 1);
