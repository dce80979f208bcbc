import { Secret } from '../../vault/index.ts';
import type { ClientCore } from '../client.ts';
import { type CallSite, listIn, stringIn } from '../errors.ts';

/** What an auth-code exchange yields. The token is a Secret: it redacts itself in logs and JSON. */
export interface AdvertiserGrant {
  accessToken: Secret;
  scope: number[];
  advertiserIds: string[];
}

/** What a TikTok account (tt_user) exchange or refresh yields. */
export interface TtUserTokens {
  accessToken: Secret;
  refreshToken: Secret;
  /** Epoch ms. */
  accessExpiresAt: number;
  refreshExpiresAt: number;
  openId: string;
  scope: string[];
}

/** OAuth for advertiser tokens and TikTok account tokens. */
export function oauthMethods(core: ClientCore, now: () => number) {
  const app = () => ({ app_id: core.appId, secret: core.secret() });
  const ttUser = (data: TtUserTokenData, site: CallSite) => ttUserTokens(data, site, now());
  return {
    /** Exchanges a single-use auth code (valid 1 hour) for a long-lived advertiser token. */
    async exchangeAuthCode(authCode: string): Promise<AdvertiserGrant> {
      const data = await core.call<{ access_token: string; scope?: number[]; advertiser_ids?: string[] }>(
        'POST',
        '/oauth2/access_token/',
        { auth: 'none', body: { ...app(), auth_code: authCode } },
      );
      return {
        accessToken: new Secret(
          stringIn(data, 'access_token', { method: 'POST', endpoint: '/oauth2/access_token/' }),
        ),
        scope: data.scope ?? [],
        advertiserIds: (data.advertiser_ids ?? []).map(String),
      };
    },
    /** The advertisers a token still covers: the cheapest liveness probe (40105 = revoked). */
    async listAuthorizedAdvertisers(accessToken?: string | Secret) {
      const data = await core.call<{
        list: Array<{ advertiser_id: string | number; advertiser_name: string }>;
      }>('GET', '/oauth2/advertiser/get/', { query: app(), accessToken });
      return listIn<{ advertiser_id: string | number; advertiser_name: string }>(data, 'list', {
        method: 'GET',
        endpoint: '/oauth2/advertiser/get/',
      }).map((a) => ({ advertiserId: String(a.advertiser_id), name: a.advertiser_name }));
    },
    /** Revokes an advertiser token. */
    async revokeToken(accessToken: string | Secret): Promise<void> {
      const token = accessToken instanceof Secret ? accessToken.reveal() : accessToken;
      await core.call('POST', '/oauth2/revoke_token/', {
        auth: 'none',
        body: { ...app(), access_token: token },
      });
    },
    /** TikTok account holders: exchange a code (24 h access, 365 d refresh). */
    async exchangeTtUserCode(authCode: string, redirectUri: string): Promise<TtUserTokens> {
      return ttUser(
        await core.call('POST', '/tt_user/oauth2/token/', {
          auth: 'none',
          body: {
            client_id: core.appId,
            client_secret: core.secret(),
            grant_type: 'authorization_code',
            auth_code: authCode,
            redirect_uri: redirectUri,
          },
        }),
        { method: 'POST', endpoint: '/tt_user/oauth2/token/' },
      );
    },
    /** TikTok account holders: a new access token from the refresh token. Persist what comes back. */
    async refreshTtUserToken(refreshToken: string | Secret): Promise<TtUserTokens> {
      const token = refreshToken instanceof Secret ? refreshToken.reveal() : refreshToken;
      return ttUser(
        await core.call('POST', '/tt_user/oauth2/refresh_token/', {
          auth: 'none',
          replaySafe: true,
          body: {
            client_id: core.appId,
            client_secret: core.secret(),
            grant_type: 'refresh_token',
            refresh_token: token,
          },
        }),
        { method: 'POST', endpoint: '/tt_user/oauth2/refresh_token/' },
      );
    },
  };
}

/** What TikTok answers a tt_user token exchange or refresh with. */
interface TtUserTokenData {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  refresh_token_expires_in: number;
  open_id: string;
  scope: string;
}

/** A tt_user token answer, its secrets wrapped and its lifetimes turned into expiry times from `at`. */
function ttUserTokens(data: TtUserTokenData, site: CallSite, at: number): TtUserTokens {
  return {
    accessToken: new Secret(stringIn(data, 'access_token', site)),
    refreshToken: new Secret(stringIn(data, 'refresh_token', site)),
    accessExpiresAt: at + data.expires_in * 1000,
    refreshExpiresAt: at + data.refresh_token_expires_in * 1000,
    openId: data.open_id,
    scope: data.scope ? data.scope.split(',') : [],
  };
}
