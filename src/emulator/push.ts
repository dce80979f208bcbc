import { createHmac } from 'node:crypto';
import type { EmulatorState } from './state.ts';

/** Entities TikTok's Subscription API knows (fact sheet §5.7, §10). */
export const SUBSCRIBE_ENTITIES = [
  'AD_ACCOUNT_SUSPENSION',
  'AD_GROUP',
  'AD',
  'API_SERVICE_STATUS',
  'REPORT_DATA_CHANGE',
  'CREATIVE_FATIGUE',
  'TCM_VIDEOS',
  'LEAD',
] as const;
export type SubscribeEntity = (typeof SUBSCRIBE_ENTITIES)[number];

/** A subscription an app made. It stops when the token it was made with is revoked. */
export interface EmulatedSubscription {
  subscriptionId: string;
  appId: string;
  entity: SubscribeEntity;
  callbackUrl: string;
  /** The token it was made with (none for API_SERVICE_STATUS). */
  accessToken: string | null;
  advertiserIds: string[];
  createTime: number;
}

/** Something that happened which subscriptions hear of. */
export interface PushEvent {
  entity: SubscribeEntity;
  /** The advertiser it is about (null: app-wide, like API_SERVICE_STATUS). */
  advertiserId: string | null;
  content: Record<string, unknown>;
  at: number;
}

/** How deliveries behave; set by the `pushDeliveries` fault. */
export interface PushBehaviour {
  /** Deliveries are dropped (never sent): what a lost push looks like to the receiver. */
  lose: boolean;
  /** Each delivery is sent twice (at-least-once). */
  duplicate: boolean;
}

/** One delivery attempt, for the control API (what the receiver answered). */
export interface PushAttempt {
  subscriptionId: string;
  entity: SubscribeEntity;
  eventAt: number;
  sentAt: number;
  attempt: number;
  status: number | null;
  error?: string;
}

/** Whether a subscription still delivers: its token (if any) must be active and cover the advertiser. */
export function listens(state: EmulatorState, s: EmulatedSubscription, event: PushEvent): boolean {
  if (s.entity !== event.entity) return false;
  if (s.accessToken !== null) {
    const token = state.tokens.get(s.accessToken);
    if (token?.status !== 'active') return false;
  }
  return event.advertiserId === null || s.advertiserIds.includes(event.advertiserId);
}

/** The subscriptions that are still alive (a revoked token ends the ones made with it). */
export function liveSubscriptions(state: EmulatorState): EmulatedSubscription[] {
  return [...state.subscriptions.values()].filter((s) => {
    if (s.accessToken === null) return true;
    return state.tokens.get(s.accessToken)?.status === 'active';
  });
}

/** Queues an event for the subscriptions that listen to it. */
export function emitPush(state: EmulatorState, event: PushEvent): void {
  state.pushEvents.push(event);
}

/** A delivery's body: the subscription, the entity, when, and what happened. */
export function deliveryBody(subscription: EmulatedSubscription, event: PushEvent): string {
  return JSON.stringify({
    subscription_id: subscription.subscriptionId,
    subscribe_entity: subscription.entity,
    app_id: subscription.appId,
    event_time: Math.floor(event.at / 1000),
    content: event.content,
  });
}

/**
 * The `tiktok-signature` header: `t=<unix seconds>,s=<hex HMAC-SHA256 of "<t>.<body>" keyed by the
 * app's secret>` (TikTok's webhook signature scheme).
 */
export function signDelivery(secret: string, body: string, unixSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},s=${signature}`;
}
