import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { randomToken } from '../ids.ts';
import { requiredString } from '../params.ts';
import { authorizerFor, type EmulatedToken, type EmulatorState } from '../state.ts';

const AUTH_CODE_TTL_MS = 3_600_000;
/** TikTok account (tt_user) tokens: access 24 h, refresh 365 d. */
export const TT_USER_ACCESS_MS = 24 * 3_600_000;
export const TT_USER_REFRESH_MS = 365 * 86_400_000;
const TT_USER_SCOPE = 'user.info.basic,user.info.stats,video.list,video.publish';

// tt_user calls name the app as client_id/client_secret.
function client(context: CallContext) {
  const appId = requiredString(context.body, 'client_id');
  const secret = requiredString(context.body, 'client_secret');
  const app = context.state.apps.get(appId);
  if (!app || app.environment !== context.environment || app.secret !== secret)
    throw new ApiFailure(40101, 'Invalid client_id or client_secret.');
  return app;
}

function grantType(context: CallContext, expected: string): void {
  const value = requiredString(context.body, 'grant_type');
  if (value !== expected) throw new ApiFailure(40108, `grant_type: Must be ${expected}.`);
}

/** Issues a TikTok account token pair for `appId`, valid 24 h / 365 d from `now`. */
export function issueTtUserToken(
  state: EmulatorState,
  app: { appId: string; environment: EmulatedToken['environment'] },
  now: number,
  openId = `-000${randomToken(14)}`,
): EmulatedToken {
  const token: EmulatedToken = {
    accessToken: `act.${randomToken(24)}`,
    appId: app.appId,
    environment: app.environment,
    regime: 'tt_user',
    advertiserIds: [],
    scope: [],
    status: 'active',
    issuedAt: now,
    expiresAt: now + TT_USER_ACCESS_MS,
    refreshToken: `rft.${randomToken(24)}`,
    refreshExpiresAt: now + TT_USER_REFRESH_MS,
    openId,
    authorizer: authorizerFor(openId),
  };
  state.tokens.set(token.accessToken, token);
  return token;
}

function tokenResponse(token: EmulatedToken, now: number) {
  return {
    access_token: token.accessToken,
    token_type: 'Bearer',
    scope: TT_USER_SCOPE,
    expires_in: Math.round((token.expiresAt! - now) / 1000),
    refresh_token: token.refreshToken,
    refresh_token_expires_in: Math.max(0, Math.round((token.refreshExpiresAt! - now) / 1000)),
    open_id: token.openId,
  };
}

/** The TikTok Accounts API token flow: exchange, refresh, revoke. */
export const TT_USER_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/tt_user/oauth2/token/',
    auth: 'app',
    handle(context) {
      const app = client(context);
      grantType(context, 'authorization_code');
      const code = context.state.authCodes.get(requiredString(context.body, 'auth_code'));
      if (
        !code ||
        code.appId !== app.appId ||
        code.regime !== 'tt_user' ||
        code.used ||
        context.now - code.issuedAt > AUTH_CODE_TTL_MS
      ) {
        if (code) code.used = true;
        throw new ApiFailure(40131, 'Authorization code is expired.');
      }
      code.used = true;
      return tokenResponse(issueTtUserToken(context.state, app, context.now), context.now);
    },
  },
  {
    method: 'POST',
    path: '/tt_user/oauth2/refresh_token/',
    auth: 'app',
    handle(context) {
      const app = client(context);
      grantType(context, 'refresh_token');
      const presented = requiredString(context.body, 'refresh_token');
      const current = [...context.state.tokens.values()].find(
        (t) => t.refreshToken === presented && t.appId === app.appId && t.status !== 'revoked',
      );
      if (!current) throw new ApiFailure(40107, 'The refresh token is invalid.');
      if (context.now >= current.refreshExpiresAt!)
        throw new ApiFailure(40103, 'The refresh token has expired. Please re-authorize.');
      // A new access token; the refresh token and its expiry carry over (its 365 days do not restart).
      const next: EmulatedToken = {
        ...current,
        accessToken: `act.${randomToken(24)}`,
        status: 'active',
        issuedAt: context.now,
        expiresAt: context.now + TT_USER_ACCESS_MS,
      };
      current.refreshToken = undefined;
      context.state.tokens.set(next.accessToken, next);
      return tokenResponse(next, context.now);
    },
  },
  {
    method: 'POST',
    path: '/tt_user/oauth2/revoke/',
    auth: 'app',
    handle(context) {
      const app = client(context);
      const token = context.state.tokens.get(requiredString(context.body, 'access_token'));
      if (!token || token.appId !== app.appId || token.regime !== 'tt_user' || token.status === 'revoked')
        throw new ApiFailure(40105, 'Access token is incorrect or has been revoked.');
      for (const t of context.state.tokens.values()) {
        if (t.openId === token.openId && t.appId === app.appId)
          Object.assign(t, { status: 'revoked', revokedBy: 'app' });
      }
      return {};
    },
  },
];
