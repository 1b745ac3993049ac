// npm run seed | backup | restore -- ARGS: build if needed, then run the compiled command.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, build, checkNode, ensureDependencies, ensureEngine, fail } from './lib/bootstrap.mjs';

const [name, ...args] = process.argv.slice(2);
const commands = new Set(['seed', 'backup', 'restore', 'bench-initiatives', 'bench-memo', 'bench-pdf', 'bench-meetings', 'bench-sessions', 'soak']);
if (!commands.has(name)) fail(new Error(`usage: node scripts/run.mjs ${[...commands].join('|')} [args]`));
try {
  checkNode();
  ensureDependencies();
  ensureEngine({ uriVar: 'MONGODB_URI' });
  build();
} catch (err) {
  fail(err);
}
const mod = await import(pathToFileURL(path.join(ROOT, 'dist/scripts', `${name}.js`)).href);
process.exitCode = await mod.run(args);
