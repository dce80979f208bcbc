export * from './access.ts';
export * from './key-rotation.ts';
export * from './users-service.ts';
