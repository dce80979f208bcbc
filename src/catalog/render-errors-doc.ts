import { ADWARDEN_ERROR_CODES, RESPONSE_PROBLEMS } from './adwarden-codes.ts';
import { CATALOG } from './catalog.ts';
import type { CatalogEntry, RetryPolicy } from './entry.ts';
import { ACTION_DESCRIPTIONS, AUTOMATIC_ACTIONS } from './failure-kind.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function describeRetry(retry: RetryPolicy): string {
  switch (retry.mode) {
    case 'never':
      return 'no';
    case 'backoff':
      return `backoff ${retry.initialDelayMs / 1000}s→${retry.maxDelayMs / 1000}s, ${retry.maxAttempts} attempts`;
    case 'poll':
      return `poll ${retry.initialDelayMs / 1000}s→${retry.maxDelayMs / 1000}s, ${retry.deadlineMs / 60_000} min deadline`;
    case 'rate_limit':
      return `pace ${retry.escalationMs.map((ms) => (ms >= 60_000 ? `${ms / 60_000}m` : `${ms / 1000}s`)).join('→')}${retry.parkUntilUtcMidnight ? '→00:00 UTC' : ''}`;
  }
}

function codeLabel(entry: CatalogEntry): string {
  return entry.rangeEnd === undefined ? String(entry.code) : `${entry.code}–${entry.rangeEnd}`;
}

function folklore(entry: CatalogEntry): string {
  return entry.alsoDescribedAs.map((f) => `“${f.claim}” (${f.by}: ${f.verdict})`).join('; ');
}

// Named codes inside a range with the same meaning for a person (the 51xxx services) share the range's steps.
function coveredByRange(entry: CatalogEntry): boolean {
  return CATALOG.some(
    (range) =>
      range.rangeEnd !== undefined &&
      range !== entry &&
      entry.rangeEnd === undefined &&
      entry.code >= range.code &&
      entry.code <= range.rangeEnd &&
      range.kind === entry.kind,
  );
}

/** Renders docs/errors.md from the catalog. Pure; a test keeps the committed file equal to its output. */
export function renderErrorsDoc(): string {
  const lines = [
    '# Error reference',
    '',
    '<!-- Generated from src/catalog by `npm run docs:errors`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    'adwarden classifies every TikTok API for Business outcome into one **failure kind** and one **automatic action**. The meanings below follow TikTok\'s own code table (its SDK\'s `tiktok_code.py` and the return-code appendix), not the folklore of public "error decoder" pages. Where such pages disagree, the last column says so.',
    '',
    '> **40100 is a rate limit, not an invalid token.** TikTok names it `REQUEST_TOO_FREQUENT`. Pages that call it "Invalid Access Token" lead tools to re-authenticate users who were merely throttled. Dead tokens are 40105 (invalid or revoked) and 40102 (expired); permission is 40001; 40002 is a parameter error.',
    '',
    '## Automatic actions',
    '',
    '| action | what adwarden does |',
    '|---|---|',
    ...AUTOMATIC_ACTIONS.map((action) => `| \`${action}\` | ${cell(ACTION_DESCRIPTIONS[action])} |`),
    '',
    '## TikTok return codes',
    '',
    'Codes not in the table fall back by range: 50000–69999 are treated as transient (retried), other 40000–49999 codes need a person, and both are reported as "not in TikTok\'s published table".',
    '',
    '| code | TikTok name | kind | action | retry | who acts | title | confidence | also described as |',
    '|---|---|---|---|---|---|---|---|---|',
    ...CATALOG.map(
      (entry) =>
        `| ${codeLabel(entry)} | ${entry.name ? `\`${entry.name}\`` : '—'} | \`${entry.kind}\` | \`${entry.action}\` | ${describeRetry(entry.retry)} | ${entry.actor.replace('_', ' ')} | ${cell(entry.title)}${entry.inTikTokTables ? '' : ' *(not in TikTok’s tables)*'} | ${entry.confidence} | ${cell(folklore(entry)) || '—'} |`,
    ),
    '',
    '## Responses without a TikTok code',
    '',
    '| code | kind | action | retry | title | meaning |',
    '|---|---|---|---|---|---|',
    ...Object.values(RESPONSE_PROBLEMS).map(
      (problem) =>
        `| \`${problem.code}\` | \`${problem.kind}\` | \`${problem.action}\` | ${describeRetry(problem.retry)} | ${cell(problem.title)} | ${cell(problem.meaning)} |`,
    ),
    '',
    '## adwarden error codes',
    '',
    '| code | meaning |',
    '|---|---|',
    ...Object.entries(ADWARDEN_ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${cell(meaning)} |`),
    '',
    '## Fix steps by code',
    '',
    ...CATALOG.filter((entry) => entry.kind !== 'ok' && !coveredByRange(entry)).flatMap((entry) => [
      `### ${codeLabel(entry)} — ${entry.title}`,
      '',
      entry.meaning,
      '',
      ...entry.fix.map((step, index) => `${index + 1}. ${step}`),
      '',
    ]),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
