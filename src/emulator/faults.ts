import { z } from 'zod';
import { CHAOS_FAULTS, requestWindow } from './faults-chaos.ts';
import { applyDeliveryFault, DELIVERY_FAULTS } from './faults-delivery.ts';
import { applyPushFault, PUSH_FAULTS } from './faults-push.ts';
import { emitPush } from './push.ts';
import type { EmulatorState } from './state.ts';

const window = requestWindow;

/** Every fault the control API accepts, validated. */
export const FaultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('outage'),
    code: z.number().int().min(50000).max(69999).default(50002),
    message: z.string().optional(),
    ...window,
  }),
  z.strictObject({
    type: z.literal('gatewayHtml'),
    status: z.number().int().min(500).max(599).default(502),
    ...window,
  }),
  z.strictObject({
    type: z.literal('throttle'),
    /** 40100 (app QPS/QPM/QPD) or 40133 (advertiser per path). */
    code: z.union([z.literal(40100), z.literal(40133)]).default(40100),
    /** The app limit's window (40100): QPD is the daily quota, spent until 00:00 UTC. @default QPS */
    unit: z.enum(['QPS', 'QPM', 'QPD']).default('QPS'),
    ...window,
  }),
  z.strictObject({
    type: z.literal('regionBlock'),
    /** TikTok answers 41000, and -1 on some endpoints. */
    code: z.union([z.literal(41000), z.literal(-1)]).default(41000),
    ...window,
  }),
  z.strictObject({ type: z.literal('connectionReset'), ...window }),
  z.strictObject({ type: z.literal('slow'), delayMs: z.number().int().min(1).max(120_000), ...window }),
  z.strictObject({ type: z.literal('truncatedJson'), ...window }),
  z.strictObject({
    type: z.literal('revokeToken'),
    token: z.string().optional(),
    appId: z.string().optional(),
    advertiserId: z.string().optional(),
    by: z.enum(['user', 'bc_admin']).default('user'),
  }),
  z.strictObject({ type: z.literal('expireToken'), token: z.string() }),
  z.strictObject({
    type: z.literal('removeAdvertiser'),
    advertiserId: z.string(),
    token: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('deleteAdvertiser'), advertiserId: z.string() }),
  z.strictObject({
    type: z.literal('withdrawPermission'),
    path: z.string().startsWith('/').endsWith('/'),
    method: z.enum(['GET', 'POST']).default('GET'),
    advertiserId: z.string().optional(),
    /**
     * Who lacks it: the advertiser's grant ("advertiser does not grant you …"), or the app's scope in the
     * developer portal ("The access token lacks the required scope for endpoint …"; then `appId`).
     */
    by: z.enum(['advertiser', 'app']).default('advertiser'),
    appId: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('rotateSecret'),
    appId: z.string(),
    secret: z.string().min(8).optional(),
  }),
  z.strictObject({ type: z.literal('appTokenMismatch'), token: z.string() }),
  z.strictObject({
    type: z.literal('setEnvironment'),
    /** Moves an app and its tokens to the other environment: what a sandbox app configured as production sees. */
    appId: z.string(),
    environment: z.enum(['production', 'sandbox']),
  }),
  z.strictObject({
    type: z.literal('setTier'),
    appId: z.string(),
    tier: z.enum(['basic', 'advanced', 'premium', 'ultimate', 'none']),
  }),
  z.strictObject({
    type: z.literal('suspendAccount'),
    advertiserId: z.string(),
    status: z
      .enum(['STATUS_LIMIT', 'STATUS_DISABLE', 'STATUS_CONFIRM_FAIL', 'STATUS_ENABLE'])
      .default('STATUS_LIMIT'),
  }),
  ...DELIVERY_FAULTS,
  ...CHAOS_FAULTS,
  ...PUSH_FAULTS,
]);

/** A validated fault. */
export type Fault = z.output<typeof FaultSchema>;

/** The faults that act on requests as they arrive, for a while. */
export type RequestFault = Extract<
  Fault,
  {
    type:
      | 'outage'
      | 'throttle'
      | 'regionBlock'
      | 'gatewayHtml'
      | 'connectionReset'
      | 'slow'
      | 'truncatedJson'
      | 'malformedBody'
      | 'hugeBody'
      | 'stalledBody'
      | 'chaos';
  }
>;

/** An active request fault with its end on the emulator clock. */
export interface ActiveFault {
  id: number;
  fault: RequestFault;
  until: number | null;
  /** Requests it affected so far (it ends at `fault.times`). */
  hits?: number;
}

const REQUEST_FAULTS = new Set([
  'outage',
  'throttle',
  'regionBlock',
  'gatewayHtml',
  'connectionReset',
  'slow',
  'truncatedJson',
  'malformedBody',
  'hugeBody',
  'stalledBody',
  'chaos',
]);

/** True for faults that act on requests rather than change the world. */
export function isRequestFault(fault: Fault): fault is RequestFault {
  return REQUEST_FAULTS.has(fault.type);
}

/**
 * Applies a fault that changes the world (revocations, removals, suspensions…). Returns what changed,
 * or throws a RangeError naming what it could not find.
 */
