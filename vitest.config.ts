import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing outside the process (npm test, any fresh machine);
// `postgres` needs a PostgreSQL server named by DATABASE_URL (npm run test:postgres, .ci/run).
// Each run also writes a JSON report that .ci/run turns into its "N passed, N failed" line.
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/postgres/**', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['test/postgres/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
