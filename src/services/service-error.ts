/** Codes of errors the service reports to its callers, with the HTTP status each maps to. */
export const SERVICE_ERRORS = {
  ADW_NOT_FOUND: 404,
  ADW_INVALID_INPUT: 400,
  ADW_NEEDS_REAUTH: 409,
  ADW_CONFLICT: 409,
  ADW_UNAUTHORIZED: 401,
  ADW_FORBIDDEN: 403,
  ADW_RATE_LIMITED: 429,
  ADW_TIKTOK_FAILED: 502,
} as const;

export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

/** A request the service refuses, with a message meant for the person who sent it. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ServiceErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** True for a `ServiceError`. */
export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && error.name === 'ServiceError' && 'code' in error;
}
