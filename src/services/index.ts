export * from './access/index.ts';
export * from './connections/index.ts';
export * from './hold-lease.ts';
export * from './incidents/index.ts';
export * from './monitor/index.ts';
export * from './notifications/index.ts';
export * from './service-error.ts';
export * from './services.ts';
