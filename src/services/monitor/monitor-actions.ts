import type { Stores, UnitOfWork } from '../../db/index.ts';
import type { Incident, RemediationAction } from '../../incidents/index.ts';
import type { ConnectionsService, TokensService } from '../connections/index.ts';
import { type ReplayReport, replayParkedCalls } from '../connections/index.ts';
import type { MonitorSettings } from './monitor-settings.ts';

/**
 * Carries out a remediation action that needs TikTok or the vault, after the incident change has
 * committed; returns what happened, for the incident's "handled automatically" line.
 */
export async function executeAction(
  deps: {
    data: UnitOfWork<Pick<Stores, 'connections' | 'parkedCalls'>>;
    connections: ConnectionsService;
    tokens: TokensService;
    settings: MonitorSettings;
    now: () => number;
    /** What the OAuth callback already re-ran, by connection (reported with the incident). */
    replays: Map<string, ReplayReport>;
  },
  action: RemediationAction,
  incident: Incident,
): Promise<string> {
  switch (action.type) {
    case 'refresh_token':
      await deps.tokens.refreshAhead(action.connectionId, deps.settings.expiry.refreshLeadMs);
      return 'a new access token is in use';
    case 'recheck': {
      const connection = await deps.connections.require(action.connectionId);
      return `next check at ${connection.next_check_at?.toISOString() ?? 'once repaired'}`;
    }
    case 'replay_parked': {
      const earlier = deps.replays.get(action.connectionId);
      deps.replays.delete(action.connectionId);
      const now = await replayParkedCalls(
        { data: deps.data, connections: deps.connections, now: deps.now },
        action.connectionId,
      );
      const total = {
        replayed: now.replayed + (earlier?.replayed ?? 0),
        failed: now.failed + (earlier?.failed ?? 0),
        skipped: now.skipped + (earlier?.skipped ?? 0),
      };
      return `${total.replayed} re-run, ${total.failed} failed again, ${total.skipped} writes left for a person`;
    }
    default:
      return `nothing to do for ${incident.problem}`;
  }
}
