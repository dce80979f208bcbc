import { deliveryBody, type EmulatedSubscription, listens, type PushEvent, signDelivery } from './push.ts';
import type { EmulatorRuntime } from './server.ts';

const RETRY_WINDOW_MS = 72 * 3_600_000;
const LOG_LIMIT = 2_000;

/**
 * Delivers queued push events to the subscriptions that listen, as TikTok does: a signed POST per
 * subscription, at least once (duplicates when the `pushDeliveries` fault says so), retried with
 * backoff (1 s, 2 s, 4 s … of emulator time, up to 72 hours) until the receiver answers 2xx.
 */
export function startPushHub(runtime: EmulatorRuntime): { stop(): void } {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) run();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const attempt = async (subscription: EmulatedSubscription, event: PushEvent, n: number) => {
    const { state, clock } = runtime;
    const app = state.apps.get(subscription.appId);
    if (!app) return;
    const body = deliveryBody(subscription, event);
    const sentAt = clock.now();
    const record = {
      subscriptionId: subscription.subscriptionId,
      entity: event.entity,
      eventAt: event.at,
      sentAt,
      attempt: n,
    };
    if (state.push.lose) {
      log(runtime, { ...record, status: null, error: 'lost (pushDeliveries fault)' });
      return;
    }
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(subscription.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'tiktok-signature': signDelivery(app.secret, body, Math.floor(sentAt / 1000)),
          'webhook-schema-version': '1.0',
          'x-tt-logid': runtime.ids.next('2026'),
        },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    log(runtime, { ...record, status, ...(error ? { error } : {}) });
    if (status !== null && status >= 200 && status < 300) return;
    const wait = 1_000 * 2 ** (n - 1);
    if (clock.now() + wait - event.at > RETRY_WINDOW_MS) return;
    later(wait / clock.speed, () => void attempt(subscription, event, n + 1));
  };

  const drain = () => {
    const { state } = runtime;
    const events = state.pushEvents.splice(0);
    for (const event of events)
      for (const subscription of state.subscriptions.values()) {
        if (!listens(state, subscription, event)) continue;
        void attempt(subscription, event, 1);
        if (state.push.duplicate) later(50, () => void attempt(subscription, event, 1));
      }
  };
  const tick = setInterval(drain, 20);
  tick.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(tick);
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

function log(runtime: EmulatorRuntime, entry: EmulatorRuntime['state']['pushLog'][number]) {
  const log = runtime.state.pushLog;
  log.push(entry);
  if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
}
