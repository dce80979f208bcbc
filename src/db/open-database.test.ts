import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.ts';

describe('openDatabase (embedded)', () => {
  it('runs PGlite with the tuned shared_buffers, and keeps the data dir’s own postgresql.conf', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'adwarden-open-'));
    const first = await openDatabase({ dataDir, tuning: { sharedBuffersMb: 16, optimizeWasm: false } });
    if (first.kind !== 'pglite') throw new Error('expected PGlite');
    expect((await first.pglite.query<{ shared_buffers: string }>('show shared_buffers')).rows[0]).toEqual({
      shared_buffers: '16MB',
    });
    await first.pglite.exec('create table kept (id int); insert into kept values (1)');
    await first.close();
    // Start parameters, not a rewritten postgresql.conf: a later open with other settings still works.
    const again = await openDatabase({ dataDir, tuning: { sharedBuffersMb: 48, optimizeWasm: false } });
    if (again.kind !== 'pglite') throw new Error('expected PGlite');
    expect((await again.pglite.query('show shared_buffers')).rows[0]).toEqual({ shared_buffers: '48MB' });
    expect((await again.pglite.query('select id from kept')).rows).toEqual([{ id: 1 }]);
    expect(
      (await again.pglite.query<{ tz: string }>("select current_setting('TimeZone') as tz")).rows[0]?.tz,
    ).toBeTruthy();
    await again.close();
  });
});
