import { DelegateBackoff, handleWhen, type IRetryBackoffContext, retry } from 'cockatiel';
import type { Call, Step } from '../call.ts';
import { TikTokError } from '../errors.ts';
import { callEvent, type Events } from '../events.ts';

/** Retry settings; every decision itself comes from the diagnosis. */
export interface RetryOptions {
  /** Most requests per call for transient failures. @default the catalog's limit for the failure (10 for outages) */
  maxAttempts?: number;
  /** Most requests per call while TikTok says "rate limited" (the pace step spaces them). @default 10 */
  maxRateLimitedAttempts?: number;
  /** Jitter source, 0 ≤ r < 1. @default Math.random */
  random?: () => number;
  /** Multiplies every backoff and poll delay (tests shrink them). @default 1 */
  delayScale?: number;
  now?: () => number;
  events: Events;
}

interface Plan {
  delayMs: number;
  kind: string;
}

/**
 * Retries what the diagnosis says is worth retrying, with cockatiel:
 * transient → exponential backoff with full jitter, only for reads and replay-safe writes;
 * not ready (40901, 40201) → poll until the catalog's deadline; rate limited → again once the pace
 * step lets it through (never past a daily limit's `retryAt`). Auth, permission and request errors are
 * never retried. No attempt starts after the call's deadline.
 */
export function retryStep(options: RetryOptions): Step {
  const random = options.random ?? Math.random;
  const maxTransient = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const maxRateLimited = options.maxRateLimitedAttempts ?? 10;

  const limits = { random, maxTransient, maxRateLimited, delayScale: options.delayScale ?? 1 };
  const plan = (error: unknown, call: Call, attempt: number) => planRetry(error, call, attempt, limits);

  return async (call, next) => {
    try {
      return await next(call);
    } catch (first) {
      // Fast path above; only a call that failed in a retryable way pays for a retry policy.
      if (!plan(first, call, 1)) throw withAttempts(first, 1);
      let lastError: unknown = first;
      const planned = new WeakMap<object, Plan | null>();
      const decide = (error: unknown, attempt: number) => {
        if (typeof error !== 'object' || error === null) return null;
        if (!planned.has(error)) planned.set(error, plan(error, call, attempt));
        return planned.get(error)!;
      };
      let attempt = 1;
      const policy = retry(
        handleWhen((error) => decide(error, attempt) !== null),
        {
          maxAttempts: Number.MAX_SAFE_INTEGER,
          backoff: new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
            const result = context.result as { error?: unknown };
            return decide(result.error, attempt)?.delayMs ?? 0;
          }),
        },
      );
      policy.onRetry((event) => {
        const error = (event as { error?: unknown }).error ?? lastError;
        const p = decide(error, attempt);
        options.events.emit('retry', {
          ...callEvent({ ...call, attempt }),
          code: error instanceof TikTokError ? error.code : 'unknown',
          kind: p?.kind ?? 'unknown',
          delayMs: event.delay,
        });
      });
      try {
        return await policy.execute(async (context) => {
          if (context.attempt === 0) throw first; // replay the first failure so cockatiel plans its delay
          attempt = context.attempt + 1;
          try {
            return await next({ ...call, attempt });
          } catch (error) {
            lastError = error;
            throw error;
          }
        }, call.signal);
      } catch (error) {
        throw withAttempts(error, attempt);
      }
    }
  };
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (error instanceof TikTokError) error.attempts = attempts;
  return error;
}

/** Whether and when a failed attempt is tried again, by what its diagnosis says; null: not again. */
function planRetry(
  error: unknown,
  call: Call,
  attempt: number,
  limits: { random: () => number; maxTransient: number; maxRateLimited: number; delayScale: number },
): Plan | null {
  const { random, maxTransient, maxRateLimited } = limits;
  if (!(error instanceof TikTokError) || call.signal?.aborted) return null;
  const { diagnosis } = error;
  const policy = diagnosis.retry;
  let delayMs: number;
  if (diagnosis.code === 'ADW_CIRCUIT_OPEN') {
    // Never sent: safe to send again once the breaker lets a probe through; counts as an attempt.
    if (attempt >= Math.min(maxTransient, 10, call.maxAttempts ?? 10)) return null;
    delayMs = diagnosis.retryAfterMs ?? 1_000;
    return performance.now() + delayMs > call.deadline ? null : { delayMs, kind: diagnosis.kind };
  }
  switch (policy.mode) {
    case 'never':
      return null;
    case 'backoff': {
      if (
        !call.replaySafe ||
        attempt >= Math.min(maxTransient, policy.maxAttempts, call.maxAttempts ?? Infinity)
      )
        return null;
      const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      delayMs = Math.floor(random() * ceiling);
      break;
    }
    case 'poll': {
      if (performance.now() - call.startedAt > policy.deadlineMs) return null;
      delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      break;
    }
    case 'rate_limit':
      // The request was refused, not run: safe to send again. The pace step holds it until allowed.
      if (diagnosis.retryAt || attempt >= maxRateLimited) return null;
      delayMs = 0;
      break;
  }
  delayMs = Math.round(delayMs * limits.delayScale);
  if (performance.now() + delayMs > call.deadline) return null;
  return { delayMs, kind: diagnosis.kind };
}
