import type { z } from 'zod';
import {
  ProviderAuthError,
  type ProviderName,
  ProviderRateLimitError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderUnavailableError,
} from '../errors.ts';
import { parseRateLimitHeaders, type RateLimitInfo, retryAfterMsFromHeaders } from './rate-limit-headers.ts';

export interface ProviderRequestInfo {
  provider: ProviderName;
  method: string;
  url: string;
}

export interface ProviderResponseInfo extends ProviderRequestInfo {
  status: number;
  durationMs: number;
  rateLimit: RateLimitInfo | null;
}

/** Hooks around every provider call; the caller's rate limiter plugs into `beforeRequest`. */
export interface ProviderHooks {
  /** Awaited before each request (take a token from a limiter, log, …). Throwing aborts the call. */
  beforeRequest?: (info: ProviderRequestInfo) => void | Promise<void>;
  /** Called after each response with the parsed rate-limit headers. */
  onResponse?: (info: ProviderResponseInfo) => void;
}

export type AccessTokenSource = string | (() => string | Promise<string>);

export interface ProviderHttpOptions {
  provider: ProviderName;
  fetch?: typeof fetch;
  hooks?: ProviderHooks;
  /** Abort a request after this long and raise `ProviderUnavailableError`. Default 30 s. */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | undefined;

export interface ProviderRequest {
  method?: string;
  url: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  accessToken?: AccessTokenSource;
  /** Statuses returned to the caller instead of thrown (e.g. 404 for "no recovery yet"). */
  acceptStatuses?: readonly number[];
}

export function buildUrl(url: string, query?: Record<string, QueryValue>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) target.searchParams.set(key, String(value));
  }
  return target.toString();
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

async function resolveToken(source: AccessTokenSource): Promise<string> {
  return typeof source === 'string' ? source : await source();
}

function providerMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const key of ['errorMessage', 'error_description', 'message', 'error']) {
      const value = parsed[key];
      if (typeof value === 'string') return value;
    }
  } catch {
    // not JSON: fall through
  }
  return body.length > 0 ? body.slice(0, 200) : undefined;
}

function oauthErrorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** The one fetch wrapper behind both provider clients: hooks, timeouts and error typing. */
export class ProviderHttp {
  readonly provider: ProviderName;
  readonly #fetch: typeof fetch;
  readonly #hooks: ProviderHooks;
  readonly #timeoutMs: number;

  constructor(options: ProviderHttpOptions) {
    this.provider = options.provider;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#hooks = options.hooks ?? {};
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Sends a request; non-accepted non-2xx statuses become typed errors. */
  async send(request: ProviderRequest): Promise<Response> {
    const method = request.method ?? 'GET';
    const url = buildUrl(request.url, request.query);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.accessToken !== undefined) {
      headers.authorization = `Bearer ${await resolveToken(request.accessToken)}`;
    }
    const info: ProviderRequestInfo = { provider: this.provider, method, url };
    await this.#hooks.beforeRequest?.(info);

    const startedAt = Date.now();
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
      throw new ProviderUnavailableError(
        this.provider,
        timedOut
          ? `${method} ${url} timed out after ${this.#timeoutMs} ms`
          : `${method} ${url} failed: network error`,
        { cause },
      );
    }
    this.#hooks.onResponse?.({
      ...info,
      status: response.status,
      durationMs: Date.now() - startedAt,
      rateLimit: parseRateLimitHeaders(response.headers),
    });

    if (response.ok || request.acceptStatuses?.includes(response.status)) return response;
    const body = await response.text().catch(() => '');
    throw this.#errorFor(response, body, method, url);
  }

  /** Sends a request and validates the JSON answer (unknown keys are stripped by the schema). */
  async json<S extends z.ZodType>(request: ProviderRequest, schema: S): Promise<z.output<S>> {
    const response = await this.send(request);
    return this.parse(response, schema, `${request.method ?? 'GET'} ${request.url}`);
  }

  async parse<S extends z.ZodType>(response: Response, schema: S, what: string): Promise<z.output<S>> {
    const text = await response.text();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ProviderResponseError(this.provider, `${what}: response is not JSON`, [text.slice(0, 200)]);
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issues = result.error.issues.map(
        (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
      throw new ProviderResponseError(this.provider, `${what}: unexpected response shape`, issues);
    }
    return result.data;
  }

  #errorFor(response: Response, body: string, method: string, url: string): Error {
    const status = response.status;
    const detail = providerMessage(body);
    const message = `${method} ${url} → ${status}${detail === undefined ? '' : `: ${detail}`}`;
    if (status === 429) {
      return new ProviderRateLimitError(this.provider, retryAfterMsFromHeaders(response.headers), message);
    }
    if (status >= 500) return new ProviderUnavailableError(this.provider, message, { status });
    if (status === 401 || (status === 403 && this.provider === 'garmin')) {
      return new ProviderAuthError(this.provider, message, { status, oauthError: oauthErrorCode(body) });
    }
    // OAuth token endpoints answer 400 invalid_grant for a used/expired refresh token or code.
    const oauthError = oauthErrorCode(body);
    if (status === 400 && (oauthError === 'invalid_grant' || oauthError === 'invalid_client')) {
      return new ProviderAuthError(this.provider, message, { status, oauthError });
    }
    return new ProviderRequestError(this.provider, status, message, body);
  }
}
