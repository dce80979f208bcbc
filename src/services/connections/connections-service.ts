import { type Diagnosis, isAccessFailure, isPermissionFailure } from '../../catalog/index.ts';
import type { ConnectionRow, Stores, UnitOfWork } from '../../db/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import { connectionHealth } from '../../monitor/index.ts';
import { hashNonce, newNonce, REAUTH_LINK_TTL_MS } from '../../oauth/index.ts';
import { type CallOptions, isTikTokError } from '../../tiktok/index.ts';
import { ServiceError } from '../service-error.ts';
import type { AppsService } from './apps-service.ts';
import { type AccountFacts, readAccountFacts, readVerification } from './connection-reads.ts';
import {
  advertiserLabel,
  advertiserView,
  checkView,
  connectionView,
  deadCheckView,
  eventView,
  parkedView,
  tokenView,
} from './connection-views.ts';
import type { TokensService } from './tokens-service.ts';

/** What `readVerification` answers. */
type CheckVerification = Awaited<ReturnType<typeof readVerification>>;

/** How a check reads(deps) TikTok. */
export interface CheckOptions {
  /** Advertisers known to refuse `/advertiser/info/`: read on their own, so they do not sink a batch. */
  isolate?: readonly string[];
}

/** What `connectionsService` uses. */
export interface ConnectionsDeps {
  data: UnitOfWork<Pick<Stores, 'connections' | 'oauth' | 'parkedCalls'>>;
  apps: AppsService;
  tokens: TokensService;
  publicUrl: () => string;
  maxTokenAgeMs: number | null;
  now: () => number;
}

/** Connections: list, show, verify, re-auth links, revoke, and calls made on a connection's behalf. */
export function connectionsService(deps: ConnectionsDeps) {
  return {
    ...bindDeps(deps, { require, markNeedsReauth, list, show, history, check, reauthLink, revoke }),
    /**
     * Calls TikTok with this connection's token. A call failing for an auth reason is parked and
     * replayed once the connection is repaired (reads(deps) always; writes only when `replaySafe`).
     */
    call: <T = unknown>(
      id: string,
      method: 'GET' | 'POST',
      path: string,
      options: CallOptions = {},
      how: { park?: boolean } = {},
    ): Promise<T> => callAs<T>(deps, id, method, path, options, how),
  };
}

const store = (deps: ConnectionsDeps) => deps.data.stores.connections;
const nowOf = (deps: { now: () => number }) => new Date(deps.now());

async function require(deps: ConnectionsDeps, id: string): Promise<ConnectionRow> {
  const connection = await store(deps).get(id);
  if (!connection)
    throw new ServiceError('ADW_NOT_FOUND', `no connection ${id}; list them with: adwarden connections list`);
  return connection;
}

/**
 * Marks the connection as needing re-auth and its token revoked (kept for audit, never used again).
 * With `tokenId`, only while that token is still the active one: a verdict reached with a token the
 * owner has replaced meanwhile (a re-auth completed during the check) is about the old one, and must
 * not undo the repair. Returns whether it marked.
 */
async function markNeedsReauth(
  deps: ConnectionsDeps,
  id: string,
  reason: string,
  detail: Record<string, unknown>,
  tokenId?: string,
): Promise<boolean> {
  return deps.data.transaction(async (tx) => {
    const s = tx.connections;
    if (tokenId !== undefined && (await s.activeToken(id, { forUpdate: true }))?.id !== tokenId) return false;
    await s.replaceToken(id, { status: 'revoked', reason, now: nowOf(deps) });
    await s.update(id, { status: 'needs_reauth', status_reason: reason }, nowOf(deps));
    await s.addEvent(id, 'needs_reauth', { reason, ...detail }, nowOf(deps));
    return true;
  });
}

const reads = (deps: ConnectionsDeps) => ({ ...deps, store: () => store(deps), now: () => nowOf(deps) });

const SUPERSEDED = Symbol('superseded');

