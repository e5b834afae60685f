export interface RateLimitWindow {
  limit: number;
  windowS: number;
}

/** What the provider told us about our budget, parsed from the IETF-draft style headers. */
export interface RateLimitInfo {
  /** The limit closest to being exhausted (first number of `X-RateLimit-Limit`). */
  limit: number | undefined;
  remaining: number | undefined;
  /** Seconds until the window in `limit` resets. */
  resetS: number | undefined;
  /** Every declared window, e.g. `[{limit:100, windowS:60}, {limit:10000, windowS:86400}]`. */
  windows: RateLimitWindow[];
}

function toNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** Parses `X-RateLimit-Limit: "100, 100;window=60, 10000;window=86400"` and friends; null when absent. */
export function parseRateLimitHeaders(headers: Headers): RateLimitInfo | null {
  const limitHeader = headers.get('x-ratelimit-limit');
  const remaining = toNumber(headers.get('x-ratelimit-remaining'));
  const resetS = toNumber(headers.get('x-ratelimit-reset'));
  if (limitHeader === null && remaining === undefined && resetS === undefined) return null;

  let limit: number | undefined;
  const windows: RateLimitWindow[] = [];
  for (const [index, part] of (limitHeader ?? '').split(',').entries()) {
    const [value, ...params] = part.split(';');
    const n = toNumber(value);
    if (n === undefined) continue;
    const windowParam = params.map((p) => p.trim()).find((p) => p.startsWith('window='));
    if (windowParam !== undefined) {
      const windowS = toNumber(windowParam.slice('window='.length));
      if (windowS !== undefined) windows.push({ limit: n, windowS });
    } else if (index === 0) {
      limit = n;
    }
  }
  return { limit, remaining, resetS, windows };
}

/**
 * Milliseconds to wait after a 429: `Retry-After` (seconds or an HTTP date) wins, then
 * `X-RateLimit-Reset` (seconds until the window resets). Undefined when neither is usable.
 */
export function retryAfterMsFromHeaders(headers: Headers, nowMs: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = toNumber(retryAfter);
    if (seconds !== undefined) return Math.max(0, Math.round(seconds * 1000));
    const dateMs = Date.parse(retryAfter);
    if (!Number.isNaN(dateMs)) return Math.max(0, dateMs - nowMs);
  }
  const reset = toNumber(headers.get('x-ratelimit-reset'));
  return reset === undefined ? undefined : Math.max(0, Math.round(reset * 1000));
}
