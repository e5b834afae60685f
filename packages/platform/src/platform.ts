import { join } from 'node:path';
import type { Config } from '@athlete/config';
import { createMemoryCache } from './memory/cache.ts';
import { createMemoryJobQueue } from './memory/job-queue.ts';
import { createMemoryLocks } from './memory/locks.ts';
import { createMemoryPubSub } from './memory/pubsub.ts';
import { createMemoryRateLimiter } from './memory/rate-limiter.ts';
import { createFsObjectStore } from './objects/fs.ts';
import { createS3ObjectStore } from './objects/s3.ts';
import type { Platform } from './ports.ts';
import { createRedisCache } from './redis/cache.ts';
import { connectRedis, quitRedis } from './redis/connection.ts';
import { createRedisJobQueue } from './redis/job-queue.ts';
import { createRedisLocks } from './redis/locks.ts';
import { createRedisPubSub } from './redis/pubsub.ts';
import { createRedisRateLimiter } from './redis/rate-limiter.ts';

type PlatformConfig = Pick<
  Config,
  | 'REDIS_URL'
  | 'REDIS_PREFIX'
  | 'DATA_DIR'
  | 'S3_BUCKET'
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
>;

/**
 * Chooses adapters from configuration: REDIS_URL unset → in-process cache, locks, rate limits,
 * queue and pub/sub; S3_BUCKET unset → files under DATA_DIR/objects. Redis DBs: 0 cache,
 * 1 queue, 2 locks, 3 rate limits (the DB in REDIS_URL is ignored).
 */
export async function createPlatform(config: PlatformConfig): Promise<Platform> {
  const objects = config.S3_BUCKET
    ? createS3ObjectStore({
        bucket: config.S3_BUCKET,
        endpoint: config.S3_ENDPOINT,
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        forcePathStyle: config.S3_FORCE_PATH_STYLE,
      })
    : createFsObjectStore(join(config.DATA_DIR, 'objects'));

  const redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    return assemble('embedded', objects, {
      cache: createMemoryCache(),
      locks: createMemoryLocks(),
      rateLimiter: createMemoryRateLimiter(),
      queue: createMemoryJobQueue(),
      pubsub: createMemoryPubSub(),
    });
  }

  const redisOpts = { url: redisUrl, prefix: config.REDIS_PREFIX };
  // A dedicated connection for health checks, so a busy adapter doesn't mask the answer.
  const healthConnection = connectRedis(redisUrl, 0, { maxRetriesPerRequest: 1, lazyConnect: true });
  return assemble(
    'services',
    objects,
    {
      cache: createRedisCache(redisOpts),
      locks: createRedisLocks(redisOpts),
      rateLimiter: createRedisRateLimiter(redisOpts),
      queue: createRedisJobQueue(redisOpts),
      pubsub: createRedisPubSub(redisOpts),
    },
    {
      async check() {
        try {
          return (await healthConnection.ping()) === 'PONG';
        } catch {
          return false;
        }
      },
      close: () => quitRedis(healthConnection),
    },
  );
}

function assemble(
  mode: Platform['mode'],
  objects: Platform['objects'],
  ports: Pick<Platform, 'cache' | 'locks' | 'rateLimiter' | 'queue' | 'pubsub'>,
  redis?: { check(): Promise<boolean>; close(): Promise<void> },
): Platform {
  let closing: Promise<void> | undefined;
  return {
    mode,
    ...ports,
    objects,
    async health() {
      const [redisOk, objectStore] = await Promise.all([redis?.check(), objects.ping()]);
      const result: Record<string, boolean> = { objectStore };
      if (redis) result.redis = redisOk === true;
      return result;
    },
    close() {
      // The queue first: running jobs may still use the other ports.
      closing ??= (async () => {
        await ports.queue.close();
        const results = await Promise.allSettled([
          ports.cache.close(),
          ports.locks.close(),
          ports.rateLimiter.close(),
          ports.pubsub.close(),
          objects.close(),
          redis?.close(),
        ]);
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      })();
      return closing;
    },
  };
}
