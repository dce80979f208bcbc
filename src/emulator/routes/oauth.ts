import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { randomToken } from '../ids.ts';
import { requiredString } from '../params.ts';
import { issueAdvertiserToken, reachableAdvertisers } from '../state.ts';

const AUTH_CODE_TTL_MS = 3_600_000;

// OAuth calls carry the app's credentials: in the JSON body (exchange, revoke) or the query (advertiser/get).
export function appFrom(context: CallContext, source: Record<string, unknown>) {
  const appId = requiredString(source, 'app_id');
  const secret = requiredString(source, 'secret');
  const app = context.state.apps.get(appId);
  if (!app || app.environment !== context.environment || app.secret !== secret) {
    throw new ApiFailure(
      40101,
      'Invalid app_id or secret. Please check the app_id and secret of your developer application.',
    );
  }
  return app;
}

/** OAuth for advertiser (Marketing API) tokens: exchange, list, revoke. */
export const OAUTH_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/oauth2/access_token/',
    auth: 'app',
    handle(context) {
      const app = appFrom(context, context.body);
      const code = context.state.authCodes.get(requiredString(context.body, 'auth_code'));
      if (!code || code.appId !== app.appId || code.regime !== 'advertiser') {
        throw new ApiFailure(
          40110,
          'Invalid auth_code. The authorization code is invalid, expired or has been used.',
        );
      }
      if (code.used || context.now - code.issuedAt > AUTH_CODE_TTL_MS) {
        code.used = true;
        throw new ApiFailure(
          40110,
          'The authorization code has expired or has already been used. Please authorize again.',
        );
      }
      code.used = true;
      const token = issueAdvertiserToken(context.state, {
        app,
        advertiserIds: code.advertiserIds,
        accessToken: randomToken(20),
        now: context.now,
      });
      const returnIds = context.body.return_advertiser_ids !== false;
      return {
        access_token: token.accessToken,
        scope: token.scope,
        ...(returnIds ? { advertiser_ids: [...token.advertiserIds] } : {}),
      };
    },
  },
  {
    method: 'GET',
    path: '/oauth2/advertiser/get/',
    auth: 'token',
    sandbox: false,
    handle(context) {
      const app = appFrom(context, context.query);
      if (context.token!.appId !== app.appId)
        throw new ApiFailure(40000, "The app_id is inconsistent with the token's app information.");
      return {
        list: reachableAdvertisers(context.state, context.token!).map((a) => ({
          advertiser_id: a.advertiserId,
          advertiser_name: a.name,
        })),
      };
    },
  },
  {
    method: 'POST',
    path: '/oauth2/revoke_token/',
    auth: 'app',
    handle(context) {
      const app = appFrom(context, context.body);
      const token = context.state.tokens.get(requiredString(context.body, 'access_token'));
      if (!token || token.appId !== app.appId || token.status !== 'active') {
        throw new ApiFailure(40105, 'Access token is incorrect or has been revoked.');
      }
      token.status = 'revoked';
      token.revokedBy = 'app';
      return { app_id: app.appId, advertiser_ids: [...token.advertiserIds] };
    },
  },
];
