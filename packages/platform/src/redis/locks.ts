import { acquireWithRetry, newLockToken, runWithLock } from '../lock-helpers.ts';
import type { Lock, Locks } from '../ports.ts';
import { connectRedis, DEFAULT_PREFIX, quitRedis, REDIS_DB, type RedisAdapterOptions } from './connection.ts';
import { luaScript } from './script.ts';

const releaseScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

const extendScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

/** Distributed locks on Redis (DB 2): SET NX PX with a random owner token, keys `${prefix}:lock:`. */
export function createRedisLocks(opts: RedisAdapterOptions): Locks {
  const redis = connectRedis(opts.url, opts.db ?? REDIS_DB.locks);
  const namespace = `${opts.prefix ?? DEFAULT_PREFIX}:lock:`;

  const tryAcquire = async (key: string, ttlMs: number): Promise<Lock | null> => {
    const token = newLockToken();
    const redisKey = namespace + key;
    const ok = await redis.set(redisKey, token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (ok !== 'OK') return null;
    return {
      key,
      token,
      async extend(ms) {
        return (await extendScript(redis, [redisKey], [token, Math.max(1, Math.ceil(ms))])) === 1;
      },
      async release() {
        return (await releaseScript(redis, [redisKey], [token])) === 1;
      },
    };
  };

  return {
    tryAcquire,
    acquire: (key, ttlMs, waitMs) => acquireWithRetry(() => tryAcquire(key, ttlMs), waitMs),
    async withLock(key, ttlMs, fn) {
      return runWithLock(await tryAcquire(key, ttlMs), ttlMs, fn);
    },
    async close() {
      await quitRedis(redis);
    },
  };
}
