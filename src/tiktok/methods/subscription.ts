import type { Secret } from '../../vault/index.ts';
import type { ClientCore } from '../client.ts';
import { stringIn } from '../errors.ts';

/** A subscription as `/subscription/get/` lists it. */
export interface Subscription {
  subscriptionId: string;
  entity: string;
  callbackUrl: string;
  advertiserIds: string[];
}

interface ListedSubscription {
  subscription_id: string | number;
  subscribe_entity: string;
  callback_url?: string;
  subscription_detail?: { advertiser_ids?: Array<string | number> };
}

/**
 * TikTok's Subscription API (push): subscribe an entity to a callback URL, list and unsubscribe. The
 * calls carry the app's credentials; advertiser-level entities also the token whose advertisers they
 * cover (at most 100 per subscription), and they end when that token is revoked.
 */
export function subscriptionMethods(core: ClientCore) {
  const app = () => ({ app_id: core.appId, secret: core.secret() });
  return {
    async subscribe(input: {
      entity: string;
      callbackUrl: string;
      accessToken?: Secret;
      advertiserIds?: string[];
    }): Promise<string> {
      const detail = input.accessToken
        ? { access_token: input.accessToken.reveal(), advertiser_ids: input.advertiserIds ?? [] }
        : undefined;
      const data = await core.call<{ subscription_id: string | number }>('POST', '/subscription/subscribe/', {
        auth: 'none',
        body: {
          ...app(),
          subscribe_entity: input.entity,
          callback_url: input.callbackUrl,
          ...(detail ? { subscription_detail: detail } : {}),
        },
      });
      return stringIn({ subscription_id: String(data?.subscription_id ?? '') }, 'subscription_id', {
        method: 'POST',
        endpoint: '/subscription/subscribe/',
      });
    },
    /** Every subscription of the app (all pages). */
    async listSubscriptions(entity?: string): Promise<Subscription[]> {
      const all: Subscription[] = [];
      for (let page = 1; ; page++) {
        const data = await core.call<{
          subscriptions?: ListedSubscription[];
          page_info?: { total_page: number };
        }>('GET', '/subscription/get/', {
          auth: 'none',
          query: { ...app(), page, page_size: 100, ...(entity ? { subscribe_entity: entity } : {}) },
        });
        for (const s of data.subscriptions ?? [])
          all.push({
            subscriptionId: String(s.subscription_id),
            entity: s.subscribe_entity,
            callbackUrl: s.callback_url ?? '',
            advertiserIds: (s.subscription_detail?.advertiser_ids ?? []).map(String),
          });
        if (!data.page_info || page >= data.page_info.total_page) return all;
      }
    },
    async unsubscribe(subscriptionId: string): Promise<void> {
      await core.call('POST', '/subscription/unsubscribe/', {
        auth: 'none',
        body: { ...app(), subscription_id: subscriptionId },
      });
    },
  };
}
