import { RESPONSE_PROBLEMS, type ResponseProblem } from './adwarden-codes.ts';
import { lookupCode } from './catalog.ts';
import type { Diagnosis, DiagnosisBasis, DiagnosisDetails } from './diagnosis.ts';
import type { CatalogEntry } from './entry.ts';
import { codeFromMessage, readMessage } from './refine.ts';
import { refineDiagnosis } from './refine-diagnosis.ts';
import { suggestRetry } from './suggest-retry.ts';

/** What is known about one call's outcome. Every field is optional; `classify` reads what is there. */
export interface CallFacts {
  /** The parsed JSON body, if any. */
  envelope?: unknown;
  /** The HTTP response, when one arrived. `body` is the raw text or bytes, used when `envelope` is absent. */
  http?: { status?: number; body?: string | Uint8Array };
  /** The error when no response arrived (its `code`, e.g. `ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`). */
  transport?: { code?: unknown; name?: unknown; message?: unknown };
}

/** Context that sharpens a diagnosis. */
export interface ClassifyContext {
  /** Epoch ms; needed to compute `retryAt` for daily limits. */
  now?: number;
  endpoint?: string;
  advertiserId?: string;
}

/**
 * Phrases that circulate outside TikTok's docs, and what TikTok's own table says. People paste them
 * into `adwarden explain` after a decoder page gave them; the answer says where the phrase goes wrong.
 */
const FOLKLORE: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^invalid access token\.?$/i,
    'Some error-decoder pages give "Invalid access token" as the meaning of 40100. TikTok’s own table says 40100 is a rate limit (the app sent too many requests); a token TikTok refuses comes back as 40105 (invalid or revoked), 40102 (expired) or 40104 (missing). Below: 40105, TikTok’s invalid-token code.',
  ],
  [
    /^too many requests\.?$/i,
    'TikTok’s Marketing API does not answer rate limits with HTTP 429 "Too Many Requests" and X-RateLimit headers: it sends HTTP 200 with code 40100 (the app’s limit; "App … reaches the QPS limit …") or 40133 (one advertiser on one path). Below: 40100.',
  ],
];

const RETURN_CODES_DOC = 'https://business-api.tiktok.com/portal/docs?id=1737172488964097';
const RATE_LIMITS_DOC = 'https://business-api.tiktok.com/portal/docs/rate-limits/v1.3';
const MAX_MESSAGE = 500;

/**
 * Turns anything a TikTok call can produce — a code, a message, a parsed envelope, raw bytes, an HTTP
 * status with a body, a network error — into a `Diagnosis`. Total: it never throws.
 *
 * @example classify({ code: 40100, message: 'Too many requests', request_id: 'r1' }).kind // 'rate_limited'
 */
export function classify(input: unknown, context: ClassifyContext = {}): Diagnosis {
  try {
    return classifyInput(input, context);
  } catch {
    return unrecognized(context);
  }
}

function classifyInput(input: unknown, context: ClassifyContext): Diagnosis {
  if (typeof input === 'number') return fromEnvelope({ code: input }, context);
  if (typeof input === 'string') return fromText(input, context);
  if (input instanceof Uint8Array) return fromHttp({ status: 200, body: input }, context);
  if (isRecord(input)) {
    if ('transport' in input || 'http' in input || 'envelope' in input)
      return fromFacts(input as CallFacts, context);
    return fromEnvelope(input, context);
  }
  return unrecognized(context);
}

function fromFacts(facts: CallFacts, context: ClassifyContext): Diagnosis {
  const envelope = facts.envelope;
  if (
    isRecord(envelope) &&
    readCode(envelope.code) === 0 &&
    !(envelope.code === 0 && isRecord(envelope.data))
  ) {
    // A response that claims success without being one ("0" as a string, or no data object to read).
    return {
      ...fromProblem(RESPONSE_PROBLEMS.ADW_ENVELOPE_MALFORMED, 'body', {}, context),
      message: typeof envelope.message === 'string' ? envelope.message.slice(0, MAX_MESSAGE) : undefined,
      requestId: typeof envelope.request_id === 'string' ? envelope.request_id : undefined,
    };
  }
  if (envelope !== undefined) {
    const diagnosis = fromEnvelope(facts.envelope, context);
    if (typeof facts.http?.status === 'number') diagnosis.details.httpStatus = facts.http.status;
    return diagnosis;
  }
  if (facts.http) return fromHttp(facts.http, context);
  return fromTransport(facts.transport ?? {}, context);
}

