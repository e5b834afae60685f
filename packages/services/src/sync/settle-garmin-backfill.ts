import type { Prisma } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { type GarminWaitProgress, waitProgressOf } from './garmin-backfill-wait.ts';
import { syncMetrics } from './sync-metrics.ts';

const minutes = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);

/**
 * Ends a Garmin run's wait when its data has arrived, as far as anyone can tell: Garmin never
 * says a backfill is complete, so the run is done once data came and then nothing more for
 * `GARMIN_BACKFILL_QUIET_SECONDS`, or at the latest `GARMIN_BACKFILL_MAX_WAIT_SECONDS` after the
 * requests were accepted (data arriving later is still stored). The phase says which. Returns
 * when to look again while it still waits.
 */
export async function settleGarminBackfill({
  deps,
  runId,
  now = new Date(),
}: {
  deps: Pick<Deps, 'db' | 'metrics'>;
  runId: string;
  now?: Date;
}): Promise<
  { status: 'waiting'; checkInMs: number } | { status: 'succeeded' | 'skipped'; because?: string }
> {
  const run = await deps.db.prisma.syncRun.findUnique({
    where: { id: runId },
    include: { connection: true },
  });
  const p = run?.status === 'waiting' ? waitProgressOf(run.progress) : null;
  if (!run || !p) return { status: 'skipped' };
  const t = now.getTime();
  const quietUntil = p.lastDataAt ? Date.parse(p.lastDataAt) + p.quietS * 1000 : Number.POSITIVE_INFINITY;
  const deadline = Date.parse(p.waitingSince) + p.maxWaitS * 1000;
  if (t < quietUntil && t < deadline)
    return { status: 'waiting', checkInMs: Math.min(quietUntil, deadline) - t };
  const endedBecause: GarminWaitProgress['endedBecause'] = t >= quietUntil ? 'quiet' : 'timeout';
  const phase =
    endedBecause === 'quiet'
      ? `done: Garmin sent nothing more for ${minutes(p.quietS)}`
      : p.lastDataAt
        ? `stopped waiting after ${minutes(p.maxWaitS)} while Garmin was still sending; later data is still stored`
        : `stopped waiting after ${minutes(p.maxWaitS)}: Garmin sent no data for these days`;
  const done = await deps.db.prisma.syncRun.updateMany({
    where: { id: runId, status: 'waiting' },
    data: {
      status: 'succeeded',
      finishedAt: now,
      progress: { ...p, phase, endedBecause } as unknown as Prisma.InputJsonValue,
    },
  });
  if (done.count === 1) {
    const metrics = syncMetrics(deps);
    metrics.items.inc({ provider: 'garmin', kind: run.kind }, p.items);
    metrics.runs.inc({ provider: 'garmin', outcome: 'succeeded' });
  }
  return { status: 'succeeded', because: endedBecause };
}
