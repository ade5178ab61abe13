// A lib's public entry points: its index.ts, and an I/O-free pure.ts (@bus/platform/pure,
// @bus/contracts/pure) for domain/ files.
const PUBLIC_ENTRY = ['^libs/[^/]+/src/(index|pure)\\.ts$'];
// Packages that do I/O or boot a framework; domain/ must not load them, directly (domain-is-pure)
// or through barrels and re-exports (domain-reaches-no-io in .dependency-cruiser.runtime.mjs).
// Not anchored at ^: a symlinked node_modules resolves to its real path (../main/node_modules/…).
const IO_PACKAGES =
  '(^|/)node_modules/(kafkajs|pg|pg-[^/]+|@nestjs|@kafkajs|node-pg-migrate|pino|pino-[^/]+|nestjs-pino|prom-client|express)/';

/** @type {import('dependency-cruiser').IConfiguration} */
const config = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles hide layering mistakes and break module initialisation order.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-app-to-app',
      severity: 'error',
      comment: 'Apps are thin wiring; shared logic belongs in a lib.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-deep-lib-imports',
      severity: 'error',
      comment: 'Use a lib only through its public index.ts (its @bus/<name> alias).',
      from: { pathNot: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: PUBLIC_ENTRY },
    },
    {
      name: 'no-deep-lib-imports-between-libs',
      severity: 'error',
      comment: 'One lib uses another only through its index.ts.',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/$1/', ...PUBLIC_ENTRY] },
    },
    {
      name: 'no-lib-to-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds pure rules: no I/O, no application or infrastructure code.',
      from: { path: '/domain/' },
      to: {
        path: ['/application/', '/infrastructure/', IO_PACKAGES],
      },
    },
    {
      name: 'application-not-infrastructure',
      severity: 'error',
      comment: 'Use cases depend on ports, not on adapters.',
      from: { path: '/application/' },
      to: { path: '/infrastructure/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // The I/O packages stay in the graph (as leaves: doNotFollow) so domain-reaches-no-io can see them.
    includeOnly: ['^(apps|libs|test|tools|bench)/', IO_PACKAGES],
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};

module.exports = config;
// The runtime pass (.dependency-cruiser.runtime.mjs) reuses the list; not enumerable because
// dependency-cruiser rejects unknown keys in a configuration.
Object.defineProperty(module.exports, 'IO_PACKAGES', { value: IO_PACKAGES });
