import type { Registry } from 'prom-client';
import type { Config } from '../config/index.ts';
import type { DatabaseHandle } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import type { TikTokClient } from '../tiktok/index.ts';
import type { KeyRotation } from './access/key-rotation.ts';
import type { UsersService } from './access/users-service.ts';
import type { ClientsService } from './clients/clients-service.ts';
import type { AppsService } from './connections/apps-service.ts';
import type { ConnectFlow } from './connections/connect-flow.ts';
import type { ConnectionsService } from './connections/connections-service.ts';
import type { TokensService } from './connections/tokens-service.ts';
import type { IncidentsService } from './incidents/incidents-service.ts';
import type { MonitorService } from './monitor/monitor-service.ts';
import type { NotificationsService } from './notifications/notifications-service.ts';
import type { PlatformStatus } from './push/platform-status.ts';
import type { PushService } from './push/push-service.ts';

/** What the service counts for `/metrics`, as the server and the monitor's runner use it. */
export interface ServiceMetricsPort {
  registry: Registry;
  /** Counts one HTTP request the server answered. */
  httpRequest(method: string, route: string, status: number): void;
  /** Calls this process made for an app in the last 60 s. */
  callsLastMinute(appId: string): number;
  /** Counts what a TikTok client does. */
  observeClient(appId: string, client: TikTokClient): void;
  /** Where queue depths come from while workers run (null: none). */
  setQueueDepth(read: (() => Promise<Record<string, number>>) | null): void;
}

/**
 * Every service, wired (`createServices` in `src/app/` builds it): what the server, the commands and the
 * demo use. Close it to release the database, the data dir and the TikTok clients.
 */
export interface Services {
  config: Config;
  log: Logger;
  now: () => number;
  database: DatabaseHandle;
  /** The data dir the embedded database lives in (null on PostgreSQL or with a database handed in). */
  embeddedDataDir: string | null;
  apps: AppsService;
  tokens: TokensService;
  connections: ConnectionsService;
  connect: ConnectFlow;
  keys: KeyRotation;
  incidents: IncidentsService;
  notifications: NotificationsService;
  monitor: MonitorService;
  /** TikTok's push signals: subscriptions and the intake of deliveries. */
  push: PushService;
  /** TikTok's own incidents (status feed, API_SERVICE_STATUS pushes). */
  platform: PlatformStatus;
  /** The agency's clients, and their connect invitations. */
  clients: ClientsService;
  users: UsersService;
  metrics: ServiceMetricsPort;
  /**
   * Resolves when the database answers and, embedded, its data dir has room to write (`/readyz`).
   * @throws DataDirError ADW_DATA_DIR_FULL; the database's error.
   */
  ready(): Promise<void>;
  /** Sets the URL people reach the service at, once it listens (links, redirect URIs). */
  setPublicUrl(url: string): void;
  publicUrl(): string;
  /** The API key with this value, if it is live. */
  authenticate(key: string): Promise<{ id: string; name: string; scopes: string[] } | undefined>;
  close(): Promise<void>;
}
