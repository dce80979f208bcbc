import type { Actor, AutomaticAction, Confidence, DiagnosisKind } from './failure-kind.ts';

/** How a failure is retried. Read by the client's retry and pacing steps. */
export type RetryPolicy =
  | { readonly mode: 'never' }
  | {
      readonly mode: 'backoff';
      readonly initialDelayMs: number;
      readonly maxDelayMs: number;
      readonly maxAttempts: number;
    }
  | {
      readonly mode: 'rate_limit';
      readonly escalationMs: readonly number[];
      readonly parkUntilUtcMidnight: boolean;
    }
  | {
      readonly mode: 'poll';
      readonly initialDelayMs: number;
      readonly maxDelayMs: number;
      readonly deadlineMs: number;
    };

/** A meaning given to a code by a public page that TikTok's own sources do not support. */
export interface Folklore {
  /** The claim, as the page makes it. */
  readonly claim: string;
  /** Who makes it. */
  readonly by: string;
  /** How it stands against TikTok's own code table. */
  readonly verdict: 'contradicts' | 'compatible' | 'unsupported';
}

/** One TikTok return code (or a range of them), described as data. */
export interface CatalogEntry {
  /** The TikTok return code; for a range, its first code. */
  readonly code: number;
  /** Last code of a range (inclusive); absent for a single code. */
  readonly rangeEnd?: number;
  /** TikTok's constant name from its SDK code table, without the `ERROR_CODE_` prefix; null when TikTok's SDK has none. */
  readonly name: string | null;
  readonly kind: DiagnosisKind;
  /** A short title a person can scan. */
  readonly title: string;
  /** What the code means per TikTok. */
  readonly meaning: string;
  readonly causes: readonly string[];
  /** Steps for a person, in order. */
  readonly fix: readonly string[];
  readonly action: AutomaticAction;
  readonly retry: RetryPolicy;
  readonly actor: Actor;
  readonly confidence: Confidence;
  /** Where the meaning comes from (abbreviations of the fact sheet: SDK, RC, AB, SG, PH, OW, SF). */
  readonly sources: readonly string[];
  readonly alsoDescribedAs: readonly Folklore[];
  /** False for codes that appear in no TikTok source (2200006, 40111, 40500, 42900). */
  readonly inTikTokTables: boolean;
  /** Anything a reader should know that does not fit above. */
  readonly note?: string;
}
