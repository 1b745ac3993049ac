// The import rules of the code's shape (README "Code layout"), checked by `npm run lint` and so by `npm test`:
// features talk to each other through their public face (index.ts) only, no feature folder takes part in an
// import cycle, and the layers below features (kernel, platform, lib) never import a feature.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-between-folders',
      comment: 'Feature folders (and platform folders) form no import cycle: a feature that needs another one’s reaction publishes an event instead.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'No file takes part in an import cycle.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-feature-internals',
      comment: 'Another feature is reached through its index.ts (its public face), never its internal files.',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/[^/]+/.+', pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.ts$'] },
    },
    {
      name: 'wiring-uses-faces',
      comment: 'The wiring (app, main, features/index) reaches features through their index.ts too.',
      severity: 'error',
      from: { path: '^src/(app|main|features/index)\\.ts$' },
      to: { path: '^src/features/[^/]+/.+', pathNot: '^src/features/[^/]+/index\\.ts$' },
    },
    {
      name: 'platform-below-features',
      comment: 'kernel, platform and lib never import a feature: features register with them instead.',
      severity: 'error',
      from: { path: '^src/(kernel|platform|lib)/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'kernel-and-lib-stay-small',
      comment: 'lib is plain functions; the kernel is types and rules every feature speaks. Neither depends on platform.',
      severity: 'error',
      from: { path: '^src/(kernel|lib)/' },
      to: { path: '^src/(platform|features)/' },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
