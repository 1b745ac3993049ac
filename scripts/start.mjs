// npm start: install what is missing, build, then run the app (which brings up the embedded database,
// seeds the demo on an empty database, and prints the URL and the demo logins).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, build, checkNode, ensureDependencies, ensureEngine, ensureSystemPackages, fail } from './lib/bootstrap.mjs';

try {
  checkNode();
  ensureDependencies();
  ensureSystemPackages({ required: false });
  ensureEngine({ uriVar: 'MONGODB_URI' });
  build();
} catch (err) {
  fail(err);
}
const { main } = await import(pathToFileURL(path.join(ROOT, 'dist/src/main.js')).href);
await main();
