export { buildServer } from './build-server.ts';
