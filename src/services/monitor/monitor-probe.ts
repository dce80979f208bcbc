import type { ConnectionRow, MonitorStore } from '../../db/index.ts';
import { persist } from '../../db/index.ts';
import type { ConnectionsService } from '../connections/index.ts';
import { holdLease } from '../hold-lease.ts';
import type { IncidentsService } from '../incidents/index.ts';
import { ServiceError } from '../service-error.ts';
import type { Check, checkApplier } from './monitor-check.ts';

/** What a probe uses. */
export interface ProbeDeps {
  connections: ConnectionsService;
  incidents: IncidentsService;
  store: MonitorStore;
  now: () => number;
  labelOf: (connectionId: string) => Promise<string>;
  applyCheck: ReturnType<typeof checkApplier>['applyCheck'];
}

// A probe holds its connection with a short lease (monitor time) that it renews while it runs, so
// a worker that dies mid-probe frees the connection within the lease, not after the longest a probe
// could take.
const PROBE_LEASE_MS = 30_000;

/** Probes one connection unless another worker is probing it right now. */
export async function probeConnection(deps: ProbeDeps, connectionId: string, reason: string) {
  // ADW_NOT_FOUND for an unknown id, not a lease conflict.
  const connection = await deps.connections.require(connectionId);
  const now = deps.now();
  const until = new Date(now + PROBE_LEASE_MS);
  if (!(await deps.store.claimProbe(connectionId, new Date(now), until))) {
    // Another worker is probing it, perhaps from before what prompted this check: ask for one after.
    await deps.store.requestCheck(connectionId, new Date(now));
    return { check: null, outcome: 'skipped' as const, opened: [] as string[], next_check_at: null };
  }
  const lease = holdLease({
    until,
    leaseMs: PROBE_LEASE_MS,
    now: deps.now,
    renew: (held, next) => deps.store.renewProbe(connectionId, held, next),
  });
  let result: Awaited<ReturnType<typeof probeHeld>>;
  let next: Date | null;
  try {
    result = await probeHeld(deps, connection, reason);
  } finally {
    await lease.stop();
    // A lease left held (the database restarted just then) would keep the connection unchecked for
    // the whole lease: the release waits for the database to come back. A check asked for while this
    // one ran may be about a change it read TikTok too early to see: the release leaves it due.
    next = await persist(() => deps.store.releaseProbe(connectionId, new Date(deps.now())));
  }
  return { ...result, next_check_at: next?.toISOString() ?? null };
}

async function probeHeld(deps: ProbeDeps, connection: ConnectionRow, reason: string) {
  const connectionId = connection.id;
  let check: Check;
  // Advertisers with a standing /advertiser/info/ refusal are read on their own, not searched for again.
  // A refusal leaves the connection degraded, so a healthy one (nearly all of a sweep) needs no look-up.
  const isolate =
    connection.status === 'degraded'
      ? (await deps.incidents.active('permission', { connectionId })).flatMap((i) =>
          i.detail === 'GET /advertiser/info/' && i.subject.advertiserId ? [i.subject.advertiserId] : [],
        )
      : [];
  try {
    check = await deps.connections.check(connectionId, null, { isolate });
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'ADW_NEEDS_REAUTH') {
      // The refresh token was refused: the tokens service marked the connection; open the incident.
      check = await deps.connections.check(connectionId);
      const label = await deps.labelOf(connectionId);
      await deps.incidents.observe({
        problem: 'auth',
        subject: { type: 'connection', id: connectionId, label, connectionId, appId: connection.app_id },
        failing: true,
        at: deps.now(),
        source: 'sweep',
        summary: check.summary,
        fix: ['The owner opens the re-auth link adwarden sent and authorizes the app again.'],
        facts: { reason },
      });
      await deps.store.scheduleCheck(connectionId, null);
      return { check, outcome: 'dead' as const, opened: [], next_check_at: null };
    }
    throw error;
  }
  return deps.applyCheck(connectionId, connection.app_id, check);
}
