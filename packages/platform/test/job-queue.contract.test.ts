import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryJobQueue, createRedisJobQueue } from '../src/index.ts';
import type { JobQueue } from '../src/ports.ts';
import { testRedisUrl, uniquePrefix } from '../src/testing.ts';
import { deleteRedisPrefix, sleep, waitFor } from './helpers.ts';

type Outcome = Parameters<Parameters<JobQueue['onOutcome']>[0]>[0];

const prefix = uniquePrefix('queue');
afterAll(() => deleteRedisPrefix(prefix));

describe.each([
  // A fresh queue name per test keeps tests apart within the file's prefix.
  ['redis', () => createRedisJobQueue({ url: testRedisUrl(), prefix, name: uniquePrefix('q') })],
  ['memory', () => createMemoryJobQueue()],
] as const)('JobQueue contract: %s', (_name, create) => {
  let queue: JobQueue;
  let outcomes: Outcome[];
  const open = () => {
    queue = create();
    outcomes = [];
    queue.onOutcome((e) => outcomes.push(e));
    return queue;
  };
  afterEach(() => queue?.close());

  it('runs a job with its data and reports it completed', async () => {
    open();
    const seen: unknown[] = [];
    await queue.process({
      greet: async (data, ctx) => {
        seen.push({ data, name: ctx.name, attempt: ctx.attempt });
        await ctx.updateProgress(50);
      },
    });
    const id = await queue.add('greet', { who: 'athlete' });
    await waitFor(() => outcomes.length === 1);
    expect(seen).toEqual([{ data: { who: 'athlete' }, name: 'greet', attempt: 1 }]);
    expect(outcomes[0]).toEqual({ name: 'greet', id, outcome: 'completed', final: true });
    expect(await queue.getJob(id)).toMatchObject({
      id,
      name: 'greet',
      state: 'completed',
      attemptsMade: 1,
      progress: 50,
    });
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, completed: 1, failed: 0 });
  });

  it('retries with exponential backoff, reporting each failure', async () => {
    open();
    const attemptsAt: number[] = [];
    await queue.process({
      flaky: async (_data, ctx) => {
        attemptsAt.push(Date.now());
        if (ctx.attempt < 3) throw new Error(`fail ${ctx.attempt}`);
      },
    });
    const id = await queue.add('flaky', {}, { attempts: 3, backoffMs: 100 });
    await waitFor(() => outcomes.some((o) => o.final));
    expect(outcomes.map((o) => [o.outcome, o.final, o.error])).toEqual([
      ['failed', false, 'fail 1'],
      ['failed', false, 'fail 2'],
      ['completed', true, undefined],
    ]);
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(95);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(195);
    expect(await queue.getJob(id)).toMatchObject({ state: 'completed', attemptsMade: 3 });
  });

  it('keeps a finally failed job listed, and retry runs it again', async () => {
    open();
    let healthy = false;
    await queue.process({
      sync: async () => {
        if (!healthy) throw new Error('provider down');
        return 'ok';
      },
    });
    const id = await queue.add('sync', { user: 1 }, { attempts: 2 });
    await waitFor(() => outcomes.some((o) => o.final));
    expect(outcomes.map((o) => o.final)).toEqual([false, true]);
    const failed = await queue.listFailed();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id,
      name: 'sync',
      data: { user: 1 },
      state: 'failed',
      attemptsMade: 2,
      failedReason: 'provider down',
    });
    expect((await queue.counts()).failed).toBe(1);

    healthy = true;
    await queue.retry(id);
    await waitFor(() => outcomes.at(-1)?.outcome === 'completed');
    expect(await queue.getJob(id)).toMatchObject({ state: 'completed' });
    expect(await queue.listFailed()).toEqual([]);
  });

  it('fails a job with no handler at once, without retries', async () => {
    open();
    await queue.process({});
    const id = await queue.add('unknown', {}, { attempts: 5 });
    await waitFor(() => outcomes.length === 1);
    expect(outcomes[0]).toMatchObject({ id, outcome: 'failed', final: true });
    expect(outcomes[0]!.error).toMatch(/no handler/i);
  });

  it('runs waiting jobs by priority (lower first), FIFO within a priority', async () => {
    open();
    const order: string[] = [];
    for (const [label, priority] of [
      ['a', 3],
      ['b', 1],
      ['c', 2],
      ['d', 1],
      ['e', 3],
    ] as const) {
      await queue.add('p', label, { priority });
    }
    expect((await queue.counts()).waiting).toBe(5);
    await queue.process({ p: async (data) => void order.push(data as string) }, { concurrency: 1 });
    await queue.drain(10_000);
    expect(order).toEqual(['b', 'd', 'c', 'a', 'e']);
  });

  it('does not run a delayed job early', async () => {
    open();
    let ranAt = 0;
    await queue.process({
      later: async () => {
        ranAt = Date.now();
      },
    });
    const addedAt = Date.now();
    const id = await queue.add('later', {}, { delayMs: 400 });
    await sleep(200);
    expect(ranAt).toBe(0);
    expect(await queue.getJob(id)).toMatchObject({ state: 'delayed' });
    expect((await queue.counts()).delayed).toBe(1);
    await waitFor(() => ranAt > 0);
    expect(ranAt - addedAt).toBeGreaterThanOrEqual(390);
  });

  it('de-duplicates by jobId while pending, and accepts the id again once finished', async () => {
    open();
    const first = await queue.add('sync', { n: 1 }, { jobId: 'sync-user-7' });
    const second = await queue.add('sync', { n: 2 }, { jobId: 'sync-user-7' });
    expect(second).toBe(first);
    expect((await queue.counts()).waiting).toBe(1);
    const seen: unknown[] = [];
    await queue.process({ sync: async (data) => void seen.push(data) });
    await waitFor(() => outcomes.length === 1);
    expect(seen).toEqual([{ n: 1 }]);
    await queue.add('sync', { n: 3 }, { jobId: 'sync-user-7' });
    await waitFor(() => outcomes.length === 2);
    expect(seen).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('rejects job ids the Redis adapter cannot store', async () => {
    open();
    await expect(queue.add('x', {}, { jobId: '42' })).rejects.toThrow();
    await expect(queue.add('x', {}, { jobId: 'a:b' })).rejects.toThrow();
  });

  it('fires an every-N-ms schedule repeatedly, until unscheduled', async () => {
    open();
    const runs: unknown[] = [];
    await queue.process({ tick: async (data) => void runs.push(data) });
    await queue.schedule('ticker', { everyMs: 100 }, { name: 'tick', data: { t: 1 } });
    await waitFor(() => runs.length >= 3, 5_000);
    expect(runs[0]).toEqual({ t: 1 });
    await queue.unschedule('ticker');
    await sleep(150);
    const settled = runs.length;
    await sleep(300);
    expect(runs.length).toBe(settled);
  });

  it('accepts a cron schedule with a time zone, and rejects a bad pattern', async () => {
    open();
    await queue.schedule('nightly', { cron: '0 3 * * *', tz: 'Europe/Oslo' }, { name: 'n', data: {} });
    await queue.schedule('nightly', { cron: '30 3 * * *', tz: 'Europe/Oslo' }, { name: 'n', data: {} });
    await expect(queue.schedule('bad', { cron: 'not a cron' }, { name: 'n', data: {} })).rejects.toThrow();
    await queue.unschedule('nightly');
  });

  it('runs up to `concurrency` jobs at once, and drain waits for them', async () => {
    open();
    let active = 0;
    let maxActive = 0;
    await queue.process(
      {
        work: async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          await sleep(100);
          active--;
        },
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 6; i++) await queue.add('work', i);
    await queue.drain(10_000);
    expect(maxActive).toBe(3);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, completed: 6 });
  });

  it('drain times out when nothing processes the queue', async () => {
    open();
    await queue.add('nobody', {});
    await expect(queue.drain(200)).rejects.toThrow(/drain/);
  });
});
