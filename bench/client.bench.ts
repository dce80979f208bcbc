import { AccountManagementApi, ApiClient } from 'tiktok-business-api-sdk-official';
import { Pool } from 'undici';
import { createTikTokClient } from '../src/index.ts';
import type { BenchOptions } from './registry.ts';
import { drive, median, startEmulatorProcess } from './support/emulator-process.ts';

const CONCURRENCY = 50;

/**
 * Client overhead: the same GET /advertiser/info/ from 50 concurrent callers through adwarden's client
 * (pacing off), a raw undici Pool (the floor), and TikTok's official JS SDK; rounds alternate.
 */
export async function clientBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const emulator = await startEmulatorProcess(['--tier', 'none']);
  const ids = emulator.token.advertiser_ids.slice(0, 5);
  const token = emulator.token.access_token;
  const perContender = quick ? 8_000 : 20_000;
  const rounds = quick ? 2 : 3;

  const adwarden = createTikTokClient({
    accessToken: token,
    baseUrl: emulator.url,
    tier: 'none',
    connections: CONCURRENCY,
  });
  const pool = new Pool(emulator.origin, { connections: CONCURRENCY, pipelining: 1 });
  const path = `/open_api/v1.3/advertiser/info/?advertiser_ids=${encodeURIComponent(JSON.stringify(ids))}`;
  const apiClient = new ApiClient();
  apiClient.basePath = emulator.origin;
  const official = new AccountManagementApi(apiClient);

  const contenders: Record<string, () => Promise<unknown>> = {
    adwarden: () => adwarden.call('GET', '/advertiser/info/', { query: { advertiser_ids: ids } }),
    undici: async () => {
      const response = await pool.request({ method: 'GET', path, headers: { 'access-token': token } });
      const body = JSON.parse(await response.body.text()) as { code: number };
      if (body.code !== 0) throw new Error(String(body.code));
    },
    official_sdk: () =>
      new Promise((resolve, reject) =>
        official.advertiserInfo(ids, token, {}, (error, data) =>
          // The SDK turns TikTok error envelopes into `error`.
          error ? reject(error) : resolve(data),
        ),
      ),
  };
  try {
    for (const task of Object.values(contenders)) await drive(1_000, CONCURRENCY, task); // warm-up
    const results: Record<string, number[]> = { adwarden: [], undici: [], official_sdk: [] };
    let failed = 0;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? Object.keys(contenders) : Object.keys(contenders).reverse();
      for (const name of order) {
        const run = await drive(perContender, CONCURRENCY, contenders[name]!);
        results[name]!.push(run.rps);
        failed += run.failed;
      }
    }
    const adwardenRps = median(results.adwarden!);
    const undiciRps = median(results.undici!);
    const officialRps = median(results.official_sdk!);
    return {
      endpoint: 'GET /advertiser/info/ (5 advertisers)',
      concurrency: CONCURRENCY,
      requests_per_contender_per_round: perContender,
      rounds,
      failed,
      adwarden_rps: Math.round(adwardenRps),
      undici_rps: Math.round(undiciRps),
      official_sdk_rps: Math.round(officialRps),
      ratio_vs_undici: Number((adwardenRps / undiciRps).toFixed(3)),
      ratio_vs_official_sdk: Number((adwardenRps / officialRps).toFixed(2)),
      targets: { ratio_vs_undici: 0.85, ratio_vs_official_sdk: 3.5 },
    };
  } finally {
    await adwarden.close();
    await pool.close();
    await emulator.stop();
  }
}
