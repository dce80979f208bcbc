import { ASYNC_ADVERTISER_CODES } from './codes/async-advertiser.ts';
import { AUTH_CODES } from './codes/auth.ts';
import { NEVER, row, TRANSIENT_RETRY } from './codes/define.ts';
import { FILE_CODES } from './codes/files.ts';
import { FOREIGN_CODES } from './codes/foreign.ts';
import { GENERAL_CODES } from './codes/general.ts';
import { SYSTEM_CODES } from './codes/system.ts';
import type { CatalogEntry } from './entry.ts';

/** Every catalogued TikTok return code and range, in code order. */
export const CATALOG: readonly CatalogEntry[] = [
  ...GENERAL_CODES,
  ...AUTH_CODES,
  ...ASYNC_ADVERTISER_CODES,
  ...FILE_CODES,
  ...SYSTEM_CODES,
  ...FOREIGN_CODES,
].sort((a, b) => a.code - b.code || (a.rangeEnd ?? a.code) - (b.rangeEnd ?? b.code));

const EXACT = new Map(
  CATALOG.filter((entry) => entry.rangeEnd === undefined).map((entry) => [entry.code, entry]),
);
const RANGES = CATALOG.filter((entry) => entry.rangeEnd !== undefined);

/** Where an entry came from: the code itself, a catalogued range, or the fallback by leading digit. */
export type CatalogMatch = { entry: CatalogEntry; match: 'exact' | 'range' | 'fallback' };

const TIKTOK_SIDE_FALLBACK = row({
  code: 50000,
  rangeEnd: 69999,
  name: null,
  kind: 'transient',
  title: 'Uncatalogued TikTok-side error',
  meaning:
    'This code is not in TikTok’s published table. Codes from 50000 to 69999 are TikTok-side (system, dependent service or maintenance) problems, so adwarden retries it.',
  causes: ['A TikTok-side failure that TikTok has not documented.'],
  fix: ['Retried with exponential backoff.', 'If it lasts, quote the request_id to TikTok support.'],
  action: 'backoff',
  retry: TRANSIENT_RETRY,
  actor: 'nobody',
  confidence: 'low',
  sources: [],
  inTikTokTables: false,
});

const CALLER_SIDE_FALLBACK = row({
  code: 40000,
  rangeEnd: 49999,
  name: null,
  kind: 'unknown',
  title: 'Uncatalogued caller-side error',
  meaning:
    'This code is not in TikTok’s published table. Codes from 40000 to 49999 describe a problem with the request, the token or the account, so a person needs to look; adwarden does not retry it.',
  causes: ['A caller-side problem TikTok has not documented; `message` is the best clue.'],
  fix: ['Read `message`.', 'Quote the request_id to TikTok support so the code can be added to the catalog.'],
  action: 'alert',
  retry: NEVER,
  actor: 'developer',
  confidence: 'low',
  sources: [],
  inTikTokTables: false,
});

/** Finds the catalog entry for a TikTok return code, falling back by range for codes TikTok has not published. */
export function lookupCode(code: number): CatalogMatch | undefined {
  const exact = EXACT.get(code);
  if (exact) return { entry: exact, match: 'exact' };
  const range = RANGES.find((entry) => code >= entry.code && code <= (entry.rangeEnd ?? entry.code));
  if (range) return { entry: range, match: 'range' };
  if (code >= 50000 && code <= 69999) return { entry: TIKTOK_SIDE_FALLBACK, match: 'fallback' };
  if (code >= 40000 && code <= 49999) return { entry: CALLER_SIDE_FALLBACK, match: 'fallback' };
  return undefined;
}
