import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../../src/services/index.ts';
import { Secret } from '../../src/vault/secret.ts';

/** The app every benchmark world registers. */
export const BENCH_APP = { app_id: '7100000000000000001', secret: 'bench-secret-0001' } as const;

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(19 - prefix.length, '0')}`;

/** The shape of a benchmark world: `connections` authorizations of `perConnection` advertisers each. */
export interface WorldShape {
  connections: number;
  perConnection: number;
  tier: 'basic' | 'advanced' | 'premium' | 'ultimate' | 'none';
  /** Seed each advertiser with the emulator's campaigns, ad groups and ads. @default false */
  campaigns?: boolean;
}

/** Writes an emulator seed file for the world into `dir`; returns its path and the tokens it grants. */
export function writeWorldSeed(dir: string, shape: WorldShape) {
  const total = shape.connections * shape.perConnection;
  const authorizations = Array.from({ length: shape.connections }, (_, c) => ({
    app_id: BENCH_APP.app_id,
    advertiser_ids: Array.from({ length: shape.perConnection }, (_, a) =>
      id('72', c * shape.perConnection + a + 1),
    ),
    access_token: `bench-token-${String(c).padStart(5, '0')}`,
  }));
  const seed = {
    apps: [{ app_id: BENCH_APP.app_id, secret: BENCH_APP.secret, name: 'Bench app', tier: shape.tier }],
    advertisers: Array.from({ length: total }, (_, i) => ({
      advertiser_id: id('72', i + 1),
      name: `Advertiser ${i + 1}`,
      app_ids: [BENCH_APP.app_id],
      campaigns: shape.campaigns ?? false,
      // As in an agency's book: a third run upgraded Smart+, a quarter sell through GMV Max.
      smart_plus: (shape.campaigns ?? false) && i % 3 === 1,
      gmv_max: (shape.campaigns ?? false) && i % 4 === 2,
    })),
    authorizations,
  };
  const file = join(dir, 'seed.json');
  writeFileSync(file, JSON.stringify(seed));
  return { file, authorizations };
}

/**
 * Registers the bench app (pointing at the emulator) and adopts every authorization as a connection.
 * Returns the connection ids, in the order of `authorizations`.
 */
export async function adoptWorld(
  services: Services,
  emulatorUrl: string,
  shape: WorldShape,
  authorizations: ReturnType<typeof writeWorldSeed>['authorizations'],
): Promise<string[]> {
  await services.apps.register({
    app_id: BENCH_APP.app_id,
    secret: BENCH_APP.secret,
    environment: 'production',
    base_url: emulatorUrl,
    rate_tier: shape.tier === 'none' ? 'basic' : shape.tier,
  });
  const ids: string[] = [];
  for (const grant of authorizations) {
    const adopted = await services.connect.importToken({
      appId: BENCH_APP.app_id,
      regime: 'advertiser',
      accessToken: new Secret(grant.access_token),
      advertiserIds: grant.advertiser_ids,
      ownerContact: 'owner@example.com',
    });
    ids.push(adopted.connectionId);
  }
  return ids;
}
