import { ACTION_DESCRIPTIONS, classify, type Diagnosis } from '../../catalog/index.ts';
import type { CliIo } from '../io.ts';
import { UserError } from '../user-error.ts';

/** Options of `adwarden explain`. */
export interface ExplainOptions {
  json?: boolean;
}

/** `adwarden explain <code | "message" | ->`: what a TikTok code or response means and what adwarden does about it. */
export async function explainCommand(words: string[], options: ExplainOptions, io: CliIo): Promise<void> {
  const input = words.join(' ').trim();
  const diagnosis = input === '-' ? await explainStdin(io) : classify(input, { now: io.now() });
  if (diagnosis.basis === 'unrecognized') {
    const shown =
      input === '-'
        ? 'the text on standard input'
        : `"${input.length > 80 ? `${input.slice(0, 77)}…` : input}"`;
    const reason =
      typeof diagnosis.code === 'number'
        ? `${diagnosis.code} is not a TikTok API for Business return code: it is not in TikTok's published table nor in a known range`
        : `Could not find a TikTok return code, response or known message in ${shown}`;
    throw new UserError(
      'ADW_EXPLAIN_UNRECOGNIZED',
      `${reason}.\nGive a return code (adwarden explain 40100), TikTok's message text in quotes, or a whole JSON response on standard input (adwarden explain - < response.json).`,
    );
  }
  io.stdout(options.json ? `${JSON.stringify(toJson(diagnosis))}\n` : renderForPerson(diagnosis));
}

async function explainStdin(io: CliIo): Promise<Diagnosis> {
  const text = await io.readStdin();
  if (text.trim() === '') {
    throw new UserError(
      'ADW_EXPLAIN_UNRECOGNIZED',
      'Nothing on standard input: pipe a TikTok JSON response into "adwarden explain -".',
    );
  }
  // A response body (JSON, an HTML gateway page, something truncated) is judged as a body would be;
  // a bare code or message typed on standard input is read like an argument.
  const looksLikeBody = /^\s*[{[<]/.test(text);
  return looksLikeBody
    ? classify({ http: { status: 200, body: text } }, { now: io.now() })
    : classify(text, { now: io.now() });
}

/** The `--json` shape: stable keys for scripts. */
export function toJson(d: Diagnosis): Record<string, unknown> {
  return {
    code: d.code,
    name: d.name,
    kind: d.kind,
    title: d.title,
    action: d.action,
    automatic: ACTION_DESCRIPTIONS[d.action],
    retryable: d.retryable,
    retryAfterMs: d.retryAfterMs ?? null,
    retryAt: d.retryAt ?? null,
    actor: d.actor,
    meaning: d.meaning,
    causes: d.causes,
    fix: d.fix,
    alsoDescribedAs: d.alsoDescribedAs,
    inTikTokTables: d.inTikTokTables,
    confidence: d.confidence,
    basis: d.basis,
    endpoint: d.endpoint ?? d.details.endpoint ?? null,
    method: d.details.method ?? null,
    advertiserId: d.advertiserId ?? d.details.advertiserId ?? null,
    details: d.details,
    message: d.message ?? null,
    folkloreNote: d.folkloreNote ?? null,
    requestId: d.requestId ?? null,
    docsUrl: d.docsUrl,
  };
}

const VERDICTS = {
  contradicts: 'this contradicts TikTok’s own code table',
  unsupported: 'no TikTok source supports this',
  compatible: 'roughly compatible with TikTok’s meaning',
} as const;

function renderForPerson(d: Diagnosis): string {
  const out: string[] = [];
  const head = [String(d.code), d.name, '—', d.title].filter(Boolean).join(' ');
  out.push(
    head,
    `kind: ${d.kind} · action: ${d.action} · retryable: ${d.retryable ? 'yes' : 'no'} · who acts: ${d.actor.replace('_', ' ')} · confidence: ${d.confidence}`,
    '',
  );
  if (d.folkloreNote) out.push('About that phrase', `  ${d.folkloreNote}`, '');
  out.push(typeof d.code === 'number' ? 'What it means (per TikTok)' : 'What it means', `  ${d.meaning}`, '');
  if (!d.inTikTokTables && typeof d.code === 'number')
    out.push(`  Note: ${d.code} is not in TikTok's published code tables.`, '');
  if (d.causes.length > 0) out.push('Likely causes', ...d.causes.map((c) => `  - ${c}`), '');
  if (d.fix.length > 0) out.push('How to fix', ...d.fix.map((step, i) => `  ${i + 1}. ${step}`), '');
  out.push('What adwarden does automatically', `  ${ACTION_DESCRIPTIONS[d.action]}`);
  if (d.retryAt) out.push(`  Next attempt not before ${d.retryAt}.`);
  else if (d.retryAfterMs !== undefined)
    out.push(`  First retry after about ${Math.max(1, Math.round(d.retryAfterMs / 1000))} s.`);
  out.push('');
  if (d.alsoDescribedAs.length > 0) {
    out.push('What other pages say');
    for (const f of d.alsoDescribedAs) out.push(`  - ${f.by} calls it “${f.claim}”: ${VERDICTS[f.verdict]}.`);
    out.push('');
  }
  const details = Object.entries(d.details).filter(([key]) => key !== 'reason');
  if (d.requestId || details.length > 0) {
    out.push('From the response');
    if (d.requestId) out.push(`  request_id: ${d.requestId} (quote it to TikTok support)`);
    for (const [key, value] of details) out.push(`  ${key}: ${value}`);
    out.push('');
  }
  out.push(`TikTok docs: ${d.docsUrl}`, '');
  return out.join('\n');
}
