// A second process for the shared-pacing test: one client on the shared PostgreSQL limiter makes N calls.
// Usage: node pacing-worker.ts <databaseUrl> <table> <baseUrl> <appId> <token> <calls>
import pg from 'pg';
import { createTikTokClient, postgresLimiterFactory } from '../../src/index.ts';

const [databaseUrl, table, baseUrl, appId, token, calls] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
const client = createTikTokClient({
  appId,
  accessToken: token,
  baseUrl,
  tier: 'basic',
  limiterFactory: await postgresLimiterFactory(pool, { tableName: table }),
});
await Promise.all(Array.from({ length: Number(calls) }, () => client.getUserInfo()));
await client.close();
await pool.end();
