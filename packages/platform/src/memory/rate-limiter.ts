import type { RateLimiter, RateLimitResult } from '../ports.ts';

/** In-process sliding window log: one timestamp per unit of cost, per key. */
export function createMemoryRateLimiter(): RateLimiter {
  const windows = new Map<string, number[]>();
  const blocked = new Map<string, number>();

  const run = (key: string, limit: number, windowMs: number, cost: number, consume: boolean) => {
    const now = Date.now();
    const log = (windows.get(key) ?? []).filter((at) => at > now - windowMs);
    windows.set(key, log);
    const result = (allowed: boolean, remaining: number, retryAfterMs: number): RateLimitResult => {
      if (!log.length) windows.delete(key);
      return { allowed, remaining: Math.max(0, remaining), retryAfterMs, limit };
    };

    const until = blocked.get(key) ?? 0;
    if (until > now) return result(false, limit - log.length, until - now);
    if (until) blocked.delete(key);

    if (log.length + cost <= limit) {
      if (consume) for (let i = 0; i < cost; i++) log.push(now);
      return result(true, limit - log.length, 0);
    }
    const retry = cost <= limit ? log[log.length + cost - limit - 1]! + windowMs - now : windowMs;
    return result(false, limit - log.length, Math.max(1, retry));
  };

  return {
    consume: async (key, limit, windowMs, cost = 1) => run(key, limit, windowMs, cost, true),
    peek: async (key, limit, windowMs) => run(key, limit, windowMs, 1, false),
    async blockUntil(key, untilMs) {
      if (untilMs > Date.now()) blocked.set(key, Math.ceil(untilMs));
    },
    async reset(key) {
      windows.delete(key);
      blocked.delete(key);
    },
    async close() {
      windows.clear();
      blocked.clear();
    },
  };
}
