import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { apiKeysStore } from './stores/api-keys-store.ts';
import { appsStore } from './stores/apps-store.ts';
import { channelsStore } from './stores/channels-store.ts';
import { clientsStore } from './stores/clients-store.ts';
import { connectionsStore } from './stores/connections-store.ts';
import { incidentsStore } from './stores/incidents-store.ts';
import { monitorStore } from './stores/monitor-store.ts';
import { oauthStore } from './stores/oauth-store.ts';
import { outboxStore } from './stores/outbox-store.ts';
import { parkedCallsStore } from './stores/parked-calls-store.ts';
import { pushStore } from './stores/push-store.ts';
import { sealedValuesStore } from './stores/sealed-values-store.ts';
import { spendStore } from './stores/spend-store.ts';
import { trendsStore } from './stores/trends-store.ts';
import { usersStore } from './stores/users-store.ts';
import { videosStore } from './stores/videos-store.ts';

const FACTORIES = {
  apiKeys: apiKeysStore,
  apps: appsStore,
  channels: channelsStore,
  clients: clientsStore,
  connections: connectionsStore,
  incidents: incidentsStore,
  monitor: monitorStore,
  oauth: oauthStore,
  outbox: outboxStore,
  parkedCalls: parkedCallsStore,
  push: pushStore,
  sealedValues: sealedValuesStore,
  spend: spendStore,
  trends: trendsStore,
  users: usersStore,
  videos: videosStore,
};

/** Every store, by name. A workflow names the ones it uses: `Pick<Stores, 'connections' | 'oauth'>`. */
export type Stores = { [K in keyof typeof FACTORIES]: ReturnType<(typeof FACTORIES)[K]> };

/**
 * The stores a workflow uses, and a way to use them in one transaction: what either commits whole or
 * not at all (a token and the event that records it; an incident, its timeline and its outbox rows).
 * Workflows see only this port, never the query builder.
 */
export interface UnitOfWork<S = Stores> {
  /** The stores outside any transaction (each statement commits by itself). */
  readonly stores: S;
  /** Runs `work` with stores bound to one transaction; commits when it returns, rolls back when it throws. */
  transaction<T>(work: (stores: S) => Promise<T>): Promise<T>;
}

/** The stores over `db` (a database or a transaction), each made when first used. */
export function storesOf(db: Kysely<Database>): Stores {
  const made: Partial<Stores> = {};
  const stores = {} as Stores;
  for (const name of Object.keys(FACTORIES) as (keyof Stores)[])
    Object.defineProperty(stores, name, {
      enumerable: true,
      get: () => {
        made[name] ??= FACTORIES[name](db) as never;
        return made[name];
      },
    });
  return stores;
}

/** The unit of work over one database. */
export function unitOfWork(db: Kysely<Database>): UnitOfWork {
  return {
    stores: storesOf(db),
    transaction: (work) => db.transaction().execute((trx) => work(storesOf(trx))),
  };
}
