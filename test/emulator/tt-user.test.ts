import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;
const redirect = 'http://127.0.0.1:7420/oauth/tiktok/callback';

beforeAll(async () => {
  t = await startEmulator();
});
afterAll(() => t.emulator.close());

async function ttUserCode(): Promise<string> {
  const { redirect: url } = await t.emulator.control.authorize({
    app_id: t.production.app_id,
    redirect_uri: redirect,
    state: 's1',
    regime: 'tt_user',
  });
  return new URL(url).searchParams.get('auth_code')!;
}

const credentials = () => ({ client_id: t.production.app_id, client_secret: t.production.secret });

describe('emulator: TikTok account (tt_user) tokens', () => {
  it('exchanges a code for 24 h / 365 d tokens, once', async () => {
    const code = await ttUserCode();
    const body = {
      ...credentials(),
      grant_type: 'authorization_code',
      auth_code: code,
      redirect_uri: redirect,
    };
    const first = await t.post('/tt_user/oauth2/token/', body);
    expect(first.body.code).toBe(0);
    expect(first.body.data).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86_400,
      refresh_token_expires_in: 31_536_000,
      open_id: expect.any(String),
      scope: expect.stringContaining('user.info.basic'),
    });
    expect((await t.post('/tt_user/oauth2/token/', body)).body.code).toBe(40131);
    expect((await t.post('/tt_user/oauth2/token/', { ...body, grant_type: 'password' })).body.code).toBe(
      40108,
    );
    expect(
      (await t.post('/tt_user/oauth2/token/', { ...body, client_secret: 'wrong-secret' })).body.code,
    ).toBe(40101);
  });

  it('expires access after 24 h (40102), refreshes, and ends at 365 d (40103); a bad refresh token is 40107', async () => {
    const code = await ttUserCode();
    const { data } = (
      await t.post('/tt_user/oauth2/token/', {
        ...credentials(),
        grant_type: 'authorization_code',
        auth_code: code,
        redirect_uri: redirect,
      })
    ).body;
    expect((await t.get('/user/info/', data.access_token)).body.code).toBe(0);
    await t.emulator.control.advanceClock(24 * 3_600_000);
    expect((await t.get('/user/info/', data.access_token)).body.code).toBe(40102);

    const refresh = (refresh_token: string) =>
      t.post('/tt_user/oauth2/refresh_token/', {
        ...credentials(),
        grant_type: 'refresh_token',
        refresh_token,
      });
    const refreshed = (await refresh(data.refresh_token)).body;
    expect(refreshed.code).toBe(0);
    expect(refreshed.data.access_token).not.toBe(data.access_token);
    expect(refreshed.data.refresh_token_expires_in).toBe(31_536_000 - 86_400);
    expect((await t.get('/user/info/', refreshed.data.access_token)).body.code).toBe(0);

    expect((await refresh('rft.not-a-token')).body.code).toBe(40107);
    await t.emulator.control.advanceClock(365 * 86_400_000);
    expect((await refresh(refreshed.data.refresh_token)).body.code).toBe(40103);
  });
});
