import { setTimeout as sleep } from 'node:timers/promises';
import type { Diagnosis } from '../../catalog/index.ts';
import { newId, type Regime, type Stores, type UnitOfWork } from '../../db/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import {
  authorizeUrl,
  CODE_EXCHANGE_ATTEMPTS,
  codeExchangeDelayMs,
  effectiveBaseUrl,
  hashNonce,
  mayRetryCodeExchange,
  newNonce,
  STATE_TTL_MS,
} from '../../oauth/index.ts';
import { isTikTokError, listIn } from '../../tiktok/index.ts';
import type { Secret } from '../../vault/index.ts';
import { ServiceError } from '../service-error.ts';
import type { AppsService } from './apps-service.ts';
import type { ConnectionsService } from './connections-service.ts';
import { type ReplayReport, replayParkedCalls } from './replay-parked.ts';
import type { GrantedToken, TokensService } from './tokens-service.ts';

/** How a callback ended, for the page the person sees. */
export type CallbackResult =
  | { outcome: 'rejected'; reason: 'missing_state' | 'forged' | 'replayed' | 'expired' }
  | { outcome: 'denied'; description: string }
  | { outcome: 'missing_code' }
  | { outcome: 'exchange_failed'; diagnosis: Diagnosis }
  | { outcome: 'no_advertisers'; appId: string; appName: string; retryUrl: string }
  | {
      outcome: 'connected' | 'reconnected';
      connectionId: string;
      advertisers: number;
      check: Awaited<ReturnType<ConnectionsService['check']>>;
      replay: ReplayReport | null;
    };

/** The OAuth connect and re-auth flows: consent redirect, callback, exchange, store, probe, replay. */

/** What `connectFlow` uses. */
export interface ConnectDeps {
  data: UnitOfWork<Pick<Stores, 'connections' | 'oauth' | 'parkedCalls'>>;
  apps: AppsService;
  tokens: TokensService;
  connections: ConnectionsService;
  publicUrl: () => string;
  now: () => number;
  /** Told about every completed callback and its first check (the monitor turns it into incidents). */
  afterCallback?: () =>
    | ((
        connectionId: string,
        purpose: 'connect' | 'reauth',
        check: Awaited<ReturnType<ConnectionsService['check']>>,
        replay: ReplayReport | null,
      ) => Promise<unknown>)
    | undefined;
  /** Told when a re-auth consent could not be exchanged for a token (the incidents it was meant to repair record it). */
  onExchangeFailed?: () =>
    | ((connectionId: string, text: string, data: Record<string, unknown>) => Promise<unknown>)
    | undefined;
}

/** The OAuth connect and re-auth flows: consent redirect, callback, exchange, store, probe, replay. */
export function connectFlow(deps: ConnectDeps) {
  return bindDeps(deps, { startConnect, startReauth, handleCallback, importToken });
}

const nowOf = (deps: { now: () => number }) => new Date(deps.now());

async function redirectFor(
  deps: ConnectDeps,
  input: {
    appId: string;
    purpose: 'connect' | 'reauth';
    regime: Regime;
    connectionId: string | null;
    ownerContact: string | null;
    clientId?: string | null;
    invitationId?: string | null;
  },
): Promise<string> {
  const app = await deps.apps.require(input.appId);
  const nonce = newNonce();
  const at = nowOf(deps);
  await deps.data.stores.oauth.saveState({
    nonce_hash: hashNonce(nonce),
    app_id: app.app_id,
    purpose: input.purpose,
    regime: input.regime,
    connection_id: input.connectionId,
    owner_contact: input.ownerContact,
    client_id: input.clientId ?? null,
    invitation_id: input.invitationId ?? null,
    created_at: at,
    expires_at: new Date(at.getTime() + STATE_TTL_MS),
    used_at: null,
  });
  return authorizeUrl({
    baseUrl: effectiveBaseUrl(app),
    regime: input.regime,
    appId: app.app_id,
    state: nonce,
    redirectUri: deps.apps.redirectUriOf(app),
  });
}

async function exchange(
  deps: ConnectDeps,
  appId: string,
  regime: Regime,
  code: string,
): Promise<
  GrantedToken & { advertiserIds: string[]; scopes: Array<number | string>; openId: string | null }
> {
  const { client, app } = await deps.apps.clientFor(appId);
  if (regime === 'tt_user') {
    const t = await client.exchangeTtUserCode(code, deps.apps.redirectUriOf(app));
    return { ...t, advertiserIds: [], scopes: t.scope, openId: t.openId };
  }
  const grant = await client.exchangeAuthCode(code);
  return {
    accessToken: grant.accessToken,
    advertiserIds: grant.advertiserIds,
    scopes: grant.scope,
    openId: null,
  };
}

