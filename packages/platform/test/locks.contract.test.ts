import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryLocks, createRedisLocks } from '../src/index.ts';
import type { Locks } from '../src/ports.ts';
import { testRedisUrl, uniquePrefix } from '../src/testing.ts';
import { deleteRedisPrefix, sleep } from './helpers.ts';

const prefix = uniquePrefix('locks');
afterAll(() => deleteRedisPrefix(prefix));

describe.each([
  ['redis', () => createRedisLocks({ url: testRedisUrl(), prefix })],
  ['memory', () => createMemoryLocks()],
] as const)('Locks contract: %s', (_name, create) => {
  let locks: Locks;
  let key: string;
  const open = () => {
    locks = create();
    key = uniquePrefix('lock');
  };
  afterEach(() => locks?.close());

  it('is exclusive until released', async () => {
    open();
    const first = await locks.tryAcquire(key, 5_000);
    expect(first).not.toBeNull();
    expect(await locks.tryAcquire(key, 5_000)).toBeNull();
    expect(await first!.release()).toBe(true);
    expect(await first!.release()).toBe(false);
    expect(await locks.tryAcquire(key, 5_000)).not.toBeNull();
  });

  it('admits one holder at a time among concurrent acquirers', async () => {
    open();
    let holders = 0;
    let maxHolders = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const lock = await locks.acquire(key, 5_000, 10_000);
        expect(lock).not.toBeNull();
        holders++;
        maxHolders = Math.max(maxHolders, holders);
        await sleep(15);
        holders--;
        done++;
        await lock!.release();
      }),
    );
    expect(done).toBe(8);
    expect(maxHolders).toBe(1);
  });

  it('acquire gives up after waitMs', async () => {
    open();
    await locks.tryAcquire(key, 5_000);
    const started = Date.now();
    expect(await locks.acquire(key, 5_000, 150)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('acquire succeeds once the holder releases', async () => {
    open();
    const holder = await locks.tryAcquire(key, 5_000);
    setTimeout(() => void holder!.release(), 100);
    expect(await locks.acquire(key, 5_000, 2_000)).not.toBeNull();
  });

  it('is lost after its TTL: the old owner can neither extend nor release the new holder', async () => {
    open();
    const old = await locks.tryAcquire(key, 80);
    await sleep(150);
    const current = await locks.tryAcquire(key, 5_000);
    expect(current).not.toBeNull();
    expect(current!.token).not.toBe(old!.token);
    expect(await old!.extend(5_000)).toBe(false);
    expect(await old!.release()).toBe(false);
    expect(await locks.tryAcquire(key, 5_000)).toBeNull();
    expect(await current!.release()).toBe(true);
  });

  it('extend keeps ownership past the original TTL', async () => {
    open();
    const lock = await locks.tryAcquire(key, 100);
    expect(await lock!.extend(2_000)).toBe(true);
    await sleep(200);
    expect(await locks.tryAcquire(key, 1_000)).toBeNull();
    expect(await lock!.release()).toBe(true);
  });

  it('withLock auto-extends while fn runs, then releases', async () => {
    open();
    const result = await locks.withLock(key, 120, async (lock) => {
      expect(lock.key).toBe(key);
      await sleep(400);
      expect(await locks.tryAcquire(key, 1_000)).toBeNull();
      return 42;
    });
    expect(result).toEqual({ acquired: true, value: 42 });
    expect(await locks.tryAcquire(key, 1_000)).not.toBeNull();
  });

  it('withLock does not run fn when held elsewhere, and releases after a throw', async () => {
    open();
    const holder = await locks.tryAcquire(key, 5_000);
    let ran = false;
    expect(
      await locks.withLock(key, 5_000, async () => {
        ran = true;
      }),
    ).toEqual({ acquired: false });
    expect(ran).toBe(false);
    await holder!.release();

    await expect(locks.withLock(key, 5_000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await locks.tryAcquire(key, 1_000)).not.toBeNull();
  });
});
