import type { Config } from '../../config/index.ts';
import { lockDataDir, MIGRATION_NAMES, migrateToLatest, openDatabase } from '../../db/index.ts';
import type { CliIo } from '../io.ts';

/** `adwarden migrate`: brings the database schema up to date (the service also does at start). */
export async function migrateCommand(config: Config, options: { json?: boolean }, io: CliIo): Promise<void> {
  const lock = config.databaseUrl ? null : lockDataDir(config.dataDir, 'migrate');
  try {
    const database = await openDatabase(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl }
        : { dataDir: config.dataDir, tuning: config.embedded },
    );
    try {
      const report = await migrateToLatest(database.db as never);
      const result = {
        database: database.kind,
        applied: report.applied,
        current: report.current,
        known: MIGRATION_NAMES,
      };
      if (options.json) io.stdout(`${JSON.stringify(result)}\n`);
      else
        io.stdout(
          report.applied.length > 0
            ? `applied ${report.applied.length} migration(s): ${report.applied.join(', ')}; schema is at ${report.current}\n`
            : `the schema is up to date (${report.current})\n`,
        );
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}
