import { TIKTOK_BASE_URLS } from '../tiktok/transport.ts';

type Environment = 'production' | 'sandbox';

/** The API base an app uses: its own, or TikTok's for its environment. */
export function effectiveBaseUrl(app: { base_url: string | null; environment: Environment }): string {
  return (app.base_url ?? TIKTOK_BASE_URLS[app.environment]).replace(/\/+$/, '');
}

/**
 * The same API in the other environment, to tell whether a token was issued there: TikTok's two hosts,
 * a `sandbox` host prefix, or (the emulator) a `/sandbox` path prefix.
 */
export function counterpartBaseUrl(baseUrl: string, environment: Environment): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (base === TIKTOK_BASE_URLS[environment])
    return TIKTOK_BASE_URLS[environment === 'production' ? 'sandbox' : 'production'];
  const url = new URL(base);
  if (environment === 'production') url.pathname = `/sandbox${url.pathname}`;
  else if (url.pathname.startsWith('/sandbox/')) url.pathname = url.pathname.slice('/sandbox'.length);
  else url.hostname = url.hostname.replace(/^sandbox[.-]/i, '');
  return url.toString().replace(/\/+$/, '');
}

/**
 * Where people authorize: TikTok's advertiser consent page (`portal/auth`) or, for TikTok account
 * holders, TikTok's authorize page. For a custom API base (an emulator), the same paths on its origin.
 */
export function authorizeUrl(input: {
  baseUrl: string;
  regime: 'advertiser' | 'tt_user';
  appId: string;
  state: string;
  redirectUri: string;
}): string {
  const tiktok = Object.values(TIKTOK_BASE_URLS).some((u) => u === input.baseUrl);
  const origin = tiktok ? null : new URL(input.baseUrl).origin;
  if (input.regime === 'tt_user') {
    const url = new URL(
      origin ? `${origin}/v2/auth/authorize/` : 'https://www.tiktok.com/v2/auth/authorize/',
    );
    url.searchParams.set('client_key', input.appId);
    url.searchParams.set('scope', 'user.info.basic,user.info.stats,video.list');
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', input.redirectUri);
    url.searchParams.set('state', input.state);
    return url.toString();
  }
  const url = new URL(origin ? `${origin}/portal/auth` : 'https://business-api.tiktok.com/portal/auth');
  url.searchParams.set('app_id', input.appId);
  url.searchParams.set('state', input.state);
  url.searchParams.set('redirect_uri', input.redirectUri);
  return url.toString();
}
