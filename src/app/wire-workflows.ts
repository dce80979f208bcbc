import type { Config } from '../config/index.ts';
import type { UnitOfWork } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import {
  appsService,
  clientsService,
  connectFlow,
  connectionsService,
  incidentsService,
  type MonitorService,
  monitorService,
  monitorSettings,
  notificationsService,
  platformStatus,
  pushService,
  tokensService,
  usersService,
} from '../services/index.ts';
import type { LimiterFactory, TikTokClient } from '../tiktok/index.ts';
import type { KeyRing } from '../vault/index.ts';
import type { ServicesOptions } from './create-services.ts';

/** What `wireWorkflows` builds on. */
interface Wiring {
  config: Config;
  options: ServicesOptions;
  data: UnitOfWork;
  keyRing: () => KeyRing;
  publicUrl: () => string;
  now: () => number;
  log: Logger;
  onClient: (appId: string, client: TikTokClient) => void;
  /** Where pacing keeps its budgets: PostgreSQL when processes share the database, else memory. */
  limiterFactory?: LimiterFactory;
}

/**
 * Builds the workflows on one unit of work and ties their callbacks together: a refused refresh marks
 * the connection, a callback's check reaches the monitor, committed notifications reach the workers,
 * and the incident engine's actions run through the monitor.
 */
export function wireWorkflows(wiring: Wiring) {
  const { config, options, data, keyRing, publicUrl, now, log, onClient, limiterFactory } = wiring;
  const clientOptions = { ...(limiterFactory ? { limiterFactory } : {}), ...options.clientOptions };
  const apps = appsService({ onClient, store: data.stores.apps, keyRing, publicUrl, now, clientOptions });
  let connections: ReturnType<typeof connectionsService> | undefined;
  const tokens = tokensService({
    data,
    keyRing,
    apps,
    now,
    ...refreshOutcomes(data, log, now, () => connections!),
  });
  connections = connectionsService({
    data,
    apps,
    tokens,
    publicUrl,
    maxTokenAgeMs: config.monitor.maxTokenAgeMs,
    now,
  });
  let monitor: MonitorService | undefined;
  const connect = connectFlow({
    data,
    apps,
    tokens,
    connections,
    publicUrl,
    now,
    afterCallback: () => monitor?.afterCallback,
    onExchangeFailed: () => (id, text, data) => incidents.note(id, text, data),
  });
  const notifications = notificationsService({
    data,
    keyRing,
    now,
    log,
    publicUrl,
    allowPrivateDestinations: config.notify.allowPrivateDestinations,
  });
  const incidents = incidentsService({
    data,
    connections,
    keyRing,
    publicUrl,
    now,
    log,
    policy: { quietMs: options.quietMs ?? 120_000 },
    onQueued: (ids) => monitor?.queued(ids),
    execute: (action, incident) => monitor!.execute(action, incident),
  });
  monitor = monitorService({
    data,
    connections,
    incidents,
    notifications,
    tokens,
    settings: monitorSettings(config.monitor),
    now,
    log,
    random: options.random,
    signals: () => signals,
  });
  const { push, platform, signals } = wireSignals(
    { config, data, apps, connections, tokens, incidents, publicUrl, now, log },
    () => monitor!,
  );
  return {
    apps,
    tokens,
    connections,
    connect,
    notifications,
    incidents,
    monitor,
    push,
    platform,
    clients: clientsService({ data, apps, connections, connect, publicUrl, now }),
    users: usersService({ users: data.stores.users, apiKeys: data.stores.apiKeys, now, publicUrl }),
  };
}

/** What a tt_user refresh leads to: a refused one marks the connection, a new token is recorded. */
function refreshOutcomes(
  data: UnitOfWork,
  log: Logger,
  now: () => number,
  connections: () => ReturnType<typeof connectionsService>,
) {
  return {
    onRefreshRejected: async (id: string, code: number | string, message: string) => {
      await connections().markNeedsReauth(
        id,
        `The refresh token was refused (${code}: ${message}); the owner must authorize again.`,
        { code },
      );
    },
    onRefreshed: async (id: string, expiresAt: number) => {
      const accessExpiresAt = new Date(expiresAt).toISOString();
      log.info({ connection: id, accessExpiresAt }, 'tt_user token refreshed');
      const detail = { access_expires_at: accessExpiresAt };
      await data.stores.connections.addEvent(id, 'token_refreshed', detail, new Date(now()));
    },
  };
}

/** TikTok's push signals and its status: the services, and what the monitor asks of them. */
function wireSignals(
  deps: Pick<Wiring, 'config' | 'data' | 'publicUrl' | 'now' | 'log'> & {
    apps: ReturnType<typeof appsService>;
    connections: ReturnType<typeof connectionsService>;
    tokens: ReturnType<typeof tokensService>;
    incidents: ReturnType<typeof incidentsService>;
  },
  monitor: () => MonitorService,
) {
  const { config, data, incidents, now, log } = deps;
  const platform = platformStatus({ data, incidents, now, log, feedUrl: config.monitor.statusFeedUrl });
  const push = pushService({
    ...deps,
    probeSoon: (id) => monitor().requestCheck(id, 'push'),
    platform: (incident) => platform.record(incident).then(() => {}),
  });
  const signals = {
    subscribe: (id: string) => (config.monitor.push ? push.subscribe(id) : Promise.resolve(0)),
    reconcile: () => (config.monitor.push ? push.reconcile() : Promise.resolve({})),
    pollStatus: () => platform.poll(),
  };
  return { push, platform, signals };
}
