import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { classify, isTransient } from '../../catalog/index.ts';
import type { Step } from '../call.ts';
import { TikTokError, TikTokTransportError } from '../errors.ts';
import type { BreakerState, Events } from '../events.ts';

/** Circuit breaker settings. */
export interface BreakerOptions {
  appId: string;
  /** Consecutive transient failures that open the circuit (10 in a row is an outage, not bad luck). @default 10 */
  threshold?: number;
  /** How long the circuit stays open before a half-open probe. @default 5000 */
  halfOpenAfterMs?: number;
  events: Events;
}

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Opens after `threshold` consecutive transient failures of the app's calls (outages, resets, gateway
 * pages), fails calls fast while open (ADW_CIRCUIT_OPEN), lets one probe through after the pause, and
 * closes when it succeeds. Rate limits, auth and request errors are answers, not outages: they do not count.
 */
export function breakerStep(options: BreakerOptions): Step & { state(): BreakerState } {
  const transient = (error: unknown) =>
    error instanceof TikTokError &&
    isTransient(error.diagnosis.kind) &&
    error.diagnosis.code !== 'ADW_ABORTED' &&
    error.diagnosis.code !== 'ADW_CIRCUIT_OPEN';
  const halfOpenAfter = options.halfOpenAfterMs ?? 5_000;
  let openedAt = 0;
  const breaker = circuitBreaker(handleWhen(transient), {
    halfOpenAfter,
    breaker: new ConsecutiveBreaker(options.threshold ?? 10),
  });
  let current: BreakerState = 'closed';
  breaker.onStateChange((state) => {
    const next = STATES[state];
    if (next === current) return;
    if (next === 'open') openedAt = Date.now();
    options.events.emit('breakerStateChange', { appId: options.appId, from: current, to: next });
    current = next;
  });
  const step: Step = async (call, next) => {
    try {
      return await breaker.execute(() => next(call), call.signal);
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) throw error;
      const diagnosis = classify(
        { transport: { code: 'ADW_CIRCUIT_OPEN' } },
        { endpoint: call.path, advertiserId: call.advertiserId },
      );
      diagnosis.retryAfterMs = Math.max(1, openedAt + halfOpenAfter - Date.now());
      throw new TikTokTransportError(
        diagnosis,
        { method: call.method, endpoint: call.path, advertiserId: call.advertiserId, appId: options.appId },
        call.attempt - 1,
      );
    }
  };
  return Object.assign(step, { state: () => current });
}
