import type { Kysely } from 'kysely';
import type { Diagnosis } from '../catalog/index.ts';
import { connectionsStore, type Database, newId, oauthStore, type Regime } from '../db/index.ts';
import { authorizeUrl, effectiveBaseUrl, hashNonce, newNonce, STATE_TTL_MS } from '../oauth/index.ts';
import { isTikTokError } from '../tiktok/index.ts';
import type { AppsService } from './apps-service.ts';
import type { ConnectionsService } from './connections-service.ts';
import { type ReplayReport, replayParkedCalls } from './replay-parked.ts';
import { ServiceError } from './service-error.ts';
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
export function connectFlow(deps: {
  db: Kysely<Database>;
  apps: AppsService;
  tokens: TokensService;
  connections: ConnectionsService;
  publicUrl: () => string;
  now: () => number;
}) {
  const now = () => new Date(deps.now());

  async function redirectFor(input: {
    appId: string;
    purpose: 'connect' | 'reauth';
    regime: Regime;
    connectionId: string | null;
    ownerContact: string | null;
  }): Promise<string> {
    const app = await deps.apps.require(input.appId);
    const nonce = newNonce();
    const at = now();
    await oauthStore(deps.db).saveState({
      nonce_hash: hashNonce(nonce),
      app_id: app.app_id,
      purpose: input.purpose,
      regime: input.regime,
      connection_id: input.connectionId,
      owner_contact: input.ownerContact,
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

  return {
    /** The consent URL for a new connection (state stored hashed, single use, 10 minutes). */
    async startConnect(input: {
      appId: string;
      regime?: Regime;
      ownerContact?: string | null;
    }): Promise<string> {
      return redirectFor({
        appId: input.appId,
        purpose: 'connect',
        regime: input.regime ?? 'advertiser',
        connectionId: null,
        ownerContact: input.ownerContact ?? null,
      });
    },
    /** The consent URL behind a re-auth link, bound to its connection. */
    async startReauth(linkToken: string): Promise<string> {
      const link = await oauthStore(deps.db).findReauthLink(hashNonce(linkToken));
      if (!link)
        throw new ServiceError(
          'ADW_NOT_FOUND',
          'This re-authorization link is not valid. Ask for a new one.',
        );
      if (link.used_at)
        throw new ServiceError(
          'ADW_CONFLICT',
          'This re-authorization link was already used: the connection was repaired.',
        );
      if (link.expires_at.getTime() <= deps.now())
        throw new ServiceError('ADW_CONFLICT', 'This re-authorization link has expired. Ask for a new one.');
      const connection = await deps.connections.require(link.connection_id);
      await connectionsStore(deps.db).addEvent(connection.id, 'reauth_started', {}, now());
      return redirectFor({
        appId: connection.app_id,
        purpose: 'reauth',
        regime: connection.regime,
        connectionId: connection.id,
        ownerContact: connection.owner_contact,
      });
    },
    /** Handles TikTok's redirect back. Never stores anything unless the state is genuine and fresh. */
    async handleCallback(query: Record<string, unknown>): Promise<CallbackResult> {
      const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
      const stateValue = text('state');
      if (!stateValue) return { outcome: 'rejected', reason: 'missing_state' };
      const consumed = await oauthStore(deps.db).consumeState(hashNonce(stateValue), now());
      if (!consumed.ok) {
        const reason =
          consumed.reason === 'unknown' ? 'forged' : consumed.reason === 'used' ? 'replayed' : 'expired';
        return { outcome: 'rejected', reason };
      }
      const state = consumed.state;
      const error = text('error');
      if (error) {
        if (state.connection_id)
          await connectionsStore(deps.db).addEvent(state.connection_id, 'reauth_denied', { error }, now());
        return { outcome: 'denied', description: text('error_description') ?? error };
      }
      const code = text('auth_code') ?? text('code');
      if (!code) return { outcome: 'missing_code' };
      let grant: Awaited<ReturnType<typeof exchange>>;
      try {
        grant = await exchange(state.app_id, state.regime, code);
      } catch (failure) {
        if (isTikTokError(failure)) return { outcome: 'exchange_failed', diagnosis: failure.diagnosis };
        throw failure;
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
      const at = now();
      const connectionId = state.connection_id ?? newId('con');
      await deps.db.transaction().execute(async (trx) => {
        const s = connectionsStore(trx);
        if (!state.connection_id) {
          await s.insert({
            id: connectionId,
            appId: state.app_id,
            regime: state.regime,
            status: 'pending',
            scopes: grant.scopes,
            ownerContact: state.owner_contact,
            openId: grant.openId,
            now: at,
          });
        }
        // On re-auth the old token (revoked, or still active) stays for audit; the new one takes over.
        const end = { status: 'superseded' as const, reason: 'owner authorized again', now: at };
        await s.replaceToken(connectionId, end, deps.tokens.seal(connectionId, grant, at));
        if (state.connection_id) {
          await s.update(
            connectionId,
            { status: 'pending', status_reason: null, scopes: grant.scopes, open_id: grant.openId },
            at,
          );
        }
        const event = state.connection_id ? 'reauthorized' : 'connected';
        await s.addEvent(
          connectionId,
          event,
          { app_id: state.app_id, regime: state.regime, advertisers: grant.advertiserIds.length },
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
      if (state.connection_id && check.status !== 'needs_reauth') {
        await oauthStore(deps.db).closeReauthLinks(connectionId, now());
        replay = await replayParkedCalls(
          { db: deps.db, connections: deps.connections, now: deps.now },
          connectionId,
        );
      }
      return {
        outcome: state.connection_id ? 'reconnected' : 'connected',
        connectionId,
        advertisers: grant.advertiserIds.length,
        check,
        replay,
      };
    },
  };
}

export type ConnectFlow = ReturnType<typeof connectFlow>;
