export { createLogger, type Logger, type LoggerOptions } from './create-logger.ts';
export { isSensitiveKey, REDACTED, redactValue, scrubText } from './redact.ts';
