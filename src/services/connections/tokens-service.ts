import { isTokenFailure } from '../../catalog/index.ts';
import type { ConnectionsStore, Stores, TokenRow, UnitOfWork } from '../../db/index.ts';
import { newId, persist } from '../../db/index.ts';
import { isTikTokError, type TtUserTokens } from '../../tiktok/index.ts';
import type { KeyRing, Secret } from '../../vault/index.ts';
import { ServiceError } from '../service-error.ts';
import type { AppsService } from './apps-service.ts';

/** Refresh a tt_user access token this long before it expires. */
const REFRESH_AHEAD_MS = 30 * 60_000;
/** How long a refresher may hold the lease before others may take over. */
const LEASE_MS = 60_000;

/** What a grant yields, ready to seal. */
export interface GrantedToken {
  accessToken: Secret;
  refreshToken?: Secret | null;
  accessExpiresAt?: number | null;
  refreshExpiresAt?: number | null;
}

/** What `tokensService` uses. */
export interface TokensDeps {
  data: UnitOfWork<Pick<Stores, 'connections'>>;
  keyRing: () => KeyRing;
  apps: AppsService;
  now: () => number;
  /** Called when a refresh shows the owner must authorize again (40103/40107). */
  onRefreshRejected: (connectionId: string, code: number | string, message: string) => Promise<void>;
  onRefreshed: (connectionId: string, expiresAt: number) => Promise<void>;
}

/** Sealed storage of connection tokens, and tt_user refresh ahead of expiry under a lease. */
export function tokensService(deps: TokensDeps) {
  const inFlight = new Map<string, Promise<Secret>>();
  const open = (row: TokenRow, purpose: TokenPurpose) => openToken(deps.keyRing(), row, purpose);
  const seal = (connectionId: string, grant: GrantedToken, now: Date) =>
    sealToken(deps.keyRing(), connectionId, grant, now);

  return {
    /** A new token row for `connectionId`, sealed with the active key. */
    seal,
    open,
    /**
     * Refreshes a tt_user token that ends within `aheadMs` now, ahead of its next use (the expiry job).
     * @throws ServiceError ADW_NEEDS_REAUTH when the refresh token is refused.
     */
    async refreshAhead(connectionId: string, aheadMs: number): Promise<void> {
      const store = deps.data.stores.connections;
      const connection = await store.get(connectionId);
      if (connection?.regime !== 'tt_user') return;
      await refresh(deps, store, connectionId, connection.app_id, aheadMs);
    },
    /**
     * The connection's access token, refreshed first when it is a tt_user token close to expiry.
     * @throws ServiceError ADW_NEEDS_REAUTH when the connection has no usable token.
     */
    async accessToken(connectionId: string): Promise<Secret> {
      const store = deps.data.stores.connections;
      const connection = await store.get(connectionId);
      if (!connection) throw new ServiceError('ADW_NOT_FOUND', `no connection ${connectionId}`);
      const token = await store.activeToken(connectionId);
      if (!token || connection.status === 'needs_reauth' || connection.status === 'revoked')
        throw needsReauth(connectionId);
      const due =
        connection.regime === 'tt_user' &&
        token.access_expires_at !== null &&
        token.access_expires_at.getTime() - deps.now() <= REFRESH_AHEAD_MS;
      if (!due) return open(token, 'access_token');
      let pending = inFlight.get(connectionId);
      if (!pending) {
        pending = refresh(deps, store, connectionId, connection.app_id).finally(() =>
          inFlight.delete(connectionId),
        );
        inFlight.set(connectionId, pending);
      }
      return pending;
    },
  };
}

function needsReauth(connectionId: string): ServiceError {
  return new ServiceError(
    'ADW_NEEDS_REAUTH',
    `connection ${connectionId} needs the owner to authorize again; get a link with: adwarden connections reauth-link ${connectionId}`,
  );
}

export type TokensService = ReturnType<typeof tokensService>;

type TokenPurpose = 'access_token' | 'refresh_token';

const context = (tokenId: string, purpose: TokenPurpose) => ({
  table: 'connection_tokens',
  rowId: tokenId,
  purpose,
});

/** A stored token's secret, opened. */
function openToken(keyRing: KeyRing, row: TokenRow, purpose: TokenPurpose): Secret {
  const sealed = purpose === 'access_token' ? row.access_sealed : row.refresh_sealed;
  if (!sealed) throw new Error(`token ${row.id} has no ${purpose}`);
  return keyRing.open(sealed, context(row.id, purpose));
}

/** A new token row for `connectionId`, sealed with the active key. */
function sealToken(keyRing: KeyRing, connectionId: string, grant: GrantedToken, now: Date) {
  const id = newId('tok');
  return {
    id,
    connection_id: connectionId,
    access_sealed: keyRing.seal(grant.accessToken, context(id, 'access_token')),
    refresh_sealed: grant.refreshToken
      ? keyRing.seal(grant.refreshToken, context(id, 'refresh_token'))
      : null,
    access_expires_at: grant.accessExpiresAt ? new Date(grant.accessExpiresAt) : null,
    refresh_expires_at: grant.refreshExpiresAt ? new Date(grant.refreshExpiresAt) : null,
    issued_at: now,
    status: 'active' as const,
    ended_at: null,
    end_reason: null,
  };
}

/** Refreshes a tt_user token under the connection's refresh lease (another process refreshing: the current one). */
async function refresh(
  deps: TokensDeps,
  store: ConnectionsStore,
  connectionId: string,
  appId: string,
  aheadMs = REFRESH_AHEAD_MS,
): Promise<Secret> {
  const now = deps.now();
  if (!(await store.takeRefreshLease(connectionId, new Date(now), new Date(now + LEASE_MS)))) {
    // Another process is refreshing: use the current token (still valid for up to REFRESH_AHEAD_MS).
    const current = await store.activeToken(connectionId);
    if (!current) throw needsReauth(connectionId);
    return openToken(deps.keyRing(), current, 'access_token');
  }
  try {
    const current = await store.activeToken(connectionId);
    if (!current) throw needsReauth(connectionId);
    if (current.access_expires_at && current.access_expires_at.getTime() - deps.now() > aheadMs) {
      return openToken(deps.keyRing(), current, 'access_token'); // someone refreshed between our read and the lease
    }
    const { client } = await deps.apps.clientFor(appId);
    let tokens: TtUserTokens;
    try {
      tokens = await client.refreshTtUserToken(openToken(deps.keyRing(), current, 'refresh_token'));
    } catch (error) {
      if (isTikTokError(error) && isTokenFailure(error.diagnosis.kind)) {
        await deps.onRefreshRejected(connectionId, error.code, error.diagnosis.title);
        throw needsReauth(connectionId);
      }
      throw error;
    }
    const row = sealToken(deps.keyRing(), connectionId, tokens, new Date(deps.now()));
    await deps.data.transaction(async (tx) => {
      await tx.connections.replaceToken(
        connectionId,
        { status: 'superseded', reason: 'refreshed', now: new Date(deps.now()) },
        row,
      );
    });
    await deps.onRefreshed(connectionId, tokens.accessExpiresAt);
    return tokens.accessToken;
  } finally {
    await persist(() => store.releaseRefreshLease(connectionId));
  }
}
