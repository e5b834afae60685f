import { LRUCache } from 'lru-cache';
import type { Cache } from '../ports.ts';
import { readThrough } from '../single-flight.ts';

export interface MemoryCacheOptions {
  /** Maximum number of entries before the least recently used are evicted. */
  maxEntries?: number;
}

/**
 * In-process cache. Values are stored as JSON text so callers get the same copies and the same
 * serialisation (e.g. Date → string) as with Redis.
 */
export function createMemoryCache(opts: MemoryCacheOptions = {}): Cache {
  const lru = new LRUCache<string, string>({ max: opts.maxEntries ?? 10_000, ttlAutopurge: false });
  const get: Cache['get'] = async <T>(key: string) => {
    const raw = lru.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  };
  const set: Cache['set'] = async (key, value, ttlMs) => {
    if (value === undefined) return;
    lru.set(key, JSON.stringify(value), { ttl: Math.max(1, Math.ceil(ttlMs)) });
  };

  return {
    get,
    set,
    async setMany(entries, ttlMs) {
      for (const [key, value] of entries) await set(key, value, ttlMs);
    },
    wrap: readThrough(get, set),
    async delete(...keys) {
      for (const key of keys) lru.delete(key);
    },
    async deletePrefix(prefix) {
      let deleted = 0;
      for (const key of [...lru.keys()]) {
        if (!key.startsWith(prefix)) continue;
        if (lru.has(key)) deleted++;
        lru.delete(key);
      }
      return deleted;
    },
    async close() {
      lru.clear();
    },
  };
}
