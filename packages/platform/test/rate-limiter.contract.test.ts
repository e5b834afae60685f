import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, createRedisRateLimiter } from '../src/index.ts';
import type { RateLimiter } from '../src/ports.ts';
import { testRedisUrl, uniquePrefix } from '../src/testing.ts';
import { deleteRedisPrefix, sleep } from './helpers.ts';

const prefix = uniquePrefix('rate');
afterAll(() => deleteRedisPrefix(prefix));

describe.each([
  ['redis', () => createRedisRateLimiter({ url: testRedisUrl(), prefix })],
  ['memory', () => createMemoryRateLimiter()],
] as const)('RateLimiter contract: %s', (_name, create) => {
  let limiter: RateLimiter;
  let key: string;
  const open = () => {
    limiter = create();
    key = uniquePrefix('rl');
  };
  afterEach(() => limiter?.close());

  it('allows up to the limit, then refuses with a retry-after inside the window', async () => {
    open();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.consume(key, 3, 1_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[0]).toMatchObject({ retryAfterMs: 0, limit: 3 });
    expect(results[3]!.retryAfterMs).toBeGreaterThan(800);
    expect(results[3]!.retryAfterMs).toBeLessThanOrEqual(1_000);
  });

  it('slides: budget returns as old entries leave the window', async () => {
    open();
    expect((await limiter.consume(key, 2, 400)).allowed).toBe(true);
    await sleep(200);
    expect((await limiter.consume(key, 2, 400)).allowed).toBe(true);
    const refused = await limiter.consume(key, 2, 400);
    expect(refused.allowed).toBe(false);
    // Only the first entry has left the window once it is 400 ms old.
    expect(refused.retryAfterMs).toBeLessThanOrEqual(220);
    await sleep(refused.retryAfterMs + 30);
    expect((await limiter.consume(key, 2, 400)).allowed).toBe(true);
    expect((await limiter.consume(key, 2, 400)).allowed).toBe(false);
    await sleep(450);
    expect(await limiter.peek(key, 2, 400)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('charges cost and refuses a cost that does not fit', async () => {
    open();
    expect(await limiter.consume(key, 10, 1_000, 7)).toMatchObject({ allowed: true, remaining: 3 });
    expect(await limiter.consume(key, 10, 1_000, 4)).toMatchObject({ allowed: false, remaining: 3 });
    expect(await limiter.consume(key, 10, 1_000, 3)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('peek does not consume', async () => {
    open();
    await limiter.consume(key, 2, 1_000);
    expect(await limiter.peek(key, 2, 1_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.peek(key, 2, 1_000)).toMatchObject({ allowed: true, remaining: 1 });
    await limiter.consume(key, 2, 1_000);
    const full = await limiter.peek(key, 2, 1_000);
    expect(full).toMatchObject({ allowed: false, remaining: 0 });
    expect(full.retryAfterMs).toBeGreaterThan(0);
  });

  it('blockUntil refuses everything until the given time', async () => {
    open();
    await limiter.blockUntil(key, Date.now() + 300);
    const blocked = await limiter.consume(key, 100, 1_000);
    expect(blocked.allowed).toBe(false);
    expect(blocked.retryAfterMs).toBeGreaterThan(200);
    expect(blocked.retryAfterMs).toBeLessThanOrEqual(310);
    expect((await limiter.peek(key, 100, 1_000)).allowed).toBe(false);
    await sleep(blocked.retryAfterMs + 30);
    expect((await limiter.consume(key, 100, 1_000)).allowed).toBe(true);
  });

  it('reset clears the budget and any block', async () => {
    open();
    await limiter.consume(key, 1, 10_000);
    await limiter.blockUntil(key, Date.now() + 10_000);
    await limiter.reset(key);
    expect((await limiter.consume(key, 1, 10_000)).allowed).toBe(true);
  });

  it('keys are independent', async () => {
    open();
    await limiter.consume(`${key}:a`, 1, 10_000);
    expect((await limiter.consume(`${key}:a`, 1, 10_000)).allowed).toBe(false);
    expect((await limiter.consume(`${key}:b`, 1, 10_000)).allowed).toBe(true);
  });
});
