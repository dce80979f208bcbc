import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing outside the process (npm test, any fresh machine);
// `postgres` needs a PostgreSQL server named by DATABASE_URL (npm run test:postgres, .ci/run);
// `scenarios` plays every shipped scenario end to end, a few minutes (npm run test:scenarios, .ci/run);
// `browser` drives Debian's Chromium through the dashboard (npm run test:browser, .ci/run).
// Each run also writes a JSON report that .ci/run turns into its "N passed, N failed" line.
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/postgres/**', 'test/scenarios/**', 'test/browser/**', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'scenarios',
          include: ['test/scenarios/**/*.test.ts'],
          testTimeout: 180_000,
          // The demo runs emulator, service and PGlite in one process on an accelerated clock: a short
          // fault (the outage lasts 6 s of real time) can slip between sweeps on a busy machine. One file
          // at a time keeps the machine quiet; a retry covers the rest, and is reported by vitest.
          fileParallelism: false,
          retry: 2,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // One Chromium and one demo at a time; screenshots go to test-results/browser/.
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['test/postgres/**/*.test.ts'],
          // One file at a time: Kysely's migrator looks for its lock table in any schema, so fresh
          // schemas migrated side by side in one database race each other.
          fileParallelism: false,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
