import { type ConnectionRow, persist, type Stores, type UnitOfWork } from '../../db/index.ts';
import type { Incident, RemediationAction } from '../../incidents/index.ts';
import type { Logger } from '../../log/index.ts';
import type { ConnectionsService, ReplayReport, TokensService } from '../connections/index.ts';
import { holdLease } from '../hold-lease.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { NotificationsService } from '../notifications/index.ts';
import { ServiceError } from '../service-error.ts';
import { executeAction } from './monitor-actions.ts';
import { type AdvertiserNames, type Check, checkApplier, type MonitorStats } from './monitor-check.ts';
import { runDaily } from './monitor-daily.ts';
import { type InBandReport, observeInBand } from './monitor-in-band.ts';
import { announceOrphans } from './monitor-orphans.ts';
import type { MonitorSettings } from './monitor-settings.ts';
import { planTick } from './monitor-tick.ts';
import { videoWatch } from './monitor-videos.ts';
import { watchConnection } from './monitor-watch.ts';

/** Where planned work goes: pg-boss queues in a worker, or run in place. */
export interface Dispatcher {
  /** False when a probe for the connection is already queued or running. */
  probe(connectionId: string, reason: string): Promise<boolean>;
  watch(connectionId: string): Promise<void>;
  deliver(notificationId: string): Promise<void>;
  daily(schedule: string): Promise<void>;
  videos(connectionId: string): Promise<void>;
}

/**
 * The 24/7 monitor: plans sweeps and campaign watch on its clock, probes connections, turns what it
 * finds into observations for the incident engine, correlates platform outages, runs the daily
 * expiry and retention work, and carries out the remediation actions that need TikTok.
 */
