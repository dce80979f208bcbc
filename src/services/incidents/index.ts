export * from './incident-views.ts';
export * from './incidents-service.ts';
