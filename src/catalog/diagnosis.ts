import type { Folklore, RetryPolicy } from './entry.ts';
import type { Actor, AutomaticAction, Confidence, DiagnosisKind } from './failure-kind.ts';

/** What a message told us beyond the code: which endpoint, which advertiser, which limit. */
export interface DiagnosisDetails {
  /** The API path named in the message, e.g. `/file/video/ad/search/`. */
  endpoint?: string;
  /** The HTTP method named in the message, e.g. `GET`. */
  method?: string;
  advertiserId?: string;
  appId?: string;
  /** The rate-limit window the message names. */
  window?: 'second' | 'minute' | 'day';
  /** The rate the caller reached, as the message states it. */
  currentRate?: number;
  /** The limit for that window, as the message states it. */
  limit?: number;
  /** A finer reading of an overloaded code. */
  reason?:
    | 'scope_not_granted'
    | 'app_scope_missing'
    | 'advertiser_deleted'
    | 'app_token_mismatch'
    | 'stale_auth_code'
    | 'region_blocked'
    | 'time_span_too_long'
    | 'duplicate_material';
  /** The longest date window the message allows (40002 "max time span is 30 days"). */
  maxDays?: number;
  /** The likely TikTok permission group for `endpoint`. */
  permissionGroup?: string;
  httpStatus?: number;
  /** For bodies that are not JSON: what they looked like. */
  body?: 'html' | 'empty' | 'truncated_json' | 'text';
}

/** How a diagnosis was reached. */
export type DiagnosisBasis =
  | 'code' // a catalogued TikTok code
  | 'range' // a catalogued range of codes
  | 'fallback' // an uncatalogued code, judged by its leading digits
  | 'message' // no code: recognised from message text alone
  | 'http' // an HTTP status without a usable body
  | 'body' // a body that is not a valid envelope
  | 'transport' // no response at all
  | 'unrecognized'; // nothing usable in the input

/** Everything adwarden knows about one outcome of a TikTok call. Failure as data. */
export interface Diagnosis {
  kind: DiagnosisKind;
  /** The TikTok return code, or adwarden's `ADW_…` code when there was none. */
  code: number | string;
  /** TikTok's constant name for the code, if its SDK has one. */
  name: string | null;
  title: string;
  meaning: string;
  causes: string[];
  fix: string[];
  action: AutomaticAction;
  retryable: boolean;
  retry: RetryPolicy;
  /** Suggested wait before the next attempt, when retrying makes sense. */
  retryAfterMs?: number;
  /** ISO time before which the call should not be retried (daily limits park until 00:00 UTC). */
  retryAt?: string;
  actor: Actor;
  confidence: Confidence;
  alsoDescribedAs: Folklore[];
  /** False when the code appears in no TikTok source (see `meaning`). */
  inTikTokTables: boolean;
  basis: DiagnosisBasis;
  details: DiagnosisDetails;
  /** TikTok's `message`, as sent (trimmed to 500 characters). */
  message?: string;
  /**
   * When the input was a phrase that circulates outside TikTok's docs (a decoder page's "Invalid access
   * token" for 40100): what TikTok's own table says instead.
   */
  folkloreNote?: string;
  requestId?: string;
  endpoint?: string;
  advertiserId?: string;
  docsUrl: string;
}