/** One check (see `check`); SUPERSEDED when the owner replaced the token while it ran. */
async function checkOnce(
  deps: ConnectionsDeps,
  id: string,
  earlier: Diagnosis | null,
  options: CheckOptions,
) {
  const connection = await require(deps, id);
  if (connection.status === 'needs_reauth' || connection.status === 'revoked')
    return deadCheckView(connection);
  const verification = await readVerification(reads(deps), connection, earlier);
  let facts: AccountFacts = { calls: 0, blocked: [], refused: [], error: null, checked: false, read: [] };
  const at = nowOf(deps);
  if (verification.granted) await store(deps).syncAdvertisers(id, verification.granted, at);
  // Account facts only when the token works (the sandbox and tt_user tokens have none to read).
  if (!verification.needsReauth && ['valid', 'advertiser_removed'].includes(verification.status)) {
    const granted = (verification.granted ?? []).map((g) => g.advertiserId);
    facts = await readAccountFacts(reads(deps), connection, verification.session, granted, options.isolate);
  }
  if (!(await recordHealth(deps, id, verification, facts, at))) return SUPERSEDED;
  return checkView(await require(deps, id), verification, facts, at);
}

/**
 * Writes what one check found: the connection's status, its check row and event. False when the owner
 * authorized again while the check ran, so its verdict was about the old token and nothing is written.
 */
async function recordHealth(
  deps: ConnectionsDeps,
  id: string,
  verification: CheckVerification,
  facts: AccountFacts,
  at: Date,
) {
  const health = connectionHealth({
    status: verification.status,
    needsReauth: verification.needsReauth,
    summary: verification.summary,
    blocked: facts.blocked,
    refused: facts.refused
      .filter((r) => isPermissionFailure(r.diagnosis.kind))
      .map((r) => ({
        label: advertiserLabel(verification, r.advertiserId),
        message: r.diagnosis.message ?? r.diagnosis.title,
      })),
  });
  if (health.change === 'needs_reauth') {
    // What the mark keeps is enough to announce it again if this process dies before the incident opens.
    const detail = {
      verification: verification.status,
      token_environment: verification.tokenEnvironment ?? null,
      code: verification.diagnosis?.code ?? null,
    };
    if (!(await markNeedsReauth(deps, id, health.reason, detail, verification.tokenId ?? undefined)))
      return false;
  } else if (health.change === 'status') {
    const ok = health.ok ? { last_ok_at: at } : {};
    await store(deps).update(
      id,
      { status: health.status, status_reason: health.reason, ...ok, last_check_at: at },
      at,
    );
  } else {
    await store(deps).update(id, { last_check_at: at }, at);
  }
  await store(deps).recordCheck({
    connectionId: id,
    at,
    outcome: verification.status,
    code: typeof verification.diagnosis?.code === 'number' ? verification.diagnosis.code : null,
    kind: verification.diagnosis?.kind ?? null,
    detail: { summary: verification.summary, removed: verification.removed },
    apiCalls: verification.apiCalls + facts.calls,
  });
  const event = { outcome: verification.status, summary: verification.summary };
  await store(deps).addEvent(id, 'checked', event, at);
  return true;
}

async function list(deps: ConnectionsDeps) {
  return (await store(deps).list()).map((c) => connectionView(c, deps.maxTokenAgeMs));
}

async function show(deps: ConnectionsDeps, id: string) {
  await require(deps, id);
  const [summary] = await store(deps).list(id);
  const [advertisers, tokens, parked] = await Promise.all([
    store(deps).advertisers(id),
    store(deps).tokens(id),
    deps.data.stores.parkedCalls.list(id),
  ]);
  return {
    ...connectionView(summary!, deps.maxTokenAgeMs),
    advertiser_list: advertisers.map(advertiserView),
    tokens: tokens.map(tokenView),
    parked_calls: parked.map(parkedView),
  };
}

async function history(deps: ConnectionsDeps, id: string) {
  await require(deps, id);
  return (await store(deps).history(id)).map(eventView);
}

/**
 * Verifies the connection's token live and applies the verdict: healthy, degraded, or needs re-auth.
 * `earlier` is the error that prompted the check, explained when the token turns out fine.
 */
async function check(
  deps: ConnectionsDeps,
  id: string,
  earlier: Diagnosis | null = null,
  options: CheckOptions = {},
) {
  const result = await checkOnce(deps, id, earlier, options);
  if (result !== SUPERSEDED) return result;
  // The owner authorized again while the check ran: check the token that is there now.
  const again = await checkOnce(deps, id, earlier, options);
  if (again === SUPERSEDED)
    throw new ServiceError(
      'ADW_CONFLICT',
      `connection ${id} was re-authorized twice during one check; check it again`,
    );
  return again;
}

