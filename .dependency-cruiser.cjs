// The directions adwarden's code may import in (docs/architecture.md draws them). `npm run lint` runs
// this; a violation fails CI. Type-only imports count too: a layer that names another's types depends on it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'catalog-imports-nothing',
      comment: 'The failure catalog is data and pure functions: it depends on nothing of ours.',
      severity: 'error',
      from: { path: '^src/catalog/' },
      to: { path: '^src/', pathNot: '^src/catalog/' },
    },
    {
      name: 'domain-stays-pure',
      comment:
        'Decisions (catalog, incidents, monitor; notify’s rendering and routing) are functions of values: no IO, no adapters, no services. They may read the catalog and the incident vocabulary.',
      severity: 'error',
      from: { path: '^src/(incidents|monitor)/' },
      to: { path: '^src/', pathNot: '^src/(catalog|incidents|monitor)/' },
    },
    {
      name: 'domain-does-no-io',
      comment: 'No file system, network, processes or database drivers in the pure domain.',
      severity: 'error',
      from: {
        path: '^src/(catalog|incidents|monitor|notify)/',
        pathNot: '\\.test\\.ts$|^src/notify/channels/',
      },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        path: [
          '^(node:)?(fs|net|http|https|http2|dgram|dns|tls|child_process|worker_threads|cluster)',
          // npm packages resolve to their files under node_modules
          '^node_modules/(undici|pg|pg-boss|kysely|fastify|nodemailer)/',
          '^node_modules/@electric-sql/',
        ],
      },
    },
    {
      name: 'adapters-do-not-import-each-other',
      comment: 'Storage, HTTP server, notification channels and the TikTok transport meet only in app/.',
      severity: 'error',
      from: { path: '^src/(db/|server/|notify/channels/|tiktok/transport\\.ts$)' },
      to: {
        path: '^src/(db/|server/|jobs/|notify/channels/|tiktok/transport\\.ts$)',
        pathNot: '^src/$1',
      },
    },
    {
      name: 'emulator-stands-alone',
      comment:
        'The emulator ships on its own (adwarden/emulator) and imports no client or service code (only the Node version check every entry point runs first).',
      severity: 'error',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/(emulator/|require-node\\.ts$)' },
    },
    {
      name: 'only-entry-points-import-app',
      comment:
        'src/app/ is the composition root: only the commands and the demo (entry points) build services.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|cli|demo)/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'services-through-their-index',
      comment: 'The server, commands, demo and wiring use services/index.ts, never a workflow file.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/services/' },
      to: { path: '^src/services/', pathNot: '^src/services/index\\.ts$' },
    },
    {
      name: 'features-through-their-index',
      comment: 'A feature folder of services/ uses another feature only through that feature’s index.ts.',
      severity: 'error',
      from: { path: '^src/services/([^/]+)/' },
      to: { path: '^src/services/[^/]+/', pathNot: '^src/services/($1/|[^/]+/index\\.ts$)' },
    },
    {
      name: 'services-use-store-ports',
      comment:
        'Workflows reach storage through the store ports and the unit of work (db/index.ts), never the query builder or a driver.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: {
        path: ['^node_modules/(kysely|pg|pg-boss|@electric-sql/pglite)/', '^src/db/(?!index\\.ts$)'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
