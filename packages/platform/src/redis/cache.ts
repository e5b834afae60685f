import type { Cache } from '../ports.ts';
import { readThrough } from '../single-flight.ts';
import {
  connectRedis,
  DEFAULT_PREFIX,
  escapeGlob,
  quitRedis,
  REDIS_DB,
  type RedisAdapterOptions,
} from './connection.ts';

const SCAN_BATCH = 500;

/** Cache on Redis (DB 0): JSON values with a TTL, keys under `${prefix}:cache:`. */
export function createRedisCache(opts: RedisAdapterOptions): Cache {
  const redis = connectRedis(opts.url, opts.db ?? REDIS_DB.cache);
  const namespace = `${opts.prefix ?? DEFAULT_PREFIX}:cache:`;
  const get: Cache['get'] = async <T>(key: string) => {
    const raw = await redis.get(namespace + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  };
  const set: Cache['set'] = async (key, value, ttlMs) => {
    if (value === undefined) return;
    await redis.set(namespace + key, JSON.stringify(value), 'PX', Math.max(1, Math.ceil(ttlMs)));
  };

  return {
    get,
    set,
    async setMany(entries, ttlMs) {
      const px = Math.max(1, Math.ceil(ttlMs));
      const pipeline = redis.pipeline();
      let n = 0;
      for (const [key, value] of entries) {
        if (value === undefined) continue;
        pipeline.set(namespace + key, JSON.stringify(value), 'PX', px);
        n++;
      }
      if (n === 0) return;
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed) throw failed[0];
    },
    wrap: readThrough(get, set),
    async delete(...keys) {
      if (keys.length) await redis.unlink(...keys.map((k) => namespace + k));
    },
    async deletePrefix(prefix) {
      const match = `${escapeGlob(namespace + prefix)}*`;
      let cursor = '0';
      let deleted = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', SCAN_BATCH);
        cursor = next;
        if (keys.length) deleted += await redis.unlink(...keys);
      } while (cursor !== '0');
      return deleted;
    },
    async close() {
      await quitRedis(redis);
    },
  };
}
