export { type ClientScope, type ClientsService, canSee, clientsService } from './clients-service.ts';
