/**
 * The one error type of the domain. Route handlers and services throw it; the API's error
 * handler maps `code` to an HTTP status through STATUS_BY_CODE and renders the contract's
 * `{error: {code, message, details?}}` envelope.
 */
export const STATUS_BY_CODE = {
  VALIDATION_ERROR: 400,
  BAD_REQUEST: 400,
  TOKEN_INVALID: 400,
  INVALID_FILE: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  ACCOUNT_DISABLED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  ALREADY_MEMBER: 409,
  INVITE_USED: 410,
  INVITE_EXPIRED: 410,
  INVITE_REVOKED: 410,
  TOKEN_USED: 410,
  TOKEN_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  READINESS_REJECTED: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  BACKPRESSURE: 503,
  PROVIDER_ERROR: 502,
  PROVIDER_NOT_CONFIGURED: 501,
  SERVICE_UNAVAILABLE: 503,
  MAIL_FAILED: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS_BY_CODE[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (why = 'You are not allowed to do this') => new AppError('FORBIDDEN', why);

/** "3 minutes", "1 minute", "2 hours": a wait as people say it (never "3409 s"). */
export function waitInWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes <= 90) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hours`;
}

/** 429 saying what was refused and the wait in words; Retry-After in seconds, as HTTP wants. */
export function rateLimited(what: string, retryAfterMs: number, details?: unknown): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('RATE_LIMITED', `${what}; try again in ${waitInWords(retryAfterMs)}`, details, {
    'retry-after': String(seconds),
  });
}
