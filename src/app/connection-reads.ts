import type { Diagnosis } from '../catalog/index.ts';
import type { ConnectionRow, ConnectionsStore } from '../db/index.ts';
import { type Verification, verifyToken } from '../oauth/index.ts';
import { type CallOptions, isTikTokError, listIn } from '../tiktok/index.ts';
import type { Secret } from '../vault/secret.ts';
import type { AppsService } from './apps-service.ts';
import type { TokensService } from './tokens-service.ts';

/** An ad account that cannot deliver, as `/advertiser/info/` reported it. */
export interface BlockedAccount {
  advertiser_id: string;
  name: string;
  status: string;
}

/** What `readAccountFacts` found, and the calls it took. */
export interface AccountFacts {
  calls: number;
  blocked: BlockedAccount[];
  error: Diagnosis | null;
  checked: boolean;
}

// Account statuses that stop delivery (TikTok's advertiser/info `status`).
const BLOCKED_ACCOUNT =
  /^STATUS_(LIMIT|DISABLE|SELF_SERVICE_UNAUDITED|CONTRACT_PENDING|PENDING_CONFIRM|CONFIRM_FAIL)/;

/** What one check reads TikTok with, looked up once: the connection's token and its app's client. */
export interface CheckSession {
  token: Secret;
  own: Awaited<ReturnType<AppsService['clientFor']>>;
}

/** What a connection's reads at TikTok need. */
interface Reads {
  apps: AppsService;
  tokens: TokensService;
  store: () => ConnectionsStore;
  now: () => Date;
}

/**
 * Asks TikTok whether the connection's token works (`verifyToken`): the token row the verdict is about
 * comes with it, so a verdict about a token replaced meanwhile can be told apart.
 */
export async function readVerification(
  deps: Reads,
  connection: ConnectionRow,
  earlier: Diagnosis | null,
): Promise<Verification & { tokenId: string | null; session: CheckSession }> {
  const store = deps.store;
  const token = await deps.tokens.accessToken(connection.id);
  // The token row the verdict is about (read after a refresh that accessToken may have made).
  const tokenId = (await store().activeToken(connection.id))?.id ?? null;
  const own = await deps.apps.clientFor(connection.app_id);
  const advertisers = await store().advertisers(connection.id);
  // Two attempts at most: a probe that still fails is retried by the sweep, with backoff, so a
  // platform outage shows up as failed checks (and one outage incident) rather than stalled ones.
  const options = (extra: Partial<CallOptions> = {}): CallOptions => ({
    accessToken: token,
    deadlineMs: 30_000,
    maxAttempts: 2,
    ...extra,
  });
  const verification = await verifyToken(
    {
      environment: own.app.environment,
      regime: connection.regime,
      async listAdvertisers() {
        const data = await own.client.call(
          'GET',
          '/oauth2/advertiser/get/',
          options({ query: { app_id: own.app.app_id, secret: own.secret.reveal() } }),
        );
        return listIn<{ advertiser_id: string | number; advertiser_name: string }>(data, 'list', {
          method: 'GET',
          endpoint: '/oauth2/advertiser/get/',
        }).map((a) => ({ advertiserId: String(a.advertiser_id), name: a.advertiser_name }));
      },
      async whoAmI(where) {
        const { client } = where === 'same' ? own : await deps.apps.clientFor(connection.app_id, true);
        return client.call('GET', '/user/info/', options());
      },
    },
    { storedAdvertiserIds: advertisers.filter((a) => a.granted).map((a) => a.advertiser_id), earlier },
  );
  return { ...verification, tokenId, session: { token, own } };
}

/**
 * Reads and stores account facts (`/advertiser/info/`, ≤100 per call) of the advertisers still granted,
 * and says which accounts cannot deliver. Production only: the sandbox lacks the endpoint.
 */
export async function readAccountFacts(
  deps: Reads,
  connection: ConnectionRow,
  { token, own: { client, app } }: CheckSession,
  ids: string[],
): Promise<AccountFacts> {
  const { store, now } = deps;
  if (app.environment !== 'production' || connection.regime !== 'advertiser' || ids.length === 0)
    return { calls: 0, blocked: [], error: null, checked: false };
  const blocked: BlockedAccount[] = [];
  let calls = 0;
  for (let i = 0; i < ids.length; i += 100) {
    calls++;
    let list: Array<Record<string, unknown>>;
    try {
      const data = await client.call('GET', '/advertiser/info/', {
        query: { advertiser_ids: ids.slice(i, i + 100) },
        accessToken: token,
        deadlineMs: 30_000,
        maxAttempts: 2,
      });
      list = listIn(data, 'list', { method: 'GET', endpoint: '/advertiser/info/' });
    } catch (error) {
      if (!isTikTokError(error)) throw error;
      return { calls, blocked, error: error.diagnosis, checked: false };
    }
    const facts = list.map((a) => ({
      advertiserId: String(a.advertiser_id),
      name: String(a.name ?? a.advertiser_id),
      status: typeof a.status === 'string' ? a.status : null,
      currency: typeof a.currency === 'string' ? a.currency : null,
      timezone: typeof a.timezone === 'string' ? a.timezone : null,
      bcId: typeof a.owner_bc_id === 'string' && a.owner_bc_id ? a.owner_bc_id : null,
    }));
    for (const f of facts)
      if (f.status && BLOCKED_ACCOUNT.test(f.status))
        blocked.push({ advertiser_id: f.advertiserId, name: f.name, status: f.status });
    await store().updateAdvertiserFacts(connection.id, facts, now());
  }
  return { calls, blocked, error: null, checked: true };
}
