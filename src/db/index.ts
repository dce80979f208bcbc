export {
  checkFreeSpace,
  DataDirError,
  dataDirProblem,
  freeBytes,
  isDiskFull,
  MIN_FREE_BYTES,
} from './data-dir-health.ts';
export {
  type DataDirLock,
  DataDirLockedError,
  type LockHolder,
  lockDataDir,
  readLockHolder,
} from './data-dir-lock.ts';
export { MIGRATION_NAMES, type MigrationReport, migrateToLatest } from './migrations.ts';
export {
  type DatabaseHandle,
  type DatabaseLocation,
  DEFAULT_EMBEDDED_TUNING,
  type EmbeddedTuning,
  openDatabase,
  pgliteDirectory,
} from './open-database.ts';
export { isConnectionError, persist } from './persist.ts';
export { PGliteDialect } from './pglite-dialect.ts';
export type * from './schema.ts';
export { type ApiKeysStore, apiKeysStore } from './stores/api-keys-store.ts';
export { type AppsStore, appsStore, type NewApp } from './stores/apps-store.ts';
export { type ChannelsStore, channelsStore, type NewChannel } from './stores/channels-store.ts';
export { clientsStore } from './stores/clients-store.ts';
export {
  type AdvertiserFacts,
  type ConnectionSummary,
  type ConnectionsStore,
  connectionsStore,
} from './stores/connections-store.ts';
export { json, newId } from './stores/ids.ts';
export {
  type IncidentFilter,
  type IncidentsStore,
  incidentsStore,
  toIncident,
} from './stores/incidents-store.ts';
export { type MonitorStore, monitorStore } from './stores/monitor-store.ts';
export { type OAuthStore, oauthStore, type StateRejection } from './stores/oauth-store.ts';
export { type NewNotification, type OutboxStore, outboxStore } from './stores/outbox-store.ts';
export { type ParkedCallsStore, parkedCallsStore } from './stores/parked-calls-store.ts';
export {
  type NewSubscription,
  type PlatformIncident,
  pushStore,
} from './stores/push-store.ts';
export {
  SEALED_COLUMNS,
  type SealedValue,
  type SealedValuesStore,
  sealedValuesStore,
} from './stores/sealed-values-store.ts';
export { spendStore } from './stores/spend-store.ts';
export { type UsersStore, usersStore } from './stores/users-store.ts';
export { type NewVideo, type VideosStore, videosStore } from './stores/videos-store.ts';
export { type Stores, storesOf, type UnitOfWork, unitOfWork } from './unit-of-work.ts';
