import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { pageOf, paging, requiredString } from '../params.ts';
import { liveSubscriptions, SUBSCRIBE_ENTITIES, type SubscribeEntity } from '../push.ts';
import { appFrom } from './oauth.ts';

/** What a subscribe call asks for, checked as TikTok checks it. */
function subscribeRequest(context: CallContext) {
  const { body } = context;
  const entity = requiredString(body, 'subscribe_entity');
  if (!(SUBSCRIBE_ENTITIES as readonly string[]).includes(entity))
    throw new ApiFailure(40002, `subscribe_entity: Must be one of ${SUBSCRIBE_ENTITIES.join(', ')}.`);
  const callbackUrl = requiredString(body, 'callback_url');
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    throw new ApiFailure(40002, 'callback_url: Not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ApiFailure(40002, 'callback_url: Not a valid URL.');
  const detail = body.subscription_detail;
  const d = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  return { entity: entity as SubscribeEntity, callbackUrl, detail: d };
}

/** The token and advertisers an advertiser-level subscription covers; refused as TikTok would. */
function coverage(context: CallContext, appId: string, detail: Record<string, unknown>) {
  const accessToken = requiredString(detail, 'access_token');
  const token = context.state.tokens.get(accessToken);
  if (token?.status !== 'active' || token.environment !== context.environment)
    throw new ApiFailure(40105, 'The access token is invalid or has been revoked.');
  if (token.appId !== appId) throw new ApiFailure(40102, 'app_id is inconsistent with the token.');
  const raw = detail.advertiser_ids;
  if (!Array.isArray(raw) || raw.length === 0)
    throw new ApiFailure(40002, 'subscription_detail.advertiser_ids: Missing data for required field.');
  if (raw.length > 100)
    throw new ApiFailure(40002, 'subscription_detail.advertiser_ids: Length must be between 1 and 100.');
  const advertiserIds = raw.map(String);
  const foreign = advertiserIds.find((id) => !token.advertiserIds.includes(id));
  if (foreign)
    throw new ApiFailure(40001, `advertiser does not grant you /subscription/subscribe/:POST permission`);
  return { accessToken, advertiserIds };
}

const subscribe: ApiRoute = {
  method: 'POST',
  path: '/subscription/subscribe/',
  auth: 'app',
  handle(context) {
    const app = appFrom(context, context.body);
    const { entity, callbackUrl, detail } = subscribeRequest(context);
    const covered =
      entity === 'API_SERVICE_STATUS'
        ? { accessToken: null, advertiserIds: [] as string[] }
        : coverage(context, app.appId, detail);
    const subscriptionId = context.ids.next('75');
    context.state.subscriptions.set(subscriptionId, {
      subscriptionId,
      appId: app.appId,
      entity,
      callbackUrl,
      ...covered,
      createTime: context.now,
    });
    return { subscription_id: subscriptionId };
  },
};

const list: ApiRoute = {
  method: 'GET',
  path: '/subscription/get/',
  auth: 'app',
  handle(context) {
    const app = appFrom(context, context.query);
    const entity = context.query.subscribe_entity;
    const { page, pageSize } = paging(context.query, 100);
    const mine = liveSubscriptions(context.state).filter(
      (s) => s.appId === app.appId && (typeof entity !== 'string' || entity === s.entity),
    );
    const result = pageOf(mine, page, pageSize);
    return {
      subscriptions: result.list.map((s) => ({
        subscription_id: s.subscriptionId,
        subscribe_entity: s.entity,
        callback_url: s.callbackUrl,
        subscription_detail: { advertiser_ids: s.advertiserIds },
        create_time: Math.floor(s.createTime / 1000),
      })),
      page_info: result.page_info,
    };
  },
};

const unsubscribe: ApiRoute = {
  method: 'POST',
  path: '/subscription/unsubscribe/',
  auth: 'app',
  handle(context) {
    const app = appFrom(context, context.body);
    const id = requiredString(context.body, 'subscription_id');
    const found = context.state.subscriptions.get(id);
    if (!found || found.appId !== app.appId)
      throw new ApiFailure(40002, `subscription_id: Subscription ${id} does not exist.`);
    context.state.subscriptions.delete(id);
    return { subscription_id: id };
  },
};

/** The Subscription API: subscribe, list and unsubscribe (app credentials in the request). */
export const SUBSCRIPTION_ROUTES: ApiRoute[] = [subscribe, list, unsubscribe];
