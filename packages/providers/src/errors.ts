export type ProviderName = 'whoop' | 'garmin';

/** Base class of every failure raised while talking to a provider. */
export class ProviderError extends Error {
  readonly provider: ProviderName;
  readonly status: number | undefined;

  constructor(provider: ProviderName, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.status = options?.status;
  }
}

/** 429 from the provider. `retryAfterMs` comes from `Retry-After`, else `X-RateLimit-Reset`. */
export class ProviderRateLimitError extends ProviderError {
  readonly retryAfterMs: number | undefined;

  constructor(
    provider: ProviderName,
    retryAfterMs: number | undefined,
    message = 'rate limited by provider',
  ) {
    super(provider, message, { status: 429 });
    this.name = 'ProviderRateLimitError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** 5xx, a network failure or a timeout: worth retrying later. */
export class ProviderUnavailableError extends ProviderError {
  constructor(provider: ProviderName, message: string, options?: { status?: number; cause?: unknown }) {
    super(provider, message, options);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * The provider refused our credentials: expired or revoked access token (401), unknown or
 * revoked user (Garmin 403), or a refused grant at the token endpoint (`invalid_grant`).
 */
export class ProviderAuthError extends ProviderError {
  readonly oauthError: string | undefined;

  constructor(provider: ProviderName, message: string, options?: { status?: number; oauthError?: string }) {
    super(provider, message, options);
    this.name = 'ProviderAuthError';
    this.oauthError = options?.oauthError;
  }
}

/** Any other non-2xx answer (400, 404, 409, 410, 412 …), with the provider's message if any. */
export class ProviderRequestError extends ProviderError {
  readonly body: string;

  constructor(provider: ProviderName, status: number, message: string, body: string) {
    super(provider, message, { status });
    this.name = 'ProviderRequestError';
    this.body = body;
  }
}

/** A 2xx answer whose body does not match the documented shape. */
export class ProviderResponseError extends ProviderError {
  readonly issues: readonly string[];

  constructor(provider: ProviderName, message: string, issues: readonly string[]) {
    super(provider, message);
    this.name = 'ProviderResponseError';
    this.issues = issues;
  }
}
