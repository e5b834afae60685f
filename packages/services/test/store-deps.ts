import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '@athlete/config';
import { openPostgres } from '@athlete/db';
import { createTestDatabase } from '@athlete/db/testing';
import { createPlatform } from '@athlete/platform';
import { startS3Server, testRedisUrl, uniquePrefix } from '@athlete/platform/testing';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { Deps } from '../src/index.ts';

/** Deps of one process for `config` (its DATABASE_URL, adapters): silent log, own metrics registry. */
export async function depsOn(config: Config, poolSize = 3): Promise<Deps> {
  return {
    config,
    db: await openPostgres(config.DATABASE_URL!, { poolSize }),
    platform: await createPlatform(config),
    log: pino({ level: 'silent' }),
    metrics: new Registry(),
  };
}

/** Both object stores, for `describe.each`. */
export const OBJECT_STORES = [
  { store: 'S3', s3: true },
  { store: 'filesystem', s3: false },
];

/**
 * Deps on a fresh Postgres database and the chosen object store (a local S3 server, or files
 * in a temp directory); with `redis`, the Redis adapters (BullMQ queue, locks) under a unique
 * prefix, else the in-process ones. `close()` releases everything.
 */
export async function openStoreDeps(opts: { s3: boolean; redis?: boolean }): Promise<{
  deps: Deps;
  close(): Promise<void>;
}> {
  const testDb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-store-'));
  const s3Server = opts.s3 ? await startS3Server() : undefined;
  const config = loadConfig({
    env: {},
    overrides: {
      DATA_DIR: dataDir,
      DATABASE_URL: testDb.url,
      ...(opts.redis && { REDIS_URL: testRedisUrl(), REDIS_PREFIX: uniquePrefix('store') }),
      ...(s3Server && {
        S3_BUCKET: s3Server.bucket,
        S3_ENDPOINT: s3Server.endpoint,
        S3_ACCESS_KEY_ID: s3Server.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3Server.secretAccessKey,
        S3_FORCE_PATH_STYLE: true,
      }),
    },
  });
  const deps = await depsOn(config);
  return {
    deps,
    async close() {
      await deps.platform.close();
      await deps.db.close();
      await testDb.drop();
      await s3Server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `deps` whose object store runs `afterPut(key)` once each put of `key` has stored it: a test
 * makes something happen in the instant after an object is written (a late write racing an
 * archival, say).
 */
export function withAfterPut(deps: Deps, afterPut: (key: string) => Promise<void>): Deps {
  const { objects } = deps.platform;
  return {
    ...deps,
    platform: {
      ...deps.platform,
      objects: {
        ...objects,
        async put(key, body, opts) {
          await objects.put(key, body, opts);
          await afterPut(key);
        },
      },
    },
  };
}