export function monitorService(deps: {
  data: UnitOfWork<
    Pick<Stores, 'connections' | 'incidents' | 'monitor' | 'oauth' | 'parkedCalls' | 'videos'>
  >;
  connections: ConnectionsService;
  incidents: IncidentsService;
  notifications: NotificationsService;
  tokens: TokensService;
  settings: MonitorSettings;
  now: () => number;
  log: Logger;
  random?: () => number;
}) {
  const random = deps.random ?? Math.random;
  const store = () => deps.data.stores.monitor;
  const replays = new Map<string, ReplayReport>();
  const stats: MonitorStats = { checks: 0, watches: 0, minimumCalls: 0 };
  let dispatch: Dispatcher | null = null;

  /** How people know the connection: its first granted advertiser's name (from `known` when read already). */
  async function labelOf(connectionId: string, known?: AdvertiserNames): Promise<string> {
    const names = (known ?? (await store().advertiserNames(connectionId))).filter((a) => a.granted);
    const first = names[0];
    if (!first) {
      const connection = await deps.connections.require(connectionId).catch(() => null);
      return connection?.regime === 'tt_user' ? `TikTok account (${connectionId})` : connectionId;
    }
    return `${first.name === first.advertiser_id ? first.advertiser_id : first.name}${names.length > 1 ? ` +${names.length - 1}` : ''} (${connectionId})`;
  }
  const { applyCheck } = checkApplier({ ...deps, random, labelOf, stats });

  // A probe holds its connection with a short lease (monitor time) that it renews while it runs, so
  // a worker that dies mid-probe frees the connection within the lease, not after the longest a probe
  // could take.
  const PROBE_LEASE_MS = 30_000;

  /** Probes one connection unless another worker is probing it right now. */
  async function probe(connectionId: string, reason: string) {
    // ADW_NOT_FOUND for an unknown id, not a lease conflict.
    const connection = await deps.connections.require(connectionId);
    const now = deps.now();
    const until = new Date(now + PROBE_LEASE_MS);
    if (!(await store().claimProbe(connectionId, new Date(now), until))) {
      // Another worker is probing it, perhaps from before what prompted this check: ask for one after.
      await store().requestCheck(connectionId, new Date(now));
      return { check: null, outcome: 'skipped' as const, opened: [] as string[], next_check_at: null };
    }
    const lease = holdLease({
      until,
      leaseMs: PROBE_LEASE_MS,
      now: deps.now,
      renew: (held, next) => store().renewProbe(connectionId, held, next),
    });
    let result: Awaited<ReturnType<typeof probeHeld>>;
    let next: Date | null;
    try {
      result = await probeHeld(connection, reason);
    } finally {
      await lease.stop();
      // A lease left held (the database restarted just then) would keep the connection unchecked for
      // the whole lease: the release waits for the database to come back. A check asked for while this
      // one ran may be about a change it read TikTok too early to see: the release leaves it due.
      next = await persist(() => store().releaseProbe(connectionId, new Date(deps.now())));
    }
    return { ...result, next_check_at: next?.toISOString() ?? null };
  }

  async function probeHeld(connection: ConnectionRow, reason: string) {
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
        const label = await labelOf(connectionId);
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
        await store().scheduleCheck(connectionId, null);
        return { check, outcome: 'dead' as const, opened: [], next_check_at: null };
      }
      throw error;
    }
    return applyCheck(connectionId, connection.app_id, check);
  }

  /** A daily schedule: `expiry`, `retention`, or `digest` (what hourly caps held back, per channel). */
  async function runSchedule(schedule: string): Promise<Record<string, number>> {
    if (schedule !== 'digest') return runDaily({ ...deps, labelOf, store: store() }, schedule);
    const ids = await deps.notifications.digest();
    for (const id of ids) await dispatcher().deliver(id);
    return { digests: ids.length };
  }

  // Without workers (tests, one-off commands) planned work runs here and now.
  const inPlace: Dispatcher = {
    probe: async (id, reason) => {
      await probe(id, reason).catch((error) => deps.log.warn({ err: error, connection: id }, 'probe failed'));
      return true;
    },
    watch: async (id) => {
      await api.watch(id).catch((error) => deps.log.warn({ err: error, connection: id }, 'watch failed'));
    },
    videos: async (id) => {
      await api.pollVideos(id).catch((error) => deps.log.warn({ err: error }, 'video poll failed'));
    },
    deliver: async (id) => {
      await deps.notifications.deliver(id);
    },
    daily: async (schedule) => {
      await runSchedule(schedule);
    },
  };
  const dispatcher = () => dispatch ?? inPlace;

  /**
   * Asks for a probe of the connection now. When one is already queued or running, the request is
   * recorded instead: a queued probe answers it when it starts; a running one, which may have read
   * TikTok before this request, leaves the connection due when it ends.
   */
  const probeSoon = async (connectionId: string, reason: string) => {
    if (!(await dispatcher().probe(connectionId, reason)))
      await store().requestCheck(connectionId, new Date(deps.now()));
  };

  const videos = videoWatch({
    ...deps,
    videos: deps.data.stores.videos,
    probeSoon: (id) => probeSoon(id, 'video_watch'),
  });

  const api = {
    /** Routes planned work; without it, work runs in place. */
    attach(dispatcher: Dispatcher | null) {
      dispatch = dispatcher;
    },
    probe,
    /** Starts delivering notifications a committed change queued (without workers, the next tick does). */
    queued(ids: string[]) {
      if (!dispatch) return;
      for (const id of ids)
        dispatch
          .deliver(id)
          .catch((error) => deps.log.warn({ err: error, notification: id }, 'could not queue a delivery'));
    },
    /** Applies the check made right after an OAuth callback (a new connection, or a repaired one). */
    async afterCallback(
      connectionId: string,
      purpose: 'connect' | 'reauth',
      check: Check,
      replay: ReplayReport | null,
    ) {
      if (replay) replays.set(connectionId, replay);
      const connection = await deps.connections.require(connectionId);
      return applyCheck(connectionId, connection.app_id, check, { definitive: purpose === 'reauth' });
    },
    /** Campaign watch of one connection's advertisers. */
    async watch(connectionId: string) {
      const result = await watchConnection(
        {
          ...deps,
          labelOf,
          probeSoon: (id) => probeSoon(id, 'campaign_watch'),
        },
        connectionId,
      );
      stats.watches++;
      stats.minimumCalls += result.minimumCalls;
      return result;
    },
    /** Uploads watched until TikTok has transcoded them (`POST /api/v1/videos`). */
    videos: {
      watch: videos.watch,
      list: videos.list,
    },
    /** Polls one connection's watched uploads that are due. */
    async pollVideos(connectionId: string) {
      const result = await videos.poll(connectionId);
      stats.minimumCalls += result.calls;
      return result;
    },
    /** A connection's checks over the last `ms` (the dashboard's health chart). */
    checkHistory: (connectionId: string, ms: number) =>
      store().checksOf(connectionId, new Date(deps.now() - ms)),
    /** Checks made, and TikTok calls they took, over the last `ms`. */
    checkTotals: (ms: number) => store().checkTotals(new Date(deps.now() - ms)),
    /** What this process's monitor did: checks, watches, and the fewest TikTok calls that work needed. */
    stats: () => ({ ...stats }),
    /** A daily schedule: `expiry`, `retention` or `digest`. */
    daily: (schedule: string) => runSchedule(schedule),
    /** Plans what is due on the monitor's clock (see `planTick`); safe to call from every worker at once. */
    tick: () =>
      planTick({
        ...deps,
        store: store(),
        random,
        dispatch: dispatcher(),
        announceOrphans: (now) => announceOrphans({ ...deps, store: store(), labelOf }, now),
        videosDue: videos.dueConnections,
      }),
    /** Carries out a remediation action that needs TikTok or the vault (the incident engine's executor). */
    execute: (action: RemediationAction, incident: Incident) =>
      executeAction({ ...deps, replays }, action, incident),
    /**
     * An in-band report from a library user's failed call. Permission problems open an incident at
     * once; auth failures are verified by a probe first (evidence before destruction).
     */
    observeInBand: (report: InBandReport) =>
      observeInBand(
        {
          ...deps,
          labelOf,
          advertiserName: async (connectionId, advertiserId) =>
            (await store().advertiserNames(connectionId)).find((a) => a.advertiser_id === advertiserId)
              ?.name ?? advertiserId,
          verify: (id) => probeSoon(id, 'in_band'),
        },
        report,
      ),
    /** Deletes OAuth states that can no longer be used (part of retention). */
    pruneStates: () => deps.data.stores.oauth.pruneStates(new Date(deps.now())),
  };
  return api;
}

export type MonitorService = ReturnType<typeof monitorService>;
