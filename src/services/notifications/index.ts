export * from './notifications-service.ts';
