import { backgroundWorkResponseSchema, integrationsResponseSchema } from '@athlete/contracts';
import { settleGarminBackfill } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectThroughConsent,
  registerAthlete,
  type SyncWorld,
  startSyncWorld,
  type TestAthlete,
} from './sync-fixtures.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const QUIET_S = 2;

// Garmin answers a backfill request at once and sends the data later, for minutes. The run must
// not say "done" when the requests were answered, only once the data has been stored.
describe('a Garmin backfill is done only when its data has arrived (sandbox, jobs in the api)', () => {
  let w: SyncWorld;
  let athlete: TestAthlete;
  const login = 'garmin-wait-eve';

  beforeAll(async () => {
    w = await startSyncWorld({
      app: { overrides: { GARMIN_BACKFILL_QUIET_SECONDS: QUIET_S, GARMIN_BACKFILL_MAX_WAIT_SECONDS: 120 } },
      // The sandbox sends the data 8 s after each request (Garmin takes longer still): time for
      // the request job to finish and be checked before any data lands, on a busy machine too.
      sandbox: { days: 7, backfillDelayMs: 8_000 },
    });
    athlete = await registerAthlete(w.app);
  }, 120_000);
  afterAll(async () => w?.close());

  const stored = () =>
    w.app.deps.db.prisma.dailySummary.count({ where: { athleteId: athlete.id, source: 'garmin' } });
  const theRun = () =>
    w.app.deps.db.prisma.syncRun.findFirstOrThrow({
      where: { connection: { userId: athlete.id }, kind: 'backfill' },
    });

  it('waits for Garmin after the requests, then ends once the data stopped arriving, and says so', async () => {
    expect((await connectThroughConsent(w, athlete, 'garmin', login)).statusCode).toBe(302);
    // The request job runs; the sandbox has not sent anything yet.
    await w.app.deps.platform.queue.drain(60_000);
    const waiting = await theRun();
    expect(waiting.status).toBe('waiting');
    expect(waiting.finishedAt).toBeNull();
    expect(await stored()).toBe(0);
    expect(waiting.progress).toMatchObject({ done: 0, total: 180, unit: 'days', items: 0, lastDataAt: null });

    const list = integrationsResponseSchema.parse(
      (await w.app.inject({ url: '/api/v1/integrations', headers: athlete.auth })).json(),
    );
    expect(list.integrations.find((i) => i.provider === 'garmin')?.currentRun).toMatchObject({
      kind: 'backfill',
      status: 'waiting',
    });
    const work = backgroundWorkResponseSchema.parse(
      (await w.app.inject({ url: '/api/v1/me/background-work', headers: athlete.auth })).json(),
    ).work;
    expect(work.find((x) => x.id === waiting.id)).toMatchObject({
      kind: 'backfill',
      title: 'Garmin history backfill',
      status: 'waiting',
      detail: expect.stringContaining('waiting for Garmin to send the data: 0 of 180 days have data so far'),
      progress: { done: 0, total: 180, unit: 'days', percent: 0 },
      finishedAt: null,
    });

    // Watch the run until it ends: while data arrives it stays waiting.
    let sawDataWhileWaiting = false;
    const deadline = Date.now() + 60_000;
    let run = await theRun();
    while (run.status === 'waiting' && Date.now() < deadline) {
      if ((await stored()) > 0) sawDataWhileWaiting = true;
      await sleep(100);
      run = await theRun();
    }
    expect(run.status).toBe('succeeded');
    expect(sawDataWhileWaiting).toBe(true);

    const days = w.sandbox.sandbox.garminDays(login);
    const rows = await stored();
    expect(rows).toBeGreaterThanOrEqual(days.length - 2);
    const p = run.progress as Record<string, unknown>;
    expect(p).toMatchObject({
      endedBecause: 'quiet',
      phase: `done: Garmin sent nothing more for ${QUIET_S} s`,
    });
    expect(p.done).toBeGreaterThanOrEqual(days.length - 2);
    expect(p.done).toBeLessThanOrEqual(days.length + 1);
    expect(run.itemsFetched).toBeGreaterThan(0);
    expect(p.items).toBe(run.itemsFetched);
    // Done no sooner than the quiet period after the last data was stored.
    const lastData = Date.parse(p.lastDataAt as string);
    expect(run.finishedAt!.getTime() - lastData).toBeGreaterThanOrEqual(QUIET_S * 1000);
    const newest = await w.app.deps.db.prisma.dailySummary.findFirstOrThrow({
      where: { athleteId: athlete.id, source: 'garmin' },
      orderBy: { updatedAt: 'desc' },
    });
    expect(newest.updatedAt.getTime()).toBeLessThanOrEqual(run.finishedAt!.getTime());
    // Nothing arrived after it said done.
    await sleep(500);
    expect(await stored()).toBe(rows);

    const done = backgroundWorkResponseSchema
      .parse((await w.app.inject({ url: '/api/v1/me/background-work', headers: athlete.auth })).json())
      .work.find((x) => x.id === run.id);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(done!.detail).toMatch(/^Done: Garmin sent nothing more for 2 s · \d+ records received$/);
  }, 120_000);

  it('"Sync now" waits for its 3 days too; asked again the same day, it says nothing new comes', async () => {
    const now = async () => {
      const res = await w.app.inject({
        method: 'POST',
        url: '/api/v1/integrations/garmin/sync',
        headers: athlete.auth,
      });
      expect(res.statusCode, res.body).toBe(202);
      await w.app.deps.platform.queue.drain(60_000);
      return w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: res.json().run.id } });
    };
    const first = await now();
    expect(first.status).toBe('waiting');
    expect(first.progress).toMatchObject({ total: 3, unit: 'days' });
    // While it waits, "Sync now" hands back the same run.
    const again = await w.app.inject({
      method: 'POST',
      url: '/api/v1/integrations/garmin/sync',
      headers: athlete.auth,
    });
    expect(again.json().run).toMatchObject({ id: first.id, status: 'waiting' });
    let run = first;
    const deadline = Date.now() + 60_000;
    while (run.status === 'waiting' && Date.now() < deadline) {
      await sleep(200);
      run = await w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: first.id } });
    }
    expect(run.status).toBe('succeeded');
    expect(run.progress).toMatchObject({ endedBecause: 'quiet' });

    const repeat = await now();
    expect(repeat.status).toBe('succeeded');
    expect(repeat.progress).toMatchObject({
      phase: 'nothing new to ask: Garmin was already asked for these days and sends them once',
    });
  }, 120_000);

  it('stops waiting at the stated limit when Garmin sends nothing, and says that no data came', async () => {
    const connection = await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({
      where: { userId: athlete.id },
    });
    const since = new Date('2026-11-01T10:00:00Z');
    const run = await w.app.deps.db.prisma.syncRun.create({
      data: {
        connectionId: connection.id,
        kind: 'manual',
        status: 'waiting',
        progress: {
          phase: 'waiting for Garmin to send the data',
          done: 0,
          total: 3,
          unit: 'days',
          items: 0,
          from: '2026-10-29',
          to: '2026-11-03',
          dates: [],
          waitingSince: since.toISOString(),
          lastDataAt: null,
          quietS: 120,
          maxWaitS: 3600,
        },
      },
    });
    const early = await settleGarminBackfill({
      deps: w.app.deps,
      runId: run.id,
      now: new Date(since.getTime() + 3_000_000),
    });
    expect(early).toEqual({ status: 'waiting', checkInMs: 600_000 });
    expect((await w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe(
      'waiting',
    );

    const late = await settleGarminBackfill({
      deps: w.app.deps,
      runId: run.id,
      now: new Date(since.getTime() + 3_600_000),
    });
    expect(late).toEqual({ status: 'succeeded', because: 'timeout' });
    const ended = await w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(ended.status).toBe('succeeded');
    expect(ended.progress).toMatchObject({
      endedBecause: 'timeout',
      phase: 'stopped waiting after 60 min: Garmin sent no data for these days',
    });
  });
});
