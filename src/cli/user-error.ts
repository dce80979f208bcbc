import { EXIT } from './exit-codes.ts';

/** A failure the user can act on: printed as one clear message, never with a stack trace. */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** True for a `UserError`. */
export function isUserError(error: unknown): error is UserError {
  return (
    error instanceof Error && error.name === 'UserError' && typeof (error as UserError).exitCode === 'number'
  );
}
