import { z } from 'zod';
import { type InvitationRow, newId, type Stores, type UnitOfWork } from '../../db/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import { hashNonce, newNonce } from '../../oauth/index.ts';
import type { AppsService, ConnectFlow, ConnectionsService } from '../connections/index.ts';
import { ServiceError } from '../service-error.ts';

const DAY = 86_400_000;

/** The clients a principal may see: all (`null`), or these. */
export type ClientScope = readonly string[] | null;

/** May `scope` see something of `clientId` (null: belongs to no client, only unlimited operators see it)? */
export const canSee = (scope: ClientScope, clientId: string | null | undefined) =>
  scope === null || (clientId != null && scope.includes(clientId));

const NewClient = z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(120) });
const NewInvitation = z.strictObject({
  app_id: z.string().min(1).max(64).optional(),
  /** How long the link works. @default 7 */
  days: z.number().int().min(1).max(30).default(7),
});

/** What `clientsService` uses. */
export interface ClientsDeps {
  data: UnitOfWork<Pick<Stores, 'clients'>>;
  apps: AppsService;
  connections: ConnectionsService;
  connect: ConnectFlow;
  publicUrl: () => string;
  now: () => number;
}

function invalid(what: string, error: z.ZodError): ServiceError {
  return new ServiceError(
    'ADW_INVALID_INPUT',
    `invalid ${what}: ${error.issues.map((i) => `${i.path.join('.') || what} ${i.message}`).join('; ')}`,
  );
}

const invitationView = (i: InvitationRow, now: number) => ({
  id: i.id,
  client_id: i.client_id,
  app_id: i.app_id,
  invited_by: i.invited_by,
  created_at: i.created_at.toISOString(),
  expires_at: i.expires_at.toISOString(),
  revoked_at: i.revoked_at?.toISOString() ?? null,
  uses: i.uses,
  last_used_at: i.last_used_at?.toISOString() ?? null,
  state: i.revoked_at ? 'revoked' : i.expires_at.getTime() <= now ? 'expired' : 'active',
});

/**
 * An agency's clients: connections belong to one, operators may be limited to some, and each gets
 * connect invitations — long-lived (days), revocable links that start TikTok's consent for that
 * client and app, usable by a person without an adwarden account and good for nothing else.
 */
export function clientsService(deps: ClientsDeps) {
  return bindDeps(deps, {
    list,
    require,
    create,
    assign,
    invite,
    invitations,
    revokeInvitation,
    open,
    start,
  });
}

const storeOf = (deps: ClientsDeps) => deps.data.stores.clients;

async function list(deps: ClientsDeps, scope: ClientScope = null) {
  return (await storeOf(deps).list())
    .filter((c) => canSee(scope, c.id))
    .map((c) => ({
      id: c.id,
      name: c.name,
      connections: c.connections,
      created_at: c.created_at.toISOString(),
    }));
}

async function require(deps: ClientsDeps, id: string, scope: ClientScope = null) {
  const client = await storeOf(deps).get(id);
  if (!client || !canSee(scope, client.id))
    throw new ServiceError('ADW_NOT_FOUND', `no client ${id}; list them with GET /api/v1/clients`);
  return client;
}

async function create(deps: ClientsDeps, input: unknown) {
  const parsed = NewClient.safeParse(input);
  if (!parsed.success) throw invalid('client', parsed.error);
  if (await storeOf(deps).byName(parsed.data.name))
    throw new ServiceError('ADW_CONFLICT', `a client named ${parsed.data.name} already exists`);
  const row = await storeOf(deps).create({ id: newId('cli'), name: parsed.data.name }, new Date(deps.now()));
  return { id: row.id, name: row.name, connections: 0, created_at: row.created_at.toISOString() };
}

/** Puts a connection under a client, or takes it out (null). */
async function assign(deps: ClientsDeps, connectionId: string, clientId: string | null) {
  await deps.connections.require(connectionId);
  if (clientId) await require(deps, clientId);
  await storeOf(deps).assign(connectionId, clientId);
}

/** A new invitation for the client; its URL is shown once (only its hash is kept). */
async function invite(
  deps: ClientsDeps,
  clientId: string,
  input: unknown,
  invitedBy: string,
  scope: ClientScope = null,
) {
  const client = await require(deps, clientId, scope);
  const parsed = NewInvitation.safeParse(input ?? {});
  if (!parsed.success) throw invalid('invitation', parsed.error);
  const apps = await deps.apps.list();
  const appId =
    parsed.data.app_id ?? apps.find((a) => a.environment === 'production')?.app_id ?? apps[0]?.app_id;
  if (!appId) throw new ServiceError('ADW_CONFLICT', 'register a TikTok app first: adwarden apps add');
  await deps.apps.require(appId);
  const token = newNonce();
  const now = deps.now();
  const row = {
    id: newId('inv'),
    token_hash: hashNonce(token),
    client_id: client.id,
    app_id: appId,
    invited_by: invitedBy.slice(0, 200),
    created_at: new Date(now),
    expires_at: new Date(now + parsed.data.days * DAY),
  };
  await storeOf(deps).addInvitation(row);
  return {
    ...invitationView({ ...row, revoked_at: null, uses: 0, last_used_at: null }, now),
    url: `${deps.publicUrl()}/invite/${token}`,
  };
}

async function invitations(deps: ClientsDeps, clientId: string, scope: ClientScope = null) {
  await require(deps, clientId, scope);
  return (await storeOf(deps).invitations(clientId)).map((i) => invitationView(i, deps.now()));
}

async function revokeInvitation(deps: ClientsDeps, id: string, scope: ClientScope = null) {
  const invitation = await storeOf(deps).invitation({ id });
  if (!invitation || !canSee(scope, invitation.client_id))
    throw new ServiceError('ADW_NOT_FOUND', `no invitation ${id}`);
  await storeOf(deps).revokeInvitation(id, new Date(deps.now()));
  return invitationView((await storeOf(deps).invitation({ id }))!, deps.now());
}

/** An invitation by its token, usable now; a ServiceError saying why not otherwise. */
async function usable(deps: ClientsDeps, token: string) {
  const invitation = await storeOf(deps).invitation({ tokenHash: hashNonce(token) });
  if (!invitation) throw new ServiceError('ADW_NOT_FOUND', 'This invitation link is not valid.');
  if (invitation.revoked_at)
    throw new ServiceError('ADW_CONFLICT', 'This invitation was withdrawn. Ask the agency for a new link.');
  if (invitation.expires_at.getTime() <= deps.now())
    throw new ServiceError('ADW_CONFLICT', 'This invitation has expired. Ask the agency for a new link.');
  const client = await require(deps, invitation.client_id);
  const app = await deps.apps.require(invitation.app_id);
  return { invitation, client, app };
}

/** What the invitation page shows: who invited, for which client and app. @throws ServiceError */
async function open(deps: ClientsDeps, token: string) {
  const { invitation, client, app } = await usable(deps, token);
  return {
    client: client.name,
    app: app.name ?? `TikTok app ${app.app_id}`,
    environment: app.environment,
    invited_by: invitation.invited_by,
    expires_at: invitation.expires_at.toISOString(),
  };
}

/** Starts TikTok's consent for the invitation's client and app (the only thing it can do). */
async function start(deps: ClientsDeps, token: string): Promise<string> {
  const { invitation } = await usable(deps, token);
  await storeOf(deps).useInvitation(invitation.id, new Date(deps.now()));
  return deps.connect.startConnect({
    appId: invitation.app_id,
    clientId: invitation.client_id,
    invitationId: invitation.id,
  });
}

export type ClientsService = ReturnType<typeof clientsService>;