function fromText(text: string, context: ClassifyContext): Diagnosis {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return fromEnvelope({ code: Number(trimmed) }, context);
  const parsed = parseJson(trimmed);
  if (parsed.ok && isRecord(parsed.value)) return classifyInput(parsed.value, context);
  const sdk = /code:\s*(\d+)/i.exec(trimmed);
  if (sdk) {
    // The official JS SDK throws "request_id:… message:… code:…".
    const message = /message:\s*(.*?)\s*(?:code:|$)/is.exec(trimmed)?.[1];
    const requestId = /request_id:\s*([\w-]+)/i.exec(trimmed)?.[1];
    return fromEnvelope({ code: Number(sdk[1]), message, request_id: requestId }, context);
  }
  const code = codeFromMessage(trimmed);
  if (code !== undefined) {
    const diagnosis = withBasis(fromEnvelope({ code, message: trimmed }, context), 'message');
    const note = FOLKLORE.find(([phrase]) => phrase.test(trimmed))?.[1];
    return note ? { ...diagnosis, folkloreNote: note } : diagnosis;
  }
  const mentioned = /\b(\d{5}|2200006)\b/.exec(trimmed);
  if (mentioned && lookupCode(Number(mentioned[1]))?.match === 'exact') {
    return fromEnvelope({ code: Number(mentioned[1]), message: trimmed }, context);
  }
  return unrecognized(context);
}

function fromHttp(http: NonNullable<CallFacts['http']>, context: ClassifyContext): Diagnosis {
  const status = typeof http.status === 'number' ? http.status : 200;
  const text =
    typeof http.body === 'string' ? http.body : http.body ? new TextDecoder().decode(http.body) : '';
  const parsed = parseJson(text.trim());
  if (parsed.ok && isRecord(parsed.value) && 'code' in parsed.value) {
    const diagnosis = fromEnvelope(parsed.value, context);
    diagnosis.details.httpStatus = status;
    return diagnosis;
  }
  const details: DiagnosisDetails = { httpStatus: status };
  if (status === 404) return fromProblem(RESPONSE_PROBLEMS.ADW_HTTP_NOT_FOUND, 'http', details, context);
  if (status === 429) return fromProblem(RESPONSE_PROBLEMS.ADW_HTTP_RATE_LIMITED, 'http', details, context);
  if (status >= 500) return fromProblem(RESPONSE_PROBLEMS.ADW_HTTP_SERVER_ERROR, 'http', details, context);
  if (status < 200 || status >= 300)
    return fromProblem(RESPONSE_PROBLEMS.ADW_HTTP_CLIENT_ERROR, 'http', details, context);
  if (parsed.ok) return fromProblem(RESPONSE_PROBLEMS.ADW_ENVELOPE_MALFORMED, 'body', details, context);
  details.body = describeBody(text);
  return fromProblem(RESPONSE_PROBLEMS.ADW_BODY_NOT_JSON, 'body', details, context);
}

function fromTransport(transport: NonNullable<CallFacts['transport']>, context: ClassifyContext): Diagnosis {
  const code = `${String(transport.code ?? '')} ${String(transport.name ?? '')}`.toUpperCase();
  const problem = /CIRCUIT_OPEN/.test(code)
    ? RESPONSE_PROBLEMS.ADW_CIRCUIT_OPEN
    : /ADW_DEADLINE_TIMEOUT/.test(code)
      ? RESPONSE_PROBLEMS.ADW_RATE_BUDGET_TIMEOUT
      : /ABORT/.test(code)
        ? RESPONSE_PROBLEMS.ADW_ABORTED
        : /TIMEOUT|TIMEDOUT/.test(code)
          ? RESPONSE_PROBLEMS.ADW_NETWORK_TIMEOUT
          : /ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|SOCKETERROR/.test(code)
            ? RESPONSE_PROBLEMS.ADW_NETWORK_RESET
            : /ECONNREFUSED/.test(code)
              ? RESPONSE_PROBLEMS.ADW_NETWORK_REFUSED
              : /ENOTFOUND|EAI_AGAIN/.test(code)
                ? RESPONSE_PROBLEMS.ADW_DNS_FAILURE
                : /RESPONSE_EXCEEDED|MAX_SIZE|TOO_LARGE/.test(code)
                  ? RESPONSE_PROBLEMS.ADW_BODY_TOO_LARGE
                  : RESPONSE_PROBLEMS.ADW_NETWORK_ERROR;
  return fromProblem(problem, 'transport', {}, context);
}

