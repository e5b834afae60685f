import { API_ROUTES, type ApiBody, type ApiQuery, type ApiResponse, type ApiRoute } from '@athlete/contracts';
import { issuesSentence } from '../lib/messages.ts';

/**
 * The one HTTP client of the SPA: same-origin JSON with the session cookie, the CSRF header on
 * state-changing requests, and the API's error envelope turned into an {@link ApiError}.
 */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Field-level messages from a 400 VALIDATION_ERROR, keyed by dotted path, when present. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const d = this.details as unknown;
    const list = Array.isArray(d)
      ? d
      : Array.isArray((d as { issues?: unknown })?.issues)
        ? (d as { issues: unknown[] }).issues
        : [];
    for (const issue of list as Array<{
      path?: unknown;
      field?: unknown;
      message?: unknown;
      reason?: unknown;
    }>) {
      const key = Array.isArray(issue.path)
        ? issue.path.join('.')
        : typeof issue.field === 'string'
          ? issue.field
          : '';
      const text = typeof issue.reason === 'string' ? issue.reason : issue.message;
      if (key && typeof text === 'string') out[key.replace(/^body\./, '')] = text;
    }
    return out;
  }
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when any request comes back 401 (session expired or revoked elsewhere). */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not broadcast a 401 (the login form expects one). */
  quiet401?: boolean;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v != null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = readCookie('ap_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Check your connection.');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const env = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    if (res.status === 401 && !opts.quiet401) for (const fn of unauthorizedListeners) fn();
    throw new ApiError(
      res.status,
      env?.code ?? `HTTP_${res.status}`,
      env?.message ?? (res.status === 404 ? 'Not found' : `Request failed (${res.status})`),
      env?.details,
    );
  }
  return data as T;
}

type PathOf<R extends string> = R extends `${string} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer Rest}`
  ? N | ParamNames<Rest>
  : P extends `${string}:${infer N}`
    ? N
    : never;
/** A key the route needs (required), or may not have (absent). */
type Slot<K extends string, T> = [T] extends [never] ? { [k in K]?: never } : { [k in K]: T };

/** What a call of `route` passes: its path parameters, body and query, typed by `API_ROUTES`. */
export type CallOptions<R extends ApiRoute> = Slot<
  'params',
  [ParamNames<PathOf<R>>] extends [never] ? never : Record<ParamNames<PathOf<R>>, string>
> &
  Slot<'body', ApiBody<R>> & {
    query?: [ApiQuery<R>] extends [never] ? never : ApiQuery<R>;
    signal?: AbortSignal;
    /** Do not broadcast a 401 (the login form expects one). */
    quiet401?: boolean;
  };
type NeedsOptions<R extends ApiRoute> = [ParamNames<PathOf<R>>] extends [never]
  ? [ApiBody<R>] extends [never]
    ? false
    : true
  : true;
type CallArgs<R extends ApiRoute> =
  NeedsOptions<R> extends true ? [opts: CallOptions<R>] : [opts?: CallOptions<R>];

/**
 * Calls an API route by its contract key ("GET /api/v1/sessions/:id"): the body and query are
 * typed by the route's zod schemas and the answer is checked against its response schema, so a
 * drift between the API and this app fails loudly (and in tests) instead of rendering wrong.
 */
export async function call<R extends ApiRoute>(route: R, ...[opts]: CallArgs<R>): Promise<ApiResponse<R>> {
  const o = (opts ?? {}) as {
    params?: Record<string, string>;
    body?: unknown;
    query?: unknown;
  } & RequestOptions;
  const space = route.indexOf(' ');
  const path = route.slice(space + 1).replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = o.params?.[name];
    if (value === undefined) throw new Error(`${route}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const data = await request<unknown>(route.slice(0, space), path, {
    body: o.body,
    query: o.query as RequestOptions['query'],
    signal: o.signal,
    quiet401: o.quiet401,
  });
  const schema = API_ROUTES[route].response;
  if (schema === null) return undefined as ApiResponse<R>;
  const checked = schema.safeParse(data);
  if (!checked.success) {
    const issues = checked.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
      .join('; ');
    throw new ApiError(
      0,
      'UNEXPECTED_RESPONSE',
      `The server's answer to ${route} is not what this app expects (${issues}). Reload the page.`,
    );
  }
  return data as ApiResponse<R>;
}

function validationIssues(details: unknown): Array<{ field: string; message: string }> {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is { field: string; message: string } =>
      typeof d?.field === 'string' && typeof d?.message === 'string',
  );
}

/** A message fit to show a person, for any thrown value (a 400's fields as sentences). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const issues = err.code === 'VALIDATION_ERROR' ? validationIssues(err.details) : [];
    return issues.length ? issuesSentence(issues) : err.message;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/** The API's message for one request field ("email", "hrZones.2"), to show next to that field. */
export function fieldError(err: unknown, field: string): string | undefined {
  return err instanceof ApiError ? err.fieldErrors()[field] : undefined;
}

/** True when the route does not exist on this server yet (feature not deployed). */
export const isMissingRoute = (err: unknown): boolean =>
  err instanceof ApiError && err.status === 404 && err.code === 'NOT_FOUND' && /^Route /.test(err.message);
