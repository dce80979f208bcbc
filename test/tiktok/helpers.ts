import { createEmulator, type EmulatorOptions } from '../../src/emulator/index.ts';
import {
  createTikTokClient,
  isTikTokError,
  type TikTokClientOptions,
  type TikTokError,
} from '../../src/index.ts';

/** An emulator and a client for its production app, talking over real HTTP. */
export async function clientAndEmulator(
  emulatorOptions: EmulatorOptions = {},
  clientOptions: Partial<TikTokClientOptions> = {},
) {
  const emulator = await createEmulator({ seed: 'demo', tier: 'none', ...emulatorOptions });
  const world = await emulator.control.state();
  const app = world.apps.find((a) => a.environment === 'production')!;
  const token = world.tokens.find((t) => t.environment === 'production' && t.regime === 'advertiser')!;
  const client = createTikTokClient({
    appId: app.app_id,
    secret: app.secret,
    accessToken: token.access_token,
    baseUrl: emulator.url,
    tier: 'none',
    retry: { random: () => 0.5, delayScale: 0.01 },
    ...clientOptions,
  });
  const close = async () => {
    await client.close();
    await emulator.close();
  };
  return { emulator, world, app, token, client, close };
}

/** The TikTokError a call fails with (fails the test when it succeeds or throws something else). */
export async function failure(promise: Promise<unknown>): Promise<TikTokError> {
  try {
    await promise;
  } catch (error) {
    if (isTikTokError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
