export * from './apps-service.ts';
export * from './connect-flow.ts';
export * from './connection-reads.ts';
export * from './connection-views.ts';
export * from './connections-service.ts';
export * from './replay-parked.ts';
export * from './tokens-service.ts';
