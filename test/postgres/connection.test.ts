import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';

// This suite needs a real PostgreSQL server (npm run test:postgres, with DATABASE_URL). It fails, never skips, without one.
const config = loadConfig();
if (!config.databaseUrl) {
  throw new Error(
    'DATABASE_URL is not set: npm run test:postgres needs a PostgreSQL server (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).',
  );
}
const client = new pg.Client({ connectionString: config.databaseUrl.reveal() });
const schema = `adwarden_test_${process.pid}_${Date.now()}`;

beforeAll(async () => {
  await client.connect();
  await client.query(`create schema ${schema}`);
});

afterAll(async () => {
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

describe('PostgreSQL', () => {
  it('answers on the configured server', async () => {
    const { rows } = await client.query<{ version: string }>('select version()');
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
  });

  it('stores and reads back a row with a 19-digit id as text', async () => {
    await client.query(`create table ${schema}.advertisers (id text primary key, name text not null)`);
    await client.query(`insert into ${schema}.advertisers values ($1, $2)`, ['7000000000000000001', 'Acme']);
    const { rows } = await client.query(`select id, name from ${schema}.advertisers`);
    expect(rows).toEqual([{ id: '7000000000000000001', name: 'Acme' }]);
  });
});
