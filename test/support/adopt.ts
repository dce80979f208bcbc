import type { Services } from '../../src/services/index.ts';
import { Secret } from '../../src/vault/secret.ts';
import type { startEmulator } from '../emulator/helpers.ts';

/**
 * Registers the emulator's production app with `services` and adopts its production advertiser tokens
 * (at most `limit`) as connections, the way `importToken` does for an operator. Returns the tokens.
 */
export async function adoptEmulatorTokens(
  services: Services,
  tiktok: Awaited<ReturnType<typeof startEmulator>>,
  limit = Number.POSITIVE_INFINITY,
): Promise<string[]> {
  await services.apps.register({
    app_id: tiktok.production.app_id,
    secret: tiktok.production.secret,
    environment: 'production',
    base_url: tiktok.emulator.url,
  });
  const world = await tiktok.emulator.control.state();
  const tokens = world.tokens
    .filter((t) => t.environment === 'production' && t.regime === 'advertiser')
    .slice(0, limit);
  for (const token of tokens)
    await services.connect.importToken({
      appId: token.app_id,
      regime: 'advertiser',
      accessToken: new Secret(token.access_token),
      ownerContact: 'owner@example.com',
    });
  return tokens.map((t) => t.access_token);
}
