import type { Cache } from './ports.ts';

/**
 * Per-process single flight: concurrent callers for the same key share one in-flight promise.
 */
export class SingleFlight {
  readonly #inflight = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.#inflight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = fn().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return promise;
  }
}

/**
 * Cache.wrap over a cache's own get/set: a hit is returned as stored; a miss is computed once
 * per key in this process (concurrent callers share it), stored, and returned.
 */
export function readThrough(get: Cache['get'], set: Cache['set']): Cache['wrap'] {
  const flights = new SingleFlight();
  return async <T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> => {
    const hit = await get<T>(key);
    if (hit !== undefined) return hit;
    return flights.run(key, async () => {
      const value = await compute();
      await set(key, value, ttlMs);
      return value;
    });
  };
}