// Stores a granted token as a new connection (or the re-authorized one), checks it, replays what
// was parked, and tells the monitor.
async function adopt(
  deps: ConnectDeps,
  input: {
    appId: string;
    regime: Regime;
    connectionId: string | null;
    ownerContact: string | null;
    clientId?: string | null;
    grant: Awaited<ReturnType<typeof exchange>>;
  },
) {
  const { grant } = input;
  const at = nowOf(deps);
  const connectionId = input.connectionId ?? newId('con');
  await deps.data.transaction(async (tx) => {
    const s = tx.connections;
    if (!input.connectionId) {
      await s.insert({
        id: connectionId,
        appId: input.appId,
        regime: input.regime,
        status: 'pending',
        scopes: grant.scopes,
        ownerContact: input.ownerContact,
        openId: grant.openId,
        clientId: input.clientId ?? null,
        now: at,
      });
    }
    // On re-auth the old token (revoked, or still active) stays for audit; the new one takes over.
    const end = { status: 'superseded' as const, reason: 'owner authorized again', now: at };
    await s.replaceToken(connectionId, end, deps.tokens.seal(connectionId, grant, at));
    if (input.connectionId) {
      await s.update(
        connectionId,
        { status: 'pending', status_reason: null, scopes: grant.scopes, open_id: grant.openId },
        at,
      );
    }
    const event = input.connectionId ? 'reauthorized' : 'connected';
    await s.addEvent(
      connectionId,
      event,
      { app_id: input.appId, regime: input.regime, advertisers: grant.advertiserIds.length },
      at,
    );
    await s.syncAdvertisers(
      connectionId,
      grant.advertiserIds.map((id) => ({ advertiserId: id, name: id })),
      at,
    );
  });
  const check = await deps.connections.check(connectionId);
  let replay: ReplayReport | null = null;
  if (input.connectionId && check.status !== 'needs_reauth') {
    await deps.data.stores.oauth.closeReauthLinks(connectionId, nowOf(deps));
    replay = await replayParkedCalls(
      { data: deps.data, connections: deps.connections, now: deps.now },
      connectionId,
    );
  }
  await deps.afterCallback?.()?.(connectionId, input.connectionId ? 'reauth' : 'connect', check, replay);
  return {
    outcome: input.connectionId ? 'reconnected' : 'connected',
    connectionId,
    advertisers: grant.advertiserIds.length,
    check,
    replay,
  } as const;
}

/** Leaves a trace of a consent that could not be turned into a token: the connection's history, and the incidents waiting for it. */
async function exchangeFailed(
  deps: ConnectDeps,
  state: { app_id: string; connection_id: string | null; purpose: string },
  failures: Diagnosis[],
) {
  const last = failures.at(-1)!;
  const tries = failures.map((d) => String(d.code)).join(', ');
  if (!state.connection_id) return;
  await deps.data.stores.connections.addEvent(
    state.connection_id,
    'reauth_exchange_failed',
    { codes: failures.map((d) => d.code), attempts: failures.length },
    nowOf(deps),
  );
  const retried = failures.length > 1 ? ` after ${failures.length} tries (${tries})` : '';
  await deps.onExchangeFailed?.()?.(
    state.connection_id,
    `The owner consented on TikTok, but exchanging the authorization code for a token failed${retried}: ${last.code} ${last.title}. The connection is not repaired yet; ${
      mayRetryCodeExchange(last)
        ? 'TikTok could not be reached: the owner opens the same re-auth link again once it answers.'
        : 'the owner opens the same re-auth link again (each visit starts a fresh consent); if it fails the same way, check the app id and secret in adwarden against TikTok’s developer portal.'
    }`,
    { codes: failures.map((d) => d.code), request_id: last.requestId ?? null },
  );
}

/** The consent URL for a new connection (state stored hashed, single use, 10 minutes). */
async function startConnect(
  deps: ConnectDeps,
  input: {
    appId: string;
    regime?: Regime;
    ownerContact?: string | null;
    /** The client the new connection belongs to (an invitation's). */
    clientId?: string | null;
    invitationId?: string | null;
  },
): Promise<string> {
  return redirectFor(deps, {
    appId: input.appId,
    purpose: 'connect',
    regime: input.regime ?? 'advertiser',
    connectionId: null,
    ownerContact: input.ownerContact ?? null,
    clientId: input.clientId ?? null,
    invitationId: input.invitationId ?? null,
  });
}

/** The consent URL behind a re-auth link, bound to its connection. */
async function startReauth(deps: ConnectDeps, linkToken: string): Promise<string> {
  const link = await deps.data.stores.oauth.findReauthLink(hashNonce(linkToken));
  if (!link)
    throw new ServiceError('ADW_NOT_FOUND', 'This re-authorization link is not valid. Ask for a new one.');
  if (link.used_at)
    throw new ServiceError(
      'ADW_CONFLICT',
      'This re-authorization link was already used: the connection was repaired.',
    );
  if (link.expires_at.getTime() <= deps.now())
    throw new ServiceError('ADW_CONFLICT', 'This re-authorization link has expired. Ask for a new one.');
  const connection = await deps.connections.require(link.connection_id);
  await deps.data.stores.connections.addEvent(connection.id, 'reauth_started', {}, nowOf(deps));
  return redirectFor(deps, {
    appId: connection.app_id,
    purpose: 'reauth',
    regime: connection.regime,
    connectionId: connection.id,
    ownerContact: connection.owner_contact,
  });
}

