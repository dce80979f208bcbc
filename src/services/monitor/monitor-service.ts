import type { MonitorStore, Stores, UnitOfWork } from '../../db/index.ts';
import type { Incident, RemediationAction } from '../../incidents/index.ts';
import type { Logger } from '../../log/index.ts';
import type { ConnectionsService, ReplayReport, TokensService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { NotificationsService } from '../notifications/index.ts';
import { type FamilyMemory, familyMemory } from './delivery-listings.ts';
import { executeAction } from './monitor-actions.ts';
import { type AdvertiserNames, type Check, checkApplier, type MonitorStats } from './monitor-check.ts';
import { runDaily } from './monitor-daily.ts';
import { type InBandReport, observeInBand } from './monitor-in-band.ts';
import { announceOrphans } from './monitor-orphans.ts';
import { probeConnection } from './monitor-probe.ts';
import type { MonitorSettings } from './monitor-settings.ts';
import { planTick } from './monitor-tick.ts';
import { trends } from './monitor-trends.ts';
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

/** What the monitor uses. */
export interface MonitorDeps {
  data: UnitOfWork<
    Pick<
      Stores,
      | 'apps'
      | 'connections'
      | 'incidents'
      | 'monitor'
      | 'oauth'
      | 'parkedCalls'
      | 'push'
      | 'spend'
      | 'trends'
      | 'videos'
    >
  >;
  connections: ConnectionsService;
  incidents: IncidentsService;
  notifications: NotificationsService;
  tokens: TokensService;
  settings: MonitorSettings;
  now: () => number;
  log: Logger;
  random?: () => number;
  /** TikTok's push signals and status, when wired: subscriptions after every callback, schedules. */
  signals?: () => Signals | undefined;
}

/** What the monitor asks of the push and platform-status services. */
export interface Signals {
  subscribe(connectionId: string): Promise<number>;
  reconcile(): Promise<Record<string, number>>;
  pollStatus(): Promise<number | null>;
}

/**
 * The 24/7 monitor: plans sweeps and campaign watch on its clock, probes connections, turns what it
 * finds into observations for the incident engine, correlates platform outages, runs the daily
 * expiry and retention work, and carries out the remediation actions that need TikTok.
 */
export function monitorService(deps: MonitorDeps) {
  const random = deps.random ?? Math.random;
  const store = () => deps.data.stores.monitor;
  const replays = new Map<string, ReplayReport>();
  const stats: MonitorStats = { checks: 0, watches: 0, minimumCalls: 0 };
  let dispatch: Dispatcher | null = null;

  const labelOf = (connectionId: string, known?: AdvertiserNames) =>
    connectionLabel(deps, connectionId, known);
  const { applyCheck } = checkApplier({ ...deps, random, labelOf, stats });

  const probe = (connectionId: string, reason: string) =>
    probeConnection({ ...deps, store: store(), labelOf, applyCheck }, connectionId, reason);

  // Without workers (tests, one-off commands) planned work runs here and now.
  const inPlace = inPlaceDispatcher(deps.log, {
    probe,
    watch: (id) => api.watch(id),
    videos: (id) => api.pollVideos(id),
    deliver: (id) => deps.notifications.deliver(id),
    daily: (schedule) => runSchedule(shared(), schedule),
  });
  const dispatcher = () => dispatch ?? inPlace;

  const probeSoon = (connectionId: string, reason: string) =>
    requestProbe(dispatcher(), store(), deps.now(), connectionId, reason);

  const videoStore = deps.data.stores.videos;
  const videos = videoWatch({ ...deps, videos: videoStore, probeSoon: (id) => probeSoon(id, 'video_watch') });

  const shared = (): Shared => ({
    ...deps,
    store: store(),
    labelOf,
    random,
    stats,
    replays,
    applyCheck,
    probeSoon,
    dispatch: dispatcher(),
    videosDue: videos.dueConnections,
    families: familiesOf(deps),
  });

  const api = {
    /** Routes planned work; without it, work runs in place. */
    attach(dispatcher: Dispatcher | null) {
      dispatch = dispatcher;
    },
    probe,
    /** Starts delivering notifications a committed change queued (without workers, the next tick does). */
    queued(ids: string[]) {
      if (dispatch) deliverQueued(dispatch, ids, deps.log);
    },
    /** Applies the check made right after an OAuth callback (a new connection, or a repaired one). */
    afterCallback: (id: string, purpose: 'connect' | 'reauth', check: Check, replay: ReplayReport | null) =>
      afterCallback(shared(), id, purpose, check, replay),
    /** Asks for a check of the connection soon (queued with the workers, or run here). */
    requestCheck: (connectionId: string, reason: string) => probeSoon(connectionId, reason),
    /** Campaign watch of one connection's advertisers. */
    watch: (connectionId: string) => watchAndCount(shared(), connectionId),
    /** Uploads watched until TikTok has transcoded them (`POST /api/v1/videos`). */
    videos: { watch: videos.watch, list: videos.list },
    /** Polls one connection's watched uploads that are due. */
    pollVideos: (connectionId: string) => pollAndCount(videos, stats, connectionId),
    /** A daily schedule: `expiry`, `retention` or `digest`. */
    daily: (schedule: string) => runSchedule(shared(), schedule),
    /** Plans what is due on the monitor's clock (see `planTick`); safe to call from every worker at once. */
    tick: () => tick(shared()),
    /** Carries out a remediation action that needs TikTok or the vault (the incident engine's executor). */
    execute: (action: RemediationAction, incident: Incident) =>
      executeAction({ ...deps, replays }, action, incident),
    /**
     * An in-band report from a library user's failed call. Permission problems open an incident at
     * once; auth failures are verified by a probe first (evidence before destruction).
     */
    observeInBand: (report: InBandReport) => inBand(shared(), report),
  };
  return { ...api, ...monitorReads(deps, stats) };
}

export type MonitorService = ReturnType<typeof monitorService>;

/** How people know the connection: its first granted advertiser's name (from `known` when read already). */
async function connectionLabel(
  deps: { data: UnitOfWork<Pick<Stores, 'monitor'>>; connections: ConnectionsService },
  connectionId: string,
  known?: AdvertiserNames,
): Promise<string> {
  const names = (known ?? (await deps.data.stores.monitor.advertiserNames(connectionId))).filter(
    (a) => a.granted,
  );
  const first = names[0];
  if (!first) {
    const connection = await deps.connections.require(connectionId).catch(() => null);
    return connection?.regime === 'tt_user' ? `TikTok account (${connectionId})` : connectionId;
  }
  const name = first.name === first.advertiser_id ? first.advertiser_id : first.name;
  return `${name}${names.length > 1 ? ` +${names.length - 1}` : ''} (${connectionId})`;
}

/** Runs planned work here and now (no workers): a failure is logged, not thrown at the planner. */
function inPlaceDispatcher(
  log: Logger,
  run: {
    probe(id: string, reason: string): Promise<unknown>;
    watch(id: string): Promise<unknown>;
    videos(id: string): Promise<unknown>;
    deliver(id: string): Promise<unknown>;
    daily(schedule: string): Promise<unknown>;
  },
): Dispatcher {
  return {
    probe: async (id, reason) => {
      await run.probe(id, reason).catch((error) => log.warn({ err: error, connection: id }, 'probe failed'));
      return true;
    },
    watch: async (id) => {
      await run.watch(id).catch((error) => log.warn({ err: error, connection: id }, 'watch failed'));
    },
    videos: async (id) => {
      await run.videos(id).catch((error) => log.warn({ err: error }, 'video poll failed'));
    },
    deliver: async (id) => {
      await run.deliver(id);
    },
    daily: async (schedule) => {
      await run.daily(schedule);
    },
  };
}

/** What the monitor did and found, for the dashboard and metrics. */
function monitorReads(
  deps: { data: UnitOfWork<Pick<Stores, 'monitor' | 'oauth' | 'trends' | 'connections'>>; now: () => number },
  stats: MonitorStats,
) {
  const store = deps.data.stores.monitor;
  return {
    /** Checks, incidents and spend per day over the last `days` (the overview's charts). */
    trends: (days: number, connectionIds: readonly string[] | null = null) =>
      trends(deps, days, connectionIds),
    /** A connection's checks over the last `ms` (the dashboard's health chart). */
    checkHistory: (connectionId: string, ms: number) =>
      store.checksOf(connectionId, new Date(deps.now() - ms)),
    /** Checks made, and TikTok calls they took, over the last `ms`. */
    checkTotals: (ms: number) => store.checkTotals(new Date(deps.now() - ms)),
    /** What this process's monitor did: checks, watches, and the fewest TikTok calls that work needed. */
    stats: () => ({ ...stats }),
    /** Deletes OAuth states that can no longer be used (part of retention). */
    pruneStates: () => deps.data.stores.oauth.pruneStates(new Date(deps.now())),
  };
}

/** Hands notifications a committed change queued to the workers (a failure to queue is logged; the tick retries). */
function deliverQueued(dispatch: Dispatcher, ids: string[], log: Logger) {
  for (const id of ids)
    dispatch
      .deliver(id)
      .catch((error) => log.warn({ err: error, notification: id }, 'could not queue a delivery'));
}

async function advertiserName(store: MonitorStore, connectionId: string, advertiserId: string) {
  const names = await store.advertiserNames(connectionId);
  return names.find((a) => a.advertiser_id === advertiserId)?.name ?? advertiserId;
}

/** What the monitor's workflows below share with the service that made them. */
type Shared = MonitorDeps & {
  store: MonitorStore;
  labelOf: (connectionId: string) => Promise<string>;
  random: () => number;
  stats: MonitorStats;
  replays: Map<string, ReplayReport>;
  applyCheck: ReturnType<typeof checkApplier>['applyCheck'];
  probeSoon: (connectionId: string, reason: string) => Promise<void>;
  dispatch: Dispatcher;
  videosDue: () => Promise<string[]>;
  families: FamilyMemory;
};

async function afterCallback(
  m: Shared,
  connectionId: string,
  purpose: 'connect' | 'reauth',
  check: Check,
  replay: ReplayReport | null,
) {
  if (replay) m.replays.set(connectionId, replay);
  const connection = await m.connections.require(connectionId);
  const applied = await m.applyCheck(connectionId, connection.app_id, check, {
    definitive: purpose === 'reauth',
  });
  // A new token: subscriptions made with the old one are dead at TikTok. Not awaited: the owner's
  // page does not wait on TikTok's Subscription API, and polling covers the gap.
  const signals = m.signals?.();
  if (signals)
    signals
      .subscribe(connectionId)
      .catch((error) => m.log.warn({ err: error, connection: connectionId }, 'subscribing to pushes failed'));
  return applied;
}

async function watchAndCount(m: Shared, connectionId: string) {
  const probeSoon = (id: string) => m.probeSoon(id, 'campaign_watch');
  const environmentOf = async (appId: string) =>
    (await m.data.stores.apps.get(appId))?.environment ?? 'production';
  const result = await watchConnection(
    { ...m, probeSoon, spend: m.data.stores.spend, environmentOf },
    connectionId,
  );
  m.stats.watches++;
  m.stats.minimumCalls += result.minimumCalls;
  return result;
}

function tick(m: Shared) {
  return planTick({
    ...m,
    announceOrphans: (now) => announceOrphans(m, now),
  });
}

function inBand(m: Shared, report: InBandReport) {
  return observeInBand(
    {
      ...m,
      advertiserName: (connectionId, advertiserId) => advertiserName(m.store, connectionId, advertiserId),
      verify: (id) => m.probeSoon(id, 'in_band'),
    },
    report,
  );
}

/** A daily schedule: `expiry`, `retention`, or `digest` (what hourly caps held back, per channel). */
async function runSchedule(m: Shared, schedule: string): Promise<Record<string, number>> {
  const signals = m.signals?.();
  if (schedule === 'status_feed') return { changed: (await signals?.pollStatus()) ?? 0 };
  if (schedule === 'push_reconcile') return (await signals?.reconcile()) ?? {};
  if (schedule !== 'digest') return runDaily(m, schedule);
  const ids = await m.notifications.digest();
  for (const id of ids) await m.dispatch.deliver(id);
  return { digests: ids.length };
}

/**
 * Asks for a probe of the connection now. When one is already queued or running, the request is
 * recorded instead: a queued probe answers it when it starts; a running one, which may have read
 * TikTok before this request, leaves the connection due when it ends.
 */
async function requestProbe(
  dispatch: Dispatcher,
  store: MonitorStore,
  now: number,
  id: string,
  reason: string,
) {
  if (!(await dispatch.probe(id, reason))) await store.requestCheck(id, new Date(now));
}

async function pollAndCount(
  videos: ReturnType<typeof videoWatch>,
  stats: MonitorStats,
  connectionId: string,
) {
  const result = await videos.poll(connectionId);
  stats.minimumCalls += result.calls;
  return result;
}

// One memory of campaign families per monitor (what its watches saw).
const FAMILIES = new WeakMap<MonitorDeps, FamilyMemory>();
function familiesOf(deps: MonitorDeps): FamilyMemory {
  let memory = FAMILIES.get(deps);
  if (!memory) {
    memory = familyMemory(deps.now);
    FAMILIES.set(deps, memory);
  }
  return memory;
}
