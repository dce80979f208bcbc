import type { Stores, UnitOfWork } from '../../db/index.ts';
import { isTikTokError } from '../../tiktok/index.ts';
import type { ConnectionsService } from './connections-service.ts';

/** What a replay did. */
export interface ReplayReport {
  replayed: number;
  failed: number;
  skipped: number;
}

/**
 * Re-runs the calls parked while the connection was broken, oldest first: reads, and writes marked
 * replay-safe. Other writes are skipped with a note (sending them again could duplicate an ad).
 */
export async function replayParkedCalls(
  deps: {
    data: UnitOfWork<Pick<Stores, 'connections' | 'parkedCalls'>>;
    connections: ConnectionsService;
    now: () => number;
  },
  connectionId: string,
): Promise<ReplayReport> {
  const parked = deps.data.stores.parkedCalls;
  const report: ReplayReport = { replayed: 0, failed: 0, skipped: 0 };
  for (const call of await parked.pending(connectionId)) {
    const at = () => new Date(deps.now());
    if (!call.replay_safe) {
      if (
        await parked.finish(
          call.id,
          'skipped',
          'a write not marked replay-safe: a person decides whether to send it again',
          at(),
        )
      )
        report.skipped++;
      continue;
    }
    try {
      await deps.connections.call(
        connectionId,
        call.method,
        call.path,
        {
          query: (call.query ?? undefined) as never,
          body: call.body ?? undefined,
          advertiserId: call.advertiser_id ?? undefined,
          replaySafe: true,
        },
        { park: false },
      );
      if (await parked.finish(call.id, 'replayed', 'succeeded', at())) report.replayed++;
    } catch (error) {
      const code = isTikTokError(error) ? error.code : error instanceof Error ? error.message : String(error);
      if (await parked.finish(call.id, 'failed', `failed again: ${code}`, at())) report.failed++;
    }
  }
  if (report.replayed + report.failed + report.skipped > 0) {
    await deps.data.stores.connections.addEvent(
      connectionId,
      'parked_calls_replayed',
      { ...report },
      new Date(deps.now()),
    );
  }
  return report;
}
