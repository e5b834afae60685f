import type { Prisma } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { waitProgressOf } from './garmin-backfill-wait.ts';

/**
 * Counts data Garmin delivered (a processed ping/push) towards the connection's waiting runs:
 * records received, the dates of the requested window that got data, and when data last came
 * (which restarts the quiet period). Rows are locked so concurrent deliveries add up.
 */
export async function noteGarminArrivals({
  deps,
  connectionId,
  items,
  dates,
  now = new Date(),
}: {
  deps: Pick<Deps, 'db'>;
  connectionId: string;
  items: number;
  dates: string[];
  now?: Date;
}): Promise<number> {
  if (items === 0) return 0;
  return deps.db.prisma.$transaction(async (tx) => {
    const runs = await tx.$queryRaw<{ id: string; progress: Prisma.JsonValue; items_fetched: number }[]>`
      SELECT id, progress, items_fetched FROM sync_runs
       WHERE connection_id = ${connectionId}::uuid AND status = 'waiting' FOR UPDATE`;
    for (const run of runs) {
      const p = waitProgressOf(run.progress);
      if (!p) continue;
      const inWindow = dates.filter((d) => d >= p.from && d < p.to);
      const all = [...new Set([...p.dates, ...inWindow])].sort();
      const next = {
        ...p,
        dates: all,
        done: Math.min(all.length, p.total),
        items: p.items + items,
        lastDataAt: now.toISOString(),
      };
      await tx.syncRun.update({
        where: { id: run.id },
        data: { progress: next as unknown as Prisma.InputJsonValue, itemsFetched: run.items_fetched + items },
      });
    }
    return runs.length;
  });
}
