import { randomBytes } from 'node:crypto';
import type { RateLimiter, RateLimitResult } from '../ports.ts';
import { connectRedis, DEFAULT_PREFIX, quitRedis, REDIS_DB, type RedisAdapterOptions } from './connection.ts';
import { luaScript } from './script.ts';

/**
 * Sliding window log in one sorted set per key (one member per unit of cost, scored by the
 * Redis server's clock), evaluated atomically. Returns {allowed, remaining, retryAfterMs}.
 * KEYS: window set, block marker. ARGV: windowMs, limit, cost, member nonce, consume flag.
 */
const slidingWindowScript = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then
  return {0, math.max(0, limit - count), blocked - now}
end
if count + cost <= limit then
  if ARGV[5] == '1' then
    for i = 1, cost do
      redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i)
    end
    redis.call('PEXPIRE', KEYS[1], window)
    count = count + cost
  end
  return {1, limit - count, 0}
end
local retry = window
if cost <= limit then
  local idx = count + cost - limit - 1
  local entry = redis.call('ZRANGE', KEYS[1], idx, idx, 'WITHSCORES')
  retry = tonumber(entry[2]) + window - now
end
return {0, math.max(0, limit - count), math.max(1, retry)}`);

/** Sliding-window rate limiter on Redis (DB 3), keys under `${prefix}:rl:`. */
export function createRedisRateLimiter(opts: RedisAdapterOptions): RateLimiter {
  const redis = connectRedis(opts.url, opts.db ?? REDIS_DB.rateLimits);
  const namespace = `${opts.prefix ?? DEFAULT_PREFIX}:rl:`;
  const keysFor = (key: string) => [`${namespace}w:${key}`, `${namespace}b:${key}`];

  const run = async (key: string, limit: number, windowMs: number, cost: number, consume: boolean) => {
    const nonce = randomBytes(8).toString('hex');
    const reply = (await slidingWindowScript(redis, keysFor(key), [
      Math.ceil(windowMs),
      limit,
      cost,
      nonce,
      consume ? 1 : 0,
    ])) as [number, number, number];
    const [allowed, remaining, retryAfterMs] = reply;
    return { allowed: allowed === 1, remaining, retryAfterMs, limit } satisfies RateLimitResult;
  };

  return {
    consume: (key, limit, windowMs, cost = 1) => run(key, limit, windowMs, cost, true),
    peek: (key, limit, windowMs) => run(key, limit, windowMs, 1, false),
    async blockUntil(key, untilMs) {
      const until = Math.ceil(untilMs);
      if (until <= Date.now()) return;
      await redis.set(keysFor(key)[1]!, String(until), 'PXAT', until);
    },
    async reset(key) {
      await redis.unlink(...keysFor(key));
    },
    async close() {
      await quitRedis(redis);
    },
  };
}