function fromEnvelope(envelope: unknown, context: ClassifyContext): Diagnosis {
  if (!isRecord(envelope)) return fromProblem(RESPONSE_PROBLEMS.ADW_ENVELOPE_MALFORMED, 'body', {}, context);
  const code = readCode(envelope.code);
  const message = typeof envelope.message === 'string' ? envelope.message.slice(0, MAX_MESSAGE) : undefined;
  const requestId = typeof envelope.request_id === 'string' ? envelope.request_id : undefined;
  if (code === undefined) {
    return {
      ...fromProblem(RESPONSE_PROBLEMS.ADW_ENVELOPE_MALFORMED, 'body', {}, context),
      message,
      requestId,
    };
  }
  const details = message ? readMessage(message) : {};
  // A region block also comes as code -1 ("Client IP address is in banned Country list.").
  const found = lookupCode(code) ?? (details.reason === 'region_blocked' ? lookupCode(41000) : undefined);
  if (!found)
    return { ...unrecognized(context), code, message, requestId, title: `Unknown return code ${code}` };
  const basis: DiagnosisBasis = found.match === 'exact' ? 'code' : found.match;
  const diagnosis = fromEntry(found.entry, code, basis, details, context);
  diagnosis.message = message;
  diagnosis.requestId = requestId;
  diagnosis.advertiserId ??= details.advertiserId;
  return refineDiagnosis(diagnosis, context);
}

function fromEntry(
  entry: CatalogEntry,
  code: number,
  basis: DiagnosisBasis,
  details: DiagnosisDetails,
  context: ClassifyContext,
): Diagnosis {
  return {
    kind: entry.kind,
    code,
    name: entry.rangeEnd === undefined || entry.code === code ? entry.name : null,
    title: basis === 'fallback' ? `${entry.title} (${code})` : entry.title,
    meaning: entry.meaning,
    causes: [...entry.causes],
    fix: [...entry.fix],
    action: entry.action,
    retryable: entry.retry.mode !== 'never',
    retry: entry.retry,
    actor: entry.actor,
    confidence: entry.confidence,
    alsoDescribedAs: [...entry.alsoDescribedAs],
    inTikTokTables: entry.inTikTokTables && basis !== 'fallback',
    basis,
    details,
    endpoint: context.endpoint,
    advertiserId: context.advertiserId,
    docsUrl: entry.kind === 'rate_limited' ? RATE_LIMITS_DOC : RETURN_CODES_DOC,
  };
}

function fromProblem(
  problem: ResponseProblem,
  basis: DiagnosisBasis,
  details: DiagnosisDetails,
  context: ClassifyContext,
): Diagnosis {
  const diagnosis: Diagnosis = {
    kind: problem.kind,
    code: problem.code,
    name: null,
    title: problem.title,
    meaning: problem.meaning,
    causes: [...problem.causes],
    fix: [...problem.fix],
    action: problem.action,
    retryable: problem.retry.mode !== 'never',
    retry: problem.retry,
    actor: problem.actor,
    confidence: 'high',
    alsoDescribedAs: [],
    inTikTokTables: false,
    basis,
    details,
    endpoint: context.endpoint,
    advertiserId: context.advertiserId,
    docsUrl: RETURN_CODES_DOC,
  };
  return { ...diagnosis, ...suggestRetry(diagnosis, context.now) };
}

function unrecognized(context: ClassifyContext): Diagnosis {
  return {
    kind: 'unknown',
    code: 'ADW_UNRECOGNIZED',
    name: null,
    title: 'Not a recognisable TikTok response',
    meaning: 'The input has no TikTok return code, no known message and no HTTP or network facts to go on.',
    causes: [],
    fix: ['Give a return code, the full JSON response, or TikTok’s message text.'],
    action: 'alert',
    retryable: false,
    retry: { mode: 'never' },
    actor: 'developer',
    confidence: 'low',
    alsoDescribedAs: [],
    inTikTokTables: false,
    basis: 'unrecognized',
    details: {},
    endpoint: context.endpoint,
    advertiserId: context.advertiserId,
    docsUrl: RETURN_CODES_DOC,
  };
}

function withBasis(diagnosis: Diagnosis, basis: DiagnosisBasis): Diagnosis {
  return { ...diagnosis, basis };
}

function readCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function describeBody(text: string): NonNullable<DiagnosisDetails['body']> {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty';
  if (/^<(!doctype|html|head|body)|<html[\s>]/i.test(trimmed)) return 'html';
  if (/^[[{]/.test(trimmed)) return 'truncated_json';
  return 'text';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '' || !/^[[{"\d-]|^(true|false|null)$/.test(text)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
