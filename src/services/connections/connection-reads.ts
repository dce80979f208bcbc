import { type Diagnosis, isPermissionFailure } from '../../catalog/index.ts';
import type { ConnectionRow, ConnectionsStore } from '../../db/index.ts';
import { type Verification, verifyToken } from '../../oauth/index.ts';
import { type CallOptions, isTikTokError, listIn } from '../../tiktok/index.ts';
import type { Secret } from '../../vault/index.ts';
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
  /** Advertisers whose account information TikTok refused on their own (a permission, a deleted account). */
  refused: Array<{ advertiserId: string; diagnosis: Diagnosis }>;
  /** The failure that stopped the reads (transient, rate limited…); null when every batch answered. */
  error: Diagnosis | null;
  /** Every batch was answered (refusals isolated count as answered). */
  checked: boolean;
  /** Advertisers whose account information was read. */
  read: string[];
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
 *
 * TikTok refuses a whole batch when one advertiser in it refuses (a withdrawn permission, a deleted
 * account), and its message does not say which. A refused batch is split in halves until the refusing
 * advertisers stand alone, so the others' account status is still read. Advertisers in `isolate`
 * (known to refuse) are read on their own from the start, so a standing refusal costs one call per
 * check, not a new search.
 */
export async function readAccountFacts(
  deps: Reads,
  connection: ConnectionRow,
  { token, own: { client, app } }: CheckSession,
  ids: string[],
  isolate: readonly string[] = [],
): Promise<AccountFacts> {
  const { store, now } = deps;
  if (app.environment !== 'production' || connection.regime !== 'advertiser' || ids.length === 0)
    return { calls: 0, blocked: [], refused: [], error: null, checked: false, read: [] };
  const blocked: BlockedAccount[] = [];
  const refused: AccountFacts['refused'] = [];
  const read: string[] = [];
  let calls = 0;

  /** Reads one batch; a refused batch is split. Returns the diagnosis that stops the check, if any. */
  async function readBatch(batch: string[]): Promise<Diagnosis | null> {
    calls++;
    let list: Array<Record<string, unknown>>;
    try {
      const data = await client.call('GET', '/advertiser/info/', {
        query: { advertiser_ids: batch },
        accessToken: token,
        deadlineMs: 30_000,
        maxAttempts: 2,
      });
      list = listIn(data, 'list', { method: 'GET', endpoint: '/advertiser/info/' });
    } catch (error) {
      if (!isTikTokError(error)) throw error;
      const d = error.diagnosis;
      if (!isPermissionFailure(d.kind) && d.kind !== 'advertiser_unavailable') return d;
      if (batch.length === 1) {
        refused.push({ advertiserId: batch[0]!, diagnosis: d });
        return null;
      }
      const half = Math.ceil(batch.length / 2);
      return (await readBatch(batch.slice(0, half))) ?? (await readBatch(batch.slice(half)));
    }
    const facts = list.map((a) => ({
      advertiserId: String(a.advertiser_id),
      name: String(a.name ?? a.advertiser_id),
      status: typeof a.status === 'string' ? a.status : null,
      currency: typeof a.currency === 'string' ? a.currency : null,
      timezone: typeof a.timezone === 'string' ? a.timezone : null,
      bcId: typeof a.owner_bc_id === 'string' && a.owner_bc_id ? a.owner_bc_id : null,
    }));
    for (const f of facts) {
      read.push(f.advertiserId);
      if (f.status && BLOCKED_ACCOUNT.test(f.status))
        blocked.push({ advertiser_id: f.advertiserId, name: f.name, status: f.status });
    }
    await store().updateAdvertiserFacts(connection.id, facts, now());
    return null;
  }

  const alone = ids.filter((id) => isolate.includes(id));
  const rest = ids.filter((id) => !isolate.includes(id));
  const batches = [...alone.map((id) => [id]), ...chunks(rest, 100)];
  for (const batch of batches) {
    const error = await readBatch(batch);
    if (error) return { calls, blocked, refused, error, checked: false, read };
  }
  return { calls, blocked, refused, error: null, checked: true, read };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
