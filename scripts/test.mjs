// npm test: install what is missing (npm packages, chromium, fonts, the database engine), type-check,
// then run every test tier in one mocha run: unit, engine contract, integration (real database), e2e (real browser).
// Extra arguments go to mocha, e.g. `npm test -- --grep calendar`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, checkNode, ensureDependencies, ensureEngine, ensureSystemPackages, fail, lint, typecheck } from './lib/bootstrap.mjs';

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
const args = process.argv.slice(2);
// The whole suite starts with `npm run lint` (ESLint and the import rules); a run of named test files skips it.
if (!args.some((a) => !a.startsWith('-') && /\.test\.ts$/.test(a))) {
  try {
    lint();
  } catch (err) {
    fail(err);
  }
}
// `npm test -- test/integration/auth.test.ts` runs that file alone: mocha adds files named on the command line
// to the config's `spec` list (so the whole suite would run), hence a copy of the config without it.
if (args.some((a) => !a.startsWith('-') && /\.test\.ts$/.test(a))) {
  const { spec: _all, ...rest } = JSON.parse(fs.readFileSync(path.join(ROOT, '.mocharc.json'), 'utf8'));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'udbhabon-mocharc-')), 'mocharc.json');
  fs.writeFileSync(file, JSON.stringify(rest));
  args.unshift('--config', file);
}
const r = spawnSync(process.execPath, [mocha, ...args], { cwd: ROOT, stdio: 'inherit' });
process.exit(r.status ?? 1);
