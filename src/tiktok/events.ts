import type { Diagnosis } from '../catalog/index.ts';

import type { Call } from './call.ts';

interface CallEvent {
  method: string;
  endpoint: string;
  advertiserId?: string;
  attempt: number;
  /** Milliseconds since the logical call started. */
  elapsedMs: number;
}

/** Every event the client emits. None carries a token or secret. */
export interface ClientEvents {
  request: CallEvent;
  response: CallEvent & { code: number | string; requestId?: string; ok: boolean };
  retry: CallEvent & { code: number | string; kind: string; delayMs: number };
  rateLimited: CallEvent & {
    code: number | string;
    scope: 'app' | 'endpoint' | 'advertiser';
    window: 'second' | 'minute' | 'day';
    waitMs: number;
    retryAt?: string;
  };
  breakerStateChange: { appId: string; from: BreakerState; to: BreakerState };
  authFailure: CallEvent & { code: number | string; diagnosis: Diagnosis; requestId?: string };
}

/** The part every per-call event shares: where the call went, which attempt, time since it started. */
export function callEvent(call: Call): CallEvent {
  return {
    method: call.method,
    endpoint: call.path,
    advertiserId: call.advertiserId,
    attempt: call.attempt,
    elapsedMs: performance.now() - call.startedAt,
  };
}

/** Circuit breaker states as the client reports them. */
export type BreakerState = 'closed' | 'open' | 'half-open';

type Listener<T> = (event: T) => void;

/** A small typed event hub; emitting with no listeners costs one property read. */
export function createEvents() {
  const listeners: { [K in keyof ClientEvents]?: Array<Listener<ClientEvents[K]>> } = {};
  return {
    on<K extends keyof ClientEvents>(name: K, listener: Listener<ClientEvents[K]>): () => void {
      if (!listeners[name]) listeners[name] = [];
      const list = listeners[name] as Array<Listener<ClientEvents[K]>>;
      list.push(listener);
      return () => {
        const index = list.indexOf(listener);
        if (index >= 0) list.splice(index, 1);
      };
    },
    has(name: keyof ClientEvents): boolean {
      return (listeners[name]?.length ?? 0) > 0;
    },
    emit<K extends keyof ClientEvents>(name: K, event: ClientEvents[K]): void {
      const list = listeners[name] as Array<Listener<ClientEvents[K]>> | undefined;
      if (!list) return;
      for (const listener of list) {
        try {
          listener(event);
        } catch {
          // A listener's bug must not break the call that emitted the event.
        }
      }
    },
  };
}

/** The client's event hub. */
export type Events = ReturnType<typeof createEvents>;
