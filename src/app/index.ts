export { adminTokenPath, hashApiKey, readAdminToken } from './access.ts';
export { AppInputSchema, type AppView } from './apps-service.ts';
export type { CallbackResult } from './connect-flow.ts';
export { createServices, type Services, type ServicesOptions } from './create-services.ts';
export { SecretKeyRequiredError } from './key-ring-source.ts';
export { isServiceError, SERVICE_ERRORS, ServiceError } from './service-error.ts';
