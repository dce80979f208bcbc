export { adminTokenPath, hashApiKey, readAdminToken } from './access.ts';
export { AppInputSchema, type AppView } from './apps-service.ts';
export type { CallbackResult } from './connect-flow.ts';
export { createServices, type Services, type ServicesOptions } from './create-services.ts';
export type { IncidentsService } from './incidents-service.ts';
export { SecretKeyRequiredError } from './key-ring-source.ts';
export type { MonitorService } from './monitor-service.ts';
export { NewChannelSchema, type NotificationsService } from './notifications-service.ts';
export { isServiceError, SERVICE_ERRORS, ServiceError } from './service-error.ts';
export { type MonitorRun, type MonitorRunOptions, startMonitor } from './start-monitor.ts';
export {
  API_SCOPES,
  type ApiScope,
  type Principal,
  sameToken,
  type UsersService,
} from './users-service.ts';
