// What `npm start` and `npm test` do before anything else, on a fresh clone: install what is missing.
// Node built-ins only: this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const step = (msg) => process.stderr.write(`» ${msg}\n`);

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
  }
  return r;
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Node.js 20.19 or newer is needed (this is ${process.versions.node}).`);
  }
}

/** npm ci when node_modules is missing or older than package-lock.json. */
export function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  const fresh = fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return;
  step('Installing npm dependencies (npm ci)...');
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: 'true' } });
}

const SYSTEM_PACKAGES = [
  { pkg: 'chromium', present: () => ['/usr/bin/chromium', '/usr/bin/chromium-browser'].some(exists) || !!process.env.PUPPETEER_EXECUTABLE_PATH },
  // Prints PDFs several times faster than the full browser (src/platform/pdf/browser.ts); the full one stays
  // for the page tests.
  { pkg: 'chromium-headless-shell', present: () => exists('/usr/lib/chromium/chromium-headless-shell') || !!process.env.PUPPETEER_EXECUTABLE_PATH },
  { pkg: 'fonts-noto-core', present: () => exists('/usr/share/fonts/truetype/noto/NotoSansBengali-Regular.ttf') || exists('/usr/share/fonts/truetype/noto/NotoSerifBengali-Regular.ttf') },
  { pkg: 'poppler-utils', present: () => exists('/usr/bin/pdftotext') },
];

function exists(p) {
  return fs.existsSync(p);
}

/** Debian's chromium (Puppeteer cannot download its own here), Bangla fonts and pdftotext. */
export function ensureSystemPackages({ required }) {
  const missing = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim() !== '';
  if (isRoot && hasApt) {
    step(`Installing system packages: ${missing.join(' ')} (apt-get)...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    return;
  }
  const msg = `Missing system packages: ${missing.join(' ')}. Install them with: sudo apt-get install ${missing.join(' ')}`;
  if (required) throw new Error(msg);
  step(`${msg} (PDF documents need them; the rest of the app works without).`);
}

/** The embedded database engine, unless MONGODB_URI (or TEST_MONGODB_URI for tests) names a server. */
export function ensureEngine({ uriVar }) {
  if (process.env[uriVar] || process.env.MONGODB_URI) return;
  const onPath = spawnSync('sh', ['-c', 'command -v ferretdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return;
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/engine/build.sh')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error('The embedded database engine could not be built (see above). Set MONGODB_URI to use a MongoDB server instead.');
  }
}

/** Compiles src/ and scripts/ to dist/ (incremental: quick when nothing changed). */
export function build() {
  run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
}

export function typecheck() {
  step('Type-checking...');
  run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
}

/** `npm run lint`: ESLint and the import rules (.dependency-cruiser.cjs). */
export function lint() {
  step('Linting (ESLint and the import rules)...');
  run(process.execPath, [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '.']);
  run(process.execPath, [path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs']);
}

export function fail(err) {
  process.stderr.write(`\n${err instanceof Error ? err.message : String(err)}\n\n`);
  process.exit(1);
}
