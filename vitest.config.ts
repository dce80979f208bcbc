import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing outside the process (npm test, any fresh machine);
// `postgres` needs a PostgreSQL server named by DATABASE_URL (npm run test:postgres, .ci/run);
// `scenarios` plays every shipped scenario end to end, a few minutes (npm run test:scenarios, .ci/run);
// `browser` drives Debian's Chromium through the dashboard (npm run test:browser, .ci/run);
// `security` (fast) and `faults` (kills processes, restarts a PostgreSQL of its own) record their trials for
// docs/reliability.md (npm run test:security / test:faults, .ci/run); `soak` is long and runs by hand.
// Each run also writes a JSON report that .ci/run turns into its "N passed, N failed" line.
export default defineConfig({
  test: {
    // Vitest's default (one worker fewer than there are cores) means a single worker on a two-core
    // machine; most files wait on child processes and sockets, so two workers roughly halve npm test.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [
            'test/postgres/**',
            'test/scenarios/**',
            'test/browser/**',
            'test/security/**',
            'test/faults/**',
            'test/soak/**',
            'node_modules/**',
          ],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'scenarios',
          include: ['test/scenarios/**/*.test.ts'],
          testTimeout: 180_000,
          // The demo runs emulator, service and PGlite in one process on an accelerated clock, mostly
          // waiting for it: the files side by side (one worker each) use about one core between them. A
          // short fault (the outage lasts 6 s of real time) can still slip between sweeps on a busy machine; a retry
          // covers that, and vitest reports it.
          maxWorkers: 3,
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
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          globalSetup: ['test/support/trials-setup.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          globalSetup: ['test/support/trials-setup.ts'],
          // Processes are killed and a PostgreSQL server restarted: one file at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'soak',
          include: ['test/soak/**/*.test.ts'],
          globalSetup: ['test/support/trials-setup.ts'],
          testTimeout: 3 * 60 * 60_000,
          hookTimeout: 300_000,
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
