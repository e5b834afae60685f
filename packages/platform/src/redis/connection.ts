import { Redis, type RedisOptions } from 'ioredis';

/** Redis DB index per port (services mode). The DB in REDIS_URL is ignored. */
export const REDIS_DB = { cache: 0, queue: 1, locks: 2, rateLimits: 3, pubsub: 0 } as const;

export interface RedisAdapterOptions {
  /** redis:// or rediss:// URL; its DB path is replaced by the port's DB index. */
  url: string;
  /** Namespace for every key, channel and queue name (REDIS_PREFIX). */
  prefix?: string;
  /** Override the port's default DB index (tests). */
  db?: number;
}

export const DEFAULT_PREFIX = 'ap';

/** Returns the URL with its DB path set to `db`. */
export function redisUrlWithDb(url: string, db: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${db}`;
  return parsed.toString();
}

export function connectRedis(url: string, db: number, options: RedisOptions = {}): Redis {
  const redis = new Redis(redisUrlWithDb(url, db), {
    connectionName: 'athlete-platform',
    ...options,
  });
  // ioredis reconnects by itself and failed commands reject, which is where callers see outages
  // (and health() reports them); without a listener every reconnect attempt logs a warning.
  redis.on('error', () => {});
  return redis;
}

/** Quits a connection, falling back to disconnect when the server is unreachable. */
export async function quitRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/** Escapes glob metacharacters so a literal prefix can be used in SCAN MATCH. */
export function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&');
}