export function applyStateFault(
  state: EmulatorState,
  fault: Exclude<Fault, RequestFault>,
  newSecret: () => string,
  now: number,
): Record<string, unknown> {
  switch (fault.type) {
    case 'rejectAd':
    case 'exceedBudget':
    case 'videoProcessing':
    case 'failVideo':
    case 'restoreDelivery':
    case 'stopDelivery':
    case 'spendSpike':
      return applyDeliveryFault(state, fault, now);
    case 'revokeToken':
      return revokeTokens(state, fault);
    case 'expireToken': {
      const token = mustFind(state.tokens, fault.token, 'token');
      token.status = 'expired';
      return { expired: 1 };
    }
    case 'removeAdvertiser':
      return removeAdvertiser(state, fault);
    case 'deleteAdvertiser':
      mustFind(state.advertisers, fault.advertiserId, 'advertiser').deleted = true;
      return { deleted: 1 };
    case 'withdrawPermission':
      return withdrawPermission(state, fault);
    case 'rotateSecret': {
      const app = mustFind(state.apps, fault.appId, 'app');
      app.secret = fault.secret ?? newSecret();
      return { appId: app.appId, secret: app.secret };
    }
    case 'appTokenMismatch':
      mustFind(state.tokens, fault.token, 'token').appMismatch = true;
      return { token: 'marked' };
    case 'setEnvironment':
      return moveApp(state, fault);
    case 'setTier':
      mustFind(state.apps, fault.appId, 'app').tier = fault.tier;
      return { appId: fault.appId, tier: fault.tier };
    case 'suspendAccount': {
      mustFind(state.advertisers, fault.advertiserId, 'advertiser').status = fault.status;
      emitPush(state, {
        entity: 'AD_ACCOUNT_SUSPENSION',
        advertiserId: fault.advertiserId,
        at: now,
        content: {
          advertiser_id: fault.advertiserId,
          status: fault.status,
          suspension_reason:
            fault.status === 'STATUS_ENABLE' ? '' : 'Violation of TikTok Advertising Policies',
          status_change_time: Math.floor(now / 1000),
        },
      });
      return { status: fault.status };
    }
    case 'pushDeliveries':
    case 'statusIncident':
      return applyPushFault(state, fault, now);
  }
}

function mustFind<T>(map: Map<string, T>, key: string, what: string): T {
  const found = map.get(key);
  if (!found) throw new RangeError(`unknown ${what} ${key}`);
  return found;
}

/** Ends every request fault and undoes the reversible world faults (withdrawn permissions, app mismatch). */
export function clearFaults(active: ActiveFault[], state: EmulatorState): number {
  const cleared = active.length;
  active.length = 0;
  state.withdrawnPermissions.clear();
  for (const token of state.tokens.values()) token.appMismatch = false;
  return cleared;
}

/** Revokes the tokens matching the fault (one, an app's, or every one covering an advertiser). */
function revokeTokens(state: EmulatorState, fault: Extract<Fault, { type: 'revokeToken' }>) {
  if (!fault.token && !fault.appId && !fault.advertiserId)
    throw new RangeError('revokeToken needs token, appId or advertiserId');
  const hit = [...state.tokens.values()].filter(
    (t) =>
      t.status === 'active' &&
      (!fault.token || t.accessToken === fault.token) &&
      (!fault.appId || t.appId === fault.appId) &&
      (!fault.advertiserId || t.advertiserIds.includes(fault.advertiserId)),
  );
  if (hit.length === 0) throw new RangeError('revokeToken matched no active token');
  for (const token of hit) Object.assign(token, { status: 'revoked', revokedBy: fault.by });
  return { revoked: hit.length };
}

/** Drops an advertiser from the authorizations covering it (or one of them). */
function removeAdvertiser(state: EmulatorState, fault: Extract<Fault, { type: 'removeAdvertiser' }>) {
  const tokens = [...state.tokens.values()].filter(
    (t) => t.advertiserIds.includes(fault.advertiserId) && (!fault.token || t.accessToken === fault.token),
  );
  if (tokens.length === 0) throw new RangeError(`no authorization covers advertiser ${fault.advertiserId}`);
  for (const token of tokens)
    token.advertiserIds = token.advertiserIds.filter((id) => id !== fault.advertiserId);
  return { removedFrom: tokens.length };
}

/** Moves an app, and its tokens, to the other environment. */
function moveApp(state: EmulatorState, fault: Extract<Fault, { type: 'setEnvironment' }>) {
  const app = mustFind(state.apps, fault.appId, 'app');
  app.environment = fault.environment;
  let moved = 0;
  for (const token of state.tokens.values()) {
    if (token.appId !== app.appId) continue;
    token.environment = fault.environment;
    moved += 1;
  }
  return { appId: app.appId, environment: app.environment, tokens: moved };
}

/** Takes a permission away: from one advertiser's grant (or every advertiser's), or from an app's scopes. */
function withdrawPermission(state: EmulatorState, fault: Extract<Fault, { type: 'withdrawPermission' }>) {
  const call = `${fault.path}:${fault.method}`;
  if (fault.by === 'app') {
    const apps = fault.appId ? [mustFind(state.apps, fault.appId, 'app')] : [...state.apps.values()];
    for (const app of apps) state.withdrawnPermissions.add(`app:${app.appId} ${call}`);
    return { withdrawn: apps.length, by: 'app' };
  }
  const advertisers = fault.advertiserId
    ? [mustFind(state.advertisers, fault.advertiserId, 'advertiser')]
    : [...state.advertisers.values()];
  for (const a of advertisers) state.withdrawnPermissions.add(`${a.advertiserId} ${call}`);
  return { withdrawn: advertisers.length, by: 'advertiser' };
}
