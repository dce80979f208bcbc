import { classify, isTransient } from '../../catalog/index.ts';
import type { Step } from '../call.ts';
import { TikTokError, TikTokTransportError } from '../errors.ts';
import type { BreakerState, Events } from '../events.ts';

/** Circuit breaker settings. */
export interface BreakerOptions {
  appId: string;
  /** Consecutive transient failures that open the circuit (10 in a row is an outage, not bad luck). @default 10 */
  threshold?: number;
  /** How long the circuit stays open before a half-open probe, on `now`'s clock. @default 5000 */
  halfOpenAfterMs?: number;
  /** The client's clock (epoch ms). @default Date.now */
  now?: () => number;
  events: Events;
}

/** What one call's outcome means to the circuit. */
type Outcome = 'success' | 'transient' | 'abandoned';

/**
 * The circuit as a value: what state it is in, and what a call may do now. Kept apart from the step so
 * the rules read in one place: `threshold` transient failures in a row open it; after `halfOpenAfterMs`
 * one probe goes through (others still fail fast); the probe's success closes it, its failure opens it
 * again for another pause, and a probe abandoned by its caller lets the next call probe.
 */
export function circuit(threshold: number, halfOpenAfterMs: number) {
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  return {
    get state() {
      return state;
    },
    /** Whether a call may go through at `at`; moves open to half-open when the pause is over. */
    admit(
      at: number,
    ): { ok: true; probe: boolean; from: BreakerState } | { ok: false; retryAfterMs: number } {
      const from = state;
      if (state === 'open' && at - openedAt >= halfOpenAfterMs) state = 'half-open';
      if (state === 'closed') return { ok: true, probe: false, from };
      if (state === 'half-open' && !probing) {
        probing = true;
        return { ok: true, probe: true, from };
      }
      return { ok: false, retryAfterMs: Math.max(1, openedAt + halfOpenAfterMs - at) };
    },
    /** Records how an admitted call ended; returns the state it moved from when it moved. */
    settle(outcome: Outcome, probe: boolean, at: number): BreakerState | undefined {
      const from = state;
      if (probe) probing = false;
      if (outcome === 'abandoned') return undefined;
      if (outcome === 'success') {
        failures = 0;
        if (!probe || state !== 'half-open') return undefined;
        state = 'closed';
        return from;
      }
      failures++;
      if (state === 'open' || (!probe && failures < threshold)) return undefined;
      if (!probe && state !== 'closed') return undefined;
      state = 'open';
      openedAt = at;
      return from;
    },
  };
}

/**
 * Opens after `threshold` consecutive transient failures of the app's calls (outages, resets, gateway
 * pages), fails calls fast while open (ADW_CIRCUIT_OPEN), lets one probe through after the pause, and
 * closes when it succeeds. Rate limits, auth and request errors are answers, not outages: they do not count.
 */
export function breakerStep(options: BreakerOptions): Step & { state(): BreakerState } {
  const now = options.now ?? Date.now;
  const state = circuit(options.threshold ?? 10, options.halfOpenAfterMs ?? 5_000);
  const announce = (from: BreakerState | undefined) => {
    if (from !== undefined && from !== state.state)
      options.events.emit('breakerStateChange', { appId: options.appId, from, to: state.state });
  };
  const step: Step = async (call, next) => {
    const admitted = state.admit(now());
    if (!admitted.ok) {
      const diagnosis = classify(
        { transport: { code: 'ADW_CIRCUIT_OPEN' } },
        { endpoint: call.path, advertiserId: call.advertiserId },
      );
      diagnosis.retryAfterMs = admitted.retryAfterMs;
      throw new TikTokTransportError(
        diagnosis,
        { method: call.method, endpoint: call.path, advertiserId: call.advertiserId, appId: options.appId },
        call.attempt - 1,
      );
    }
    announce(admitted.from);
    try {
      const result = await next(call);
      announce(state.settle('success', admitted.probe, now()));
      return result;
    } catch (error) {
      announce(state.settle(outcomeOf(error), admitted.probe, now()));
      throw error;
    }
  };
  return Object.assign(step, { state: () => state.state });
}

/** Outages, resets and gateway pages count; an answer (rate limit, auth, bad request) shows TikTok is up. */
function outcomeOf(error: unknown): Outcome {
  if (!(error instanceof TikTokError)) return 'abandoned';
  if (error.diagnosis.code === 'ADW_ABORTED' || error.diagnosis.code === 'ADW_CIRCUIT_OPEN')
    return 'abandoned';
  return isTransient(error.diagnosis.kind) ? 'transient' : 'success';
}