/**
 * A durable link for the owner: each visit starts a fresh OAuth consent bound to this connection.
 * Pass a transaction's stores to create it with the change that sends it.
 */
async function reauthLink(
  deps: ConnectionsDeps,
  id: string,
  stores: Pick<Stores, 'connections' | 'oauth'> = deps.data.stores,
) {
  const connection = await stores.connections.get(id);
  if (!connection)
    throw new ServiceError('ADW_NOT_FOUND', `no connection ${id}; list them with: adwarden connections list`);
  if (connection.status === 'revoked')
    throw new ServiceError(
      'ADW_CONFLICT',
      `connection ${id} was revoked on purpose; connect the advertiser again instead`,
    );
  const nonce = newNonce();
  const at = nowOf(deps);
  const expiresAt = new Date(at.getTime() + REAUTH_LINK_TTL_MS);
  await stores.oauth.saveReauthLink({
    token_hash: hashNonce(nonce),
    connection_id: id,
    created_at: at,
    expires_at: expiresAt,
    used_at: null,
  });
  await stores.connections.addEvent(id, 'reauth_link_created', { expires_at: expiresAt.toISOString() }, at);
  return {
    connection_id: id,
    url: `${deps.publicUrl()}/reauth/${nonce}`,
    expires_at: expiresAt.toISOString(),
    owner_contact: connection.owner_contact,
  };
}

/** Revokes the token at TikTok and marks the connection revoked. */
async function revoke(deps: ConnectionsDeps, id: string) {
  const connection = await require(deps, id);
  const active = await store(deps).activeToken(id);
  let tiktok = 'no active token to revoke at TikTok';
  if (active) {
    const { client, app, secret } = await deps.apps.clientFor(connection.app_id);
    const token = deps.tokens.open(active, 'access_token');
    try {
      if (connection.regime === 'tt_user') {
        await client.call('POST', '/tt_user/oauth2/revoke/', {
          auth: 'none',
          body: { client_id: app.app_id, client_secret: secret.reveal(), access_token: token.reveal() },
        });
      } else {
        await client.revokeToken(token);
      }
      tiktok = 'revoked at TikTok';
    } catch (error) {
      if (!(isTikTokError(error) && error.diagnosis.kind === 'auth_invalid')) throw error;
      tiktok = 'TikTok already considered it revoked';
    }
  }
  await deps.data.transaction(async (tx) => {
    const s = tx.connections;
    await s.replaceToken(id, { status: 'revoked', reason: 'revoked by an operator', now: nowOf(deps) });
    await s.update(id, { status: 'revoked', status_reason: 'Revoked by an operator.' }, nowOf(deps));
    await s.addEvent(id, 'revoked', { tiktok }, nowOf(deps));
  });
  return { connection_id: id, status: 'revoked' as const, tiktok };
}

export type ConnectionsService = ReturnType<typeof connectionsService>;

/** See `call` in `connectionsService`. */
async function callAs<T>(
  deps: ConnectionsDeps,
  id: string,
  method: 'GET' | 'POST',
  path: string,
  options: CallOptions,
  { park = true }: { park?: boolean },
): Promise<T> {
  const connection = await require(deps, id);
  const { client } = await deps.apps.clientFor(connection.app_id);
  try {
    const accessToken = await deps.tokens.accessToken(id);
    return await client.call<T>(method, path, { ...options, accessToken });
  } catch (error) {
    const authFailure = isTikTokError(error) && isAccessFailure(error.diagnosis.kind);
    const needsReauth = error instanceof ServiceError && error.code === 'ADW_NEEDS_REAUTH';
    if (
      park &&
      (authFailure || needsReauth) &&
      !(options.body && typeof (options.body as { append?: unknown }).append === 'function')
    ) {
      await deps.data.stores.parkedCalls.park({
        connectionId: id,
        advertiserId: options.advertiserId ?? null,
        method,
        path,
        query: (options.query as Record<string, unknown>) ?? null,
        body: (options.body as Record<string, unknown>) ?? null,
        replaySafe: method === 'GET' || options.replaySafe === true,
        errorCode: isTikTokError(error) && typeof error.code === 'number' ? error.code : null,
        now: nowOf(deps),
      });
      await store(deps).addEvent(
        id,
        'call_parked',
        { method, path, code: isTikTokError(error) ? error.code : 'ADW_NEEDS_REAUTH' },
        nowOf(deps),
      );
    }
    throw error;
  }
}
