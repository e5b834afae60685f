import type { SandboxProvider } from './tokens.ts';

/** Fault modes for the API routes of one provider; counts are "the next N requests". */
export interface FaultSettings {
  /** Answer the next N API requests with 429. */
  rateLimitBurst?: number;
  /** Retry-After (seconds) sent with burst 429s. Default 2. */
  retryAfterS?: number;
  /** Answer the next N API requests with `serverErrorStatus`. */
  serverErrors?: number;
  /** Default 503. */
  serverErrorStatus?: number;
  /** Delay every API answer by this long. */
  delayMs?: number;
}

export interface RateLimitSettings {
  perMinute: number;
  perDay: number;
}

export interface ProviderStats {
  /** API requests seen (OAuth endpoints excluded), including refused ones. */
  requests: number;
  rateLimited: number;
  serverErrors: number;
  byRoute: Record<string, number>;
}

export type FaultDecision =
  | { kind: 'pass'; headers: Record<string, string> }
  | { kind: 'rate-limited'; retryAfterS: number; headers: Record<string, string> }
  | { kind: 'server-error'; status: number; headers: Record<string, string> };

interface Window {
  startedAtMs: number;
  count: number;
}

const emptyStats = (): ProviderStats => ({ requests: 0, rateLimited: 0, serverErrors: 0, byRoute: {} });

/**
 * Per-provider request accounting: fault modes, the documented WHOOP app limits (100/min,
 * 10,000/day, fixed windows) and counters tests can assert budgets with.
 */
export class TrafficControl {
  readonly #now: () => number;
  readonly #limits: Partial<Record<SandboxProvider, RateLimitSettings>>;
  readonly #faults: Record<SandboxProvider, FaultSettings> = { whoop: {}, garmin: {} };
  #stats: Record<SandboxProvider, ProviderStats> = { whoop: emptyStats(), garmin: emptyStats() };
  readonly #windows = new Map<string, Window>();

  constructor(now: () => number, limits: Partial<Record<SandboxProvider, RateLimitSettings>>) {
    this.#now = now;
    this.#limits = limits;
  }

  setFaults(provider: SandboxProvider, faults: FaultSettings): void {
    this.#faults[provider] = { ...faults };
  }

  getFaults(provider: SandboxProvider): FaultSettings {
    return { ...this.#faults[provider] };
  }

  clearFaults(): void {
    this.#faults.whoop = {};
    this.#faults.garmin = {};
  }

  stats(): Record<SandboxProvider, ProviderStats> {
    return structuredClone(this.#stats);
  }

  resetStats(): void {
    this.#stats = { whoop: emptyStats(), garmin: emptyStats() };
    this.#windows.clear();
  }

  delayMs(provider: SandboxProvider): number {
    return this.#faults[provider].delayMs ?? 0;
  }

  /** Counts one API request and decides whether it is served, rate limited or failed. */
  admit(provider: SandboxProvider, route: string, clientKey: string): FaultDecision {
    const stats = this.#stats[provider];
    stats.requests += 1;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;

    const limit = this.#checkLimits(provider, clientKey);
    const faults = this.#faults[provider];
    if ((faults.rateLimitBurst ?? 0) > 0) {
      faults.rateLimitBurst = (faults.rateLimitBurst ?? 0) - 1;
      stats.rateLimited += 1;
      const retryAfterS = faults.retryAfterS ?? 2;
      return {
        kind: 'rate-limited',
        retryAfterS,
        headers: { ...limit.headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(retryAfterS) },
      };
    }
    if (limit.exceededRetryAfterS !== undefined) {
      stats.rateLimited += 1;
      return { kind: 'rate-limited', retryAfterS: limit.exceededRetryAfterS, headers: limit.headers };
    }
    if ((faults.serverErrors ?? 0) > 0) {
      faults.serverErrors = (faults.serverErrors ?? 0) - 1;
      stats.serverErrors += 1;
      return { kind: 'server-error', status: faults.serverErrorStatus ?? 503, headers: limit.headers };
    }
    return { kind: 'pass', headers: limit.headers };
  }

  #checkLimits(
    provider: SandboxProvider,
    clientKey: string,
  ): { headers: Record<string, string>; exceededRetryAfterS: number | undefined } {
    const limits = this.#limits[provider];
    if (limits === undefined) return { headers: {}, exceededRetryAfterS: undefined };
    const now = this.#now();
    const windows = [
      { limit: limits.perMinute, windowS: 60 },
      { limit: limits.perDay, windowS: 86_400 },
    ].map(({ limit, windowS }) => {
      const key = `${provider}|${clientKey}|${windowS}`;
      let window = this.#windows.get(key);
      if (window === undefined || now - window.startedAtMs >= windowS * 1000) {
        window = { startedAtMs: now, count: 0 };
        this.#windows.set(key, window);
      }
      window.count += 1;
      const resetS = Math.max(1, Math.ceil((window.startedAtMs + windowS * 1000 - now) / 1000));
      return { limit, windowS, used: window.count, remaining: Math.max(0, limit - window.count), resetS };
    });
    // The header reports the window closest to exhaustion first.
    const closest = [...windows].sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0]!;
    const exceeded = windows.filter((w) => w.used > w.limit);
    return {
      headers: {
        'x-ratelimit-limit': `${closest.limit}, ${windows.map((w) => `${w.limit};window=${w.windowS}`).join(', ')}`,
        'x-ratelimit-remaining': String(closest.remaining),
        'x-ratelimit-reset': String(closest.resetS),
      },
      exceededRetryAfterS: exceeded.length === 0 ? undefined : Math.max(...exceeded.map((w) => w.resetS)),
    };
  }
}
