import { isSecret } from '../vault/index.ts';

/** What every redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_KEYS = new Set([
  'authcode',
  'authorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'secretkey',
  'privatekey',
  'code_verifier',
]);

// Patterns for secrets inside free text: query strings, headers, JSON fragments, error messages, URLs.
const TEXT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]+)@/gi, `$1:${REDACTED}@`],
  [
    /\b((?:access|refresh|id|session)[_-]?token|auth[_-]?code|(?:client|app)?[_-]?secret|password|api[_-]?key)\b(["']?\s*[:=]\s*["']?)([^\s"'&,;}]+)/gi,
    `$1$2${REDACTED}`,
  ],
  // "refresh_token abc…" with only a space between: redact only what looks like a token, not prose.
  [
    /\b((?:access|refresh|id|session)[_-]?token|auth[_-]?code|(?:client|app)?[_-]?secret|api[_-]?key)(\s+)([A-Za-z0-9._~+/-]{16,})/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b(authorization)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?([^\s"',;}]+)/gi, `$1$2${REDACTED}`],
  [/([?&]code=)([^&\s#"']+)/gi, `$1${REDACTED}`],
  [/\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi, `$1${REDACTED}`],
];

/** True for a key whose value must never be logged (`Access-Token`, `app_secret`, `refreshToken`, `auth_code`…). */
export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_\s]/g, '');
  return (
    SENSITIVE_KEYS.has(normalized) ||
    normalized.endsWith('token') ||
    normalized.endsWith('secret') ||
    normalized.endsWith('password')
  );
}

/** Replaces secrets that appear inside free text (query strings, headers, JSON, URLs) with `[REDACTED]`. */
export function scrubText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * Returns a copy of `value` that is safe to log: sensitive keys are redacted at any depth, secrets inside
 * strings are scrubbed, `Secret` values stay sealed, errors become plain objects with scrubbed text.
 */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (isSecret(value)) return REDACTED;
  if (seen.has(value)) return '[Circular]';
  if (depth > 8) return '[Truncated]';
  seen.add(value);
  if (value instanceof URL) return scrubText(value.href);
  if (value instanceof Error) return redactError(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof Map) return redactValue(Object.fromEntries(value), depth + 1, seen);
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] =
      isSensitiveKey(key) && child !== null && child !== undefined
        ? REDACTED
        : redactValue(child, depth + 1, seen);
  }
  return copy;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const plain: Record<string, unknown> = {
    type: error.name,
    message: scrubText(error.message),
    stack: error.stack ? scrubText(error.stack) : undefined,
  };
  for (const [key, child] of Object.entries(error)) {
    plain[key] = isSensitiveKey(key) ? REDACTED : redactValue(child, depth + 1, seen);
  }
  if (error.cause !== undefined) plain.cause = redactValue(error.cause, depth + 1, seen);
  return plain;
}
