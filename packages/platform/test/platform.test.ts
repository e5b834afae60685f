import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform } from '../src/index.ts';
import { startS3Server, type TestS3Server, testRedisUrl, uniquePrefix } from '../src/testing.ts';
import { deleteRedisPrefix } from './helpers.ts';

const prefix = uniquePrefix('platform');
let dataDir: string;
let s3: TestS3Server;
const clients: Redis[] = [];

function redisDb(db: number): Redis {
  const url = new URL(testRedisUrl());
  url.pathname = `/${db}`;
  const client = new Redis(url.toString());
  clients.push(client);
  return client;
}

const baseConfig = () => ({
  REDIS_PREFIX: prefix,
  DATA_DIR: dataDir,
  S3_REGION: 'us-east-1',
  S3_FORCE_PATH_STYLE: false,
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ap-platform-'));
  s3 = await startS3Server();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  await s3?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await deleteRedisPrefix(prefix);
});

describe('createPlatform', () => {
  it('embedded: in-process adapters and files under DATA_DIR/objects', async () => {
    const platform = await createPlatform(baseConfig());
    try {
      expect(platform.mode).toBe('embedded');
      await platform.objects.put('accounts/u1/raw.json', '{"ok":true}');
      expect(await readFile(join(dataDir, 'objects', 'accounts', 'u1', 'raw.json'), 'utf8')).toBe(
        '{"ok":true}',
      );
      await platform.cache.set('k', { v: 1 }, 10_000);
      expect(await platform.cache.get('k')).toEqual({ v: 1 });
      expect(await platform.health()).toEqual({ objectStore: true });
    } finally {
      await platform.close();
    }
  });

  it('services: Redis DBs 0 cache, 1 queue, 2 locks, 3 rate limits, whatever DB the URL names', async () => {
    const url = new URL(testRedisUrl());
    url.pathname = '/9';
    const platform = await createPlatform({
      ...baseConfig(),
      REDIS_URL: url.toString(),
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: true,
    });
    try {
      expect(platform.mode).toBe('services');
      await platform.cache.set('athlete:1', { hr: 60 }, 10_000);
      const lock = await platform.locks.tryAcquire('sync:user-1', 10_000);
      await platform.rateLimiter.consume('whoop:user-1', 10, 60_000);
      const jobId = await platform.queue.add('sync', {}, { jobId: 'sync-user-1' });

      const expectIn = async (db: number, key: string) => {
        for (const other of [0, 1, 2, 3, 9]) {
          expect(await redisDb(other).exists(key), `${key} in DB ${other}`).toBe(other === db ? 1 : 0);
        }
      };
      await expectIn(0, `${prefix}:cache:athlete:1`);
      await expectIn(2, `${prefix}:lock:sync:user-1`);
      expect(await redisDb(2).get(`${prefix}:lock:sync:user-1`)).toBe(lock!.token);
      await expectIn(3, `${prefix}:rl:w:whoop:user-1`);
      await expectIn(1, `${prefix}:bull:jobs:${jobId}`);

      await platform.objects.put('accounts/u1/raw.json', '{}');
      expect(await platform.objects.head('accounts/u1/raw.json')).toMatchObject({ size: 2 });
      expect(await platform.health()).toEqual({ redis: true, objectStore: true });
    } finally {
      await platform.close();
    }
  });

  it('health reports a dependency that does not answer', async () => {
    const platform = await createPlatform({
      ...baseConfig(),
      S3_BUCKET: 'no-such-bucket',
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: true,
    });
    try {
      expect(await platform.health()).toEqual({ objectStore: false });
    } finally {
      await platform.close();
    }
  });

  it.each([
    ['services', () => testRedisUrl()],
    ['embedded', () => undefined],
  ])('%s: close() leaves no handle behind, so the process exits', async (_mode, redisUrl) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures/platform-lifecycle.ts')],
      {
        env: {
          ...process.env,
          REDIS_URL: redisUrl() ?? '',
          REDIS_PREFIX: prefix,
          DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(timer);
    expect({ code, signal, closed: output.includes('closed') }, output).toEqual({
      code: 0,
      signal: null,
      closed: true,
    });
  });
});
