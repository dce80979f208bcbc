import { isInconclusiveFailure } from '../../catalog/index.ts';
import type { MonitorStore, Stores, UnitOfWork } from '../../db/index.ts';
import {
  type CheckOutcome,
  correlateOutage,
  fingerprintOf,
  type Incident,
  type Observation,
} from '../../incidents/index.ts';
import type { Logger } from '../../log/index.ts';
import {
  blindSpotObservation,
  type CheckFindings,
  type CheckOutcomeKind,
  nextCheckAt,
  outageObservation,
  provenRecoveries,
  readCheck,
  unreachableObservation,
} from '../../monitor/index.ts';
import type { ConnectionsService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import { checkFindings } from './check-findings.ts';
import type { MonitorSettings } from './monitor-settings.ts';

export type Check = Awaited<ReturnType<ConnectionsService['check']>>;

/** A connection's advertisers by name, as the monitor labels it. */
export type AdvertiserNames = Awaited<ReturnType<MonitorStore['advertiserNames']>>;

/** What this process's monitor did, for reports: checks made and the fewest calls they could take. */
export interface MonitorStats {
  checks: number;
  watches: number;
  minimumCalls: number;
}

/** What reading checks uses. */
export interface ApplierDeps {
  data: UnitOfWork<Pick<Stores, 'incidents' | 'monitor' | 'push'>>;
  connections: ConnectionsService;
  incidents: IncidentsService;
  settings: MonitorSettings;
  now: () => number;
  log: Logger;
  random: () => number;
  labelOf: (connectionId: string, known: AdvertiserNames) => Promise<string>;
  stats: MonitorStats;
}

/**
 * Reads checks into the incident engine: problems found and recovered, platform outages told apart
 * from single connections by correlation, and when each connection is checked next.
 */
export function checkApplier(deps: ApplierDeps) {
  const { labelOf, random, stats } = deps;
  const store = () => deps.data.stores.monitor;

  const feed = (observations: Observation[], active: Set<string>) => feedActive(deps, observations, active);

  /** Applies a check: incidents, recoveries, outage correlation, the next check's time. */
  async function applyCheck(
    connectionId: string,
    appId: string,
    check: Check,
    options: { definitive?: boolean } = {},
  ) {
    const now = deps.now();
    const names = await store().advertiserNames(connectionId);
    const findings = checkFindings(
      { connectionId, appId, label: await labelOf(connectionId, names), names },
      check,
    );
    const reading = readCheck(findings, now);
    deps.log.debug(
      {
        connection: connectionId,
        outcome: reading.outcome,
        status: findings.status,
        code: findings.diagnosis?.code ?? null,
      },
      'check read',
    );
    countCheck(stats, findings);
    const active = await deps.data.stores.incidents.activeFingerprints(connectionId, appId);
    const observations = options.definitive ? reading.observations.map(asReauth) : reading.observations;
    // Recoveries a single check proves: advertisers back in the authorization, accounts enabled again.
    observations.push(
      ...provenRecoveries(
        findings,
        reading,
        {
          removed: await deps.incidents.active('advertiser_removed', { connectionId }),
          accountStatus: await deps.incidents.active('account_status', { connectionId }),
        },
        now,
      ),
    );
    const opened = await feed(observations, active);

    const connection = await deps.connections.require(connectionId);
    const blind = findings.live ? blindSpotOf(deps.settings, findings, reading, connection, now) : null;
    if (blind) opened.push(...(await feed([blind], active)));
    const failures = reading.outcome === 'transient' ? connection.check_failures + 1 : 0;
    const next = nextCheckAt(
      reading.outcome === 'rate_limited' ? 'transient' : reading.outcome,
      Math.max(1, failures),
      now,
      deps.settings.sweep,
      random,
    );
    await store().scheduleCheck(connectionId, next === null ? null : new Date(next), failures);
    await correlate(deps, now, active);
    const unreachable = unreachableObservation(findings, reading.outcome, failures, now);
    if (unreachable) await feed([unreachable], active);
    return {
      check,
      outcome: reading.outcome,
      opened: opened.map((i) => i.id),
      next_check_at: next === null ? null : new Date(next).toISOString(),
    };
  }

  return { applyCheck };
}

/** Feeds observations, skipping recoveries of problems that have no open incident. */
async function feedActive(
  deps: Pick<ApplierDeps, 'incidents'>,
  observations: Observation[],
  active: Set<string>,
): Promise<Incident[]> {
  const opened: Incident[] = [];
  for (const observation of observations) {
    if (!observation.failing && !active.has(fingerprintOf(observation))) continue;
    const result = await deps.incidents.observe(observation);
    if (result.incident && observation.failing) opened.push(result.incident);
  }
  return opened;
}

/** Many connections failing transiently together is one platform incident. */
async function correlate(deps: ApplierDeps, now: number, active: Set<string>) {
  const rows = await deps.data.stores.monitor.recentChecks(new Date(now - deps.settings.outage.windowMs));
  const outcomes: CheckOutcome[] = rows.map((r) => ({
    connectionId: r.connection_id,
    appId: r.app_id,
    at: r.at.getTime(),
    outcome:
      r.outcome === 'inconclusive' && isInconclusiveFailure(r.kind ?? '')
        ? 'transient'
        : r.outcome === 'inconclusive'
          ? 'other'
          : 'ok',
  }));
  const verdict = correlateOutage(outcomes, now, deps.settings.outage);
  deps.log.debug(
    { outage: verdict.outage, failing: verdict.failing.length, checked: verdict.checked },
    'outage correlation',
  );
  // TikTok's incidents open now, or resolved within the last half hour (an outage outlasts TikTok's notice).
  const reported = verdict.outage
    ? (await deps.data.stores.push.platformIncidents({ limit: 20 })).filter(
        (i) => i.state === 'open' || (i.resolved_at?.getTime() ?? 0) >= now - 30 * 60_000,
      )
    : [];
  const observation = outageObservation(verdict, now, deps.settings.outage.windowMs, reported);
  await feedActive(deps, [observation], active);
}

/** The fewest calls a live check could have taken: the token probe, and one per 100 advertisers read. */
function countCheck(stats: MonitorStats, findings: CheckFindings) {
  if (!findings.live) return;
  stats.checks++;
  const { accountStatus } = findings;
  const infoCalls =
    accountStatus.checked || accountStatus.error ? Math.ceil(findings.granted.length / 100) : 0;
  stats.minimumCalls += 1 + infoCalls;
}

/** A check right after the owner authorized again: its token recoveries are definitive, by re-auth. */
function asReauth(o: Observation): Observation {
  if (o.failing || (o.problem !== 'auth' && o.problem !== 'environment')) return o;
  return {
    ...o,
    definitive: true,
    source: 'reauth',
    summary: 'The owner authorized again; the token works.',
  };
}

/** The monitoring blind spot one live check may show: no successful check for too long (pure). */
function blindSpotOf(
  settings: MonitorSettings,
  findings: CheckFindings,
  reading: { outcome: CheckOutcomeKind },
  connection: { last_ok_at: Date | null; created_at: Date },
  now: number,
) {
  return blindSpotObservation(
    {
      outcome: reading.outcome,
      diagnosis: findings.diagnosis,
      appId: findings.appId,
      connection: { id: findings.connectionId, label: findings.label },
      lastOkAt: (connection.last_ok_at ?? connection.created_at).getTime(),
      now,
      sweepIntervalMs: settings.sweep.intervalMs,
    },
    settings.blindSpot,
  );
}
