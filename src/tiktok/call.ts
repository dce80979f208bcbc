import type { FormData } from 'undici';

/** Query and body values: strings and numbers as they are; arrays and objects become JSON strings, as TikTok expects. */
export type ParamValue = string | number | boolean | readonly unknown[] | Record<string, unknown> | undefined;

/** One logical call as it travels down the pipeline. */
export interface Call {
  method: 'GET' | 'POST';
  /** Path under the API base, with its trailing slash: `/advertiser/info/`. */
  path: string;
  query?: Record<string, ParamValue>;
  /** JSON body, or FormData for uploads. */
  body?: Record<string, unknown> | FormData;
  /** The advertiser the call is about (pacing per advertiser, errors, events). */
  advertiserId?: string;
  /** Reads are always safe to send again; writes only when the caller says so. */
  replaySafe: boolean;
  /** OAuth calls carry the app's credentials and need no Access-Token. */
  auth: 'token' | 'none';
  /** Set by the auth step. Never logged. */
  accessToken?: string;
  signal?: AbortSignal;
  /** At most this many attempts for transient failures (the monitor's probes retry at the sweep level). */
  maxAttempts?: number;
  /** performance.now() after which no new attempt starts (monotonic, immune to clock jumps). */
  deadline: number;
  /** 1 for the first request of this call; the retry step counts up. */
  attempt: number;
  /** When the call started (performance.now()), for elapsed times in events. */
  startedAt: number;
}

/** TikTok's envelope after a successful decode (`code` was 0). */
export interface Envelope<T = unknown> {
  code: 0;
  message: string;
  request_id: string;
  data: T;
}

/** A step of the pipeline: does its part, then calls `next` (or not). */
export type Step = (call: Call, next: (call: Call) => Promise<Envelope>) => Promise<Envelope>;

/** Composes steps, outermost first, ending in `last` (the transport). */
export function compose(steps: readonly Step[], last: (call: Call) => Promise<Envelope>) {
  return steps.reduceRight<(call: Call) => Promise<Envelope>>(
    (next, step) => (call) => step(call, next),
    last,
  );
}
