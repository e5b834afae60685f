import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../src/testing.ts';

export { sleep };

/** Polls until predicate holds; throws after timeoutMs. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Removes every key a test created under its prefix, in the four DBs the platform uses. */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  for (const db of [0, 1, 2, 3]) {
    const url = new URL(testRedisUrl());
    url.pathname = `/${db}`;
    const redis = new Redis(url.toString());
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
}
