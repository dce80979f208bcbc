import { inspect } from 'node:util';

const REDACTED = '[redacted]';
const BRAND = Symbol.for('adwarden.secret');

/**
 * A value that must never be printed: it redacts itself in `String()`, JSON and `util.inspect`
 * (so in logs and error messages too). Read it with `reveal()` at the one place that needs it.
 */
export class Secret<T = string> {
  readonly #value: T;
  readonly [BRAND] = true;

  constructor(value: T) {
    this.#value = value;
  }

  /** The plain value. Call it only where the value leaves the process on purpose (an HTTP header, a cipher). */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}

/** True for a `Secret`, including one from another copy of this package. */
export function isSecret(value: unknown): value is Secret<unknown> {
  return typeof value === 'object' && value !== null && BRAND in value;
}
