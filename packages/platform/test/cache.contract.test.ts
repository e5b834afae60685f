import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryCache, createRedisCache } from '../src/index.ts';
import type { Cache } from '../src/ports.ts';
import { testRedisUrl, uniquePrefix } from '../src/testing.ts';
import { deleteRedisPrefix, sleep } from './helpers.ts';

const prefix = uniquePrefix('cache');
afterAll(() => deleteRedisPrefix(prefix));

describe.each([
  ['redis', () => createRedisCache({ url: testRedisUrl(), prefix })],
  ['memory', () => createMemoryCache()],
] as const)('Cache contract: %s', (_name, create) => {
  let cache: Cache;
  let ns: string;
  const open = () => {
    cache = create();
    ns = `${uniquePrefix('k')}:`;
    return cache;
  };
  afterEach(() => cache?.close());

  it('round-trips JSON values and misses with undefined', async () => {
    open();
    const value = { a: 1, list: [1, 'two', null], nested: { ok: true }, at: new Date(0) };
    await cache.set(`${ns}obj`, value, 10_000);
    expect(await cache.get(`${ns}obj`)).toEqual({ ...value, at: '1970-01-01T00:00:00.000Z' });
    await cache.set(`${ns}zero`, 0, 10_000);
    expect(await cache.get(`${ns}zero`)).toBe(0);
    expect(await cache.get(`${ns}missing`)).toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    open();
    await cache.set(`${ns}short`, 'x', 80);
    await cache.set(`${ns}long`, 'y', 10_000);
    expect(await cache.get(`${ns}short`)).toBe('x');
    await sleep(200);
    expect(await cache.get(`${ns}short`)).toBeUndefined();
    expect(await cache.get(`${ns}long`)).toBe('y');
  });

  it('sets many keys with one TTL at once, skipping undefined values', async () => {
    open();
    await cache.set(`${ns}m:old`, 'before', 10_000);
    await cache.setMany(
      [
        [`${ns}m:a`, 1],
        [`${ns}m:b`, { b: true }],
        [`${ns}m:old`, 'after'],
        [`${ns}m:none`, undefined],
      ],
      80,
    );
    expect(await cache.get(`${ns}m:a`)).toBe(1);
    expect(await cache.get(`${ns}m:b`)).toEqual({ b: true });
    expect(await cache.get(`${ns}m:old`)).toBe('after');
    expect(await cache.get(`${ns}m:none`)).toBeUndefined();
    await cache.setMany([], 10_000);
    await sleep(200);
    expect(await cache.get(`${ns}m:a`)).toBeUndefined();
    expect(await cache.get(`${ns}m:old`)).toBeUndefined();
  });

  it('deletes keys, and every key under a prefix (glob characters taken literally)', async () => {
    open();
    for (const k of ['athlete:1:a', 'athlete:1:b', 'athlete:12:a', 'athlete:*:x', 'other']) {
      await cache.set(ns + k, k, 10_000);
    }
    await cache.delete(`${ns}other`, `${ns}never-set`);
    expect(await cache.get(`${ns}other`)).toBeUndefined();

    expect(await cache.deletePrefix(`${ns}athlete:*`)).toBe(1);
    expect(await cache.deletePrefix(`${ns}athlete:1:`)).toBe(2);
    expect(await cache.get(`${ns}athlete:1:a`)).toBeUndefined();
    expect(await cache.get(`${ns}athlete:12:a`)).toBe('athlete:12:a');
    expect(await cache.deletePrefix(`${ns}nothing:`)).toBe(0);
  });

  it('wrap computes once for concurrent callers, then serves the cached value', async () => {
    open();
    let computed = 0;
    const compute = async () => {
      computed++;
      await sleep(50);
      return { n: computed };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => cache.wrap(`${ns}w`, 10_000, compute)));
    expect(results).toEqual(Array(5).fill({ n: 1 }));
    expect(await cache.wrap(`${ns}w`, 10_000, compute)).toEqual({ n: 1 });
    expect(computed).toBe(1);
  });

  it('wrap does not cache a failed computation', async () => {
    open();
    await expect(cache.wrap(`${ns}f`, 10_000, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await cache.wrap(`${ns}f`, 10_000, async () => 'ok')).toBe('ok');
  });
});
