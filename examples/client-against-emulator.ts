// Run with: node examples/client-against-emulator.ts
// Starts the emulator, connects the client to it, reads accounts, and shows a diagnosed failure.
// In a project that installed adwarden, import from 'adwarden' and 'adwarden/emulator' instead.
import { createEmulator } from '../src/emulator/index.ts';
import { createTikTokClient, isTikTokError } from '../src/index.ts';

const emulator = await createEmulator({ seed: 'demo' });
const { apps, tokens } = await emulator.control.state();
const app = apps.find((a) => a.environment === 'production')!;
const token = tokens.find((t) => t.app_id === app.app_id && t.regime === 'advertiser')!;

const tiktok = createTikTokClient({
  appId: app.app_id,
  secret: app.secret,
  accessToken: token.access_token,
  baseUrl: emulator.url, // leave out for TikTok's production API
  tier: 'basic', // paces to 10 QPS / 600 QPM
});
tiktok.on('retry', (e) => console.log(`retry ${e.endpoint} after ${e.code} in ${e.delayMs} ms`));

for (const account of await tiktok.getAdvertiserInfo(token.advertiser_ids))
  console.log(`${account.advertiser_id}  ${account.status}  ${account.name}`);

for await (const ad of tiktok.ads(token.advertiser_ids[0]!))
  console.log(`ad ${ad.ad_id}: ${ad.secondary_status}`);

// Someone revokes the authorization in TikTok: the error says what happened and what to do.
await emulator.control.fault({ type: 'revokeToken', token: token.access_token });
try {
  await tiktok.listAuthorizedAdvertisers();
} catch (error) {
  if (!isTikTokError(error)) throw error;
  console.log(`${error.code} ${error.diagnosis.kind}: ${error.diagnosis.fix[0]}`);
}

await tiktok.close();
await emulator.close();
