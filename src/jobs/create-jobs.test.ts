import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../db/index.ts';
import { createLogger } from '../log/index.ts';
import { createJobs, type Jobs, QUEUES } from './create-jobs.ts';

describe('createJobs', () => {
  let database: DatabaseHandle;
  let jobs: Jobs;
  let clock = 0;

  beforeAll(async () => {
    database = await openDatabase({ memory: true });
    jobs = await createJobs(database, { log: createLogger({ level: 'silent' }), clock: () => clock });
  }, 60_000);
  afterAll(async () => {
    await jobs?.stop();
    await database?.close();
  });

  it('queues nothing twice for the same connection while the first still waits', async () => {
    const first = await jobs.sendUnlessWaiting('watch', { connectionId: 'con_a' }, 'con_a');
    expect(first).toMatch(/\w/);
    expect(await jobs.sendUnlessWaiting('watch', { connectionId: 'con_a' }, 'con_a')).toBeNull();
    expect(await jobs.sendUnlessWaiting('watch', { connectionId: 'con_b' }, 'con_b')).toMatch(/\w/);
    // Once a worker has taken it, the next one may be queued (read again after the quarter-second cache).
    const [taken] = await jobs.boss.fetch(QUEUES.watch.name, { batchSize: 1 });
    expect(taken?.id).toBe(first);
    clock += 300;
    expect(await jobs.sendUnlessWaiting('watch', { connectionId: 'con_a' }, 'con_a')).toMatch(/\w/);
  });

  it('keeps finished jobs an hour, and expects a heartbeat from running ones every 10 s', async () => {
    const queue = await jobs.boss.getQueue(QUEUES.probe.name);
    expect(queue).toMatchObject({ deleteAfterSeconds: 3_600, heartbeatSeconds: 10 });
  });

  it('retries a failed probe within seconds, and brings an existing queue to the same settings', async () => {
    expect(await jobs.boss.getQueue(QUEUES.probe.name)).toMatchObject({
      retryLimit: 3,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 30,
    });
    await jobs.boss.updateQueue(QUEUES.probe.name, { retryDelay: 5, retryBackoff: true, retryDelayMax: 600 });
    const again = await createJobs(database, { log: createLogger({ level: 'silent' }) });
    try {
      expect(await again.boss.getQueue(QUEUES.probe.name)).toMatchObject({
        retryDelay: 1,
        retryDelayMax: 30,
      });
    } finally {
      await again.stop();
    }
  });
});
