import type { MonitorStore } from '../../db/index.ts';
import type { Logger } from '../../log/index.ts';
import { readCheck } from '../../monitor/index.ts';
import type { IncidentsService } from '../incidents/index.ts';

// A mark this fresh may belong to a probe still writing its incident.
const GRACE_MS = 15_000;

/**
 * Opens the incident for connections marked as needing re-auth whose incident was never written (the
 * worker died between the two writes). Built from what the mark kept; no TikTok call is needed.
 * Returns how many it announced.
 */
export async function announceOrphans(
  deps: {
    store: MonitorStore;
    incidents: IncidentsService;
    log: Logger;
    labelOf: (connectionId: string) => Promise<string>;
  },
  now: number,
): Promise<number> {
  const orphans = await deps.store.unannouncedReauth(new Date(now - GRACE_MS));
  for (const orphan of orphans) {
    const mark = orphan.detail as { verification?: string; token_environment?: string | null };
    const reading = readCheck(
      {
        connectionId: orphan.id,
        appId: orphan.app_id,
        label: await deps.labelOf(orphan.id),
        live: true,
        status: mark.verification ?? 'revoked',
        needsReauth: true,
        summary: orphan.status_reason ?? 'The token no longer works.',
        tokenEnvironment: mark.token_environment ?? null,
        removed: [],
        granted: [],
        diagnosis: null,
        accountStatus: { checked: false, blocked: [], refused: [], read: [], error: null },
      },
      now,
    );
    deps.log.info({ connection: orphan.id }, 'announcing a re-auth mark whose incident was never written');
    for (const observation of reading.observations) await deps.incidents.observe(observation);
  }
  return orphans.length;
}
