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