/** Handles TikTok's redirect back. Never stores anything unless the state is genuine and fresh. */
async function handleCallback(deps: ConnectDeps, query: Record<string, unknown>): Promise<CallbackResult> {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const stateValue = text('state');
  if (!stateValue) return { outcome: 'rejected', reason: 'missing_state' };
  const consumed = await deps.data.stores.oauth.consumeState(hashNonce(stateValue), nowOf(deps));
  if (!consumed.ok) {
    const reason =
      consumed.reason === 'unknown' ? 'forged' : consumed.reason === 'used' ? 'replayed' : 'expired';
    return { outcome: 'rejected', reason };
  }
  const state = consumed.state;
  const error = text('error');
  if (error) {
    if (state.connection_id)
      await deps.data.stores.connections.addEvent(
        state.connection_id,
        'reauth_denied',
        { error },
        nowOf(deps),
      );
    return { outcome: 'denied', description: text('error_description') ?? error };
  }
  const code = text('auth_code') ?? text('code');
  if (!code) return { outcome: 'missing_code' };
  let grant: Awaited<ReturnType<typeof exchange>>;
  const failures: Diagnosis[] = [];
  for (;;) {
    try {
      grant = await exchange(deps, state.app_id, state.regime, code);
      break;
    } catch (failure) {
      if (!isTikTokError(failure)) throw failure;
      failures.push(failure.diagnosis);
      if (failures.length < CODE_EXCHANGE_ATTEMPTS && mayRetryCodeExchange(failure.diagnosis)) {
        await sleep(codeExchangeDelayMs(failures.length));
        continue;
      }
      await exchangeFailed(deps, state, failures);
      return { outcome: 'exchange_failed', diagnosis: failure.diagnosis };
    }
  }
  if (state.regime === 'advertiser' && grant.advertiserIds.length === 0) {
    // A token that reaches nothing is useless: give it back rather than keep it.
    const { client, app } = await deps.apps.clientFor(state.app_id);
    await client.revokeToken(grant.accessToken).catch(() => {});
    return {
      outcome: 'no_advertisers',
      appId: app.app_id,
      appName: app.name,
      retryUrl: state.connection_id ? '' : `${deps.publicUrl()}/connect/tiktok?app=${app.app_id}`,
    };
  }
  return adopt(deps, {
    appId: state.app_id,
    regime: state.regime,
    connectionId: state.connection_id,
    ownerContact: state.owner_contact,
    clientId: state.client_id,
    grant,
  });
}

/**
 * Adopts a token obtained elsewhere (an existing integration's, or the emulator's seeded ones):
 * the same storage, first check and monitoring as a connection made through the consent page.
 * @throws ServiceError ADW_INVALID_INPUT when the token reaches no advertiser.
 */
async function importToken(
  deps: ConnectDeps,
  input: {
    appId: string;
    regime: Regime;
    accessToken: Secret;
    refreshToken?: Secret | null;
    accessExpiresAt?: number | null;
    refreshExpiresAt?: number | null;
    scopes?: Array<number | string>;
    openId?: string | null;
    ownerContact?: string | null;
    /** Needed for sandbox apps, which have no /oauth2/advertiser/get/. */
    advertiserIds?: string[];
  },
) {
  const { client, app, secret } = await deps.apps.clientFor(input.appId);
  let advertiserIds = input.advertiserIds ?? [];
  if (input.regime === 'advertiser' && !input.advertiserIds) {
    const data = await client.call('GET', '/oauth2/advertiser/get/', {
      query: { app_id: app.app_id, secret: secret.reveal() },
      accessToken: input.accessToken,
    });
    advertiserIds = listIn<{ advertiser_id: string | number }>(data, 'list', {
      method: 'GET',
      endpoint: '/oauth2/advertiser/get/',
    }).map((a) => String(a.advertiser_id));
  }
  if (input.regime === 'advertiser' && advertiserIds.length === 0)
    throw new ServiceError('ADW_INVALID_INPUT', 'the token reaches no advertiser; nothing to monitor');
  const result = await adopt(deps, {
    appId: input.appId,
    regime: input.regime,
    connectionId: null,
    ownerContact: input.ownerContact ?? null,
    grant: {
      accessToken: input.accessToken,
      refreshToken: input.refreshToken ?? null,
      accessExpiresAt: input.accessExpiresAt ?? null,
      refreshExpiresAt: input.refreshExpiresAt ?? null,
      advertiserIds,
      scopes: input.scopes ?? [],
      openId: input.openId ?? null,
    },
  });
  return result;
}

export type ConnectFlow = ReturnType<typeof connectFlow>;
