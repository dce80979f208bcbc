import { type DestinationStream, type Logger, pino } from 'pino';
import { redactValue, scrubText } from './redact.ts';

/** A structured logger (pino) that cannot print secrets. */
export type { Logger } from 'pino';

/** Options for `createLogger`. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** Where lines go. @default standard error (standard output stays free for command results) */
  destination?: DestinationStream;
  /** Bound to every line, e.g. `{ service: 'serve' }`. */
  base?: Record<string, unknown>;
}

/**
 * Creates the process logger: one JSON object per line, with `Access-Token`, `secret`, `access_token`,
 * `refresh_token`, `auth_code`, `client_secret` (and anything like them) redacted wherever they appear —
 * keys at any depth, headers, bodies, query strings, URLs, error messages and stacks.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: options.base ? (redactValue(options.base) as Record<string, unknown>) : null,
      // Errors were already turned into plain, scrubbed objects by the log formatter.
      serializers: { err: (error: unknown) => error },
      formatters: {
        log: (object) => redactValue(object) as Record<string, unknown>,
        bindings: (bindings) => redactValue(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // pino copies a lone error's message into `msg` after formatters run: scrub it here.
          const [first, ...rest] = args as unknown[];
          const normalized =
            first instanceof Error && typeof rest[0] !== 'string'
              ? [{ err: first }, first.message, ...rest]
              : args;
          const safe = normalized.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          method.apply(this, safe as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  // pino skips the bindings formatter for child loggers; children inherit this method from the root.
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactValue(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}
