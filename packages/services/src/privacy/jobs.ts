import { Gauge } from 'prom-client';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { defineJob, enqueue } from '../jobs/define.ts';
import { purgePendingErasures } from './pending-erasures.ts';

/**
 * Finishes pending account erasures (archived samples). With `userId`: the one a deletion could
 * not finish at once, retried with backoff until its archives are clean (it throws while they
 * are not, or while the archive lock is held). Without: the periodic sweep of every due record,
 * which also catches deletions whose retries ran out or whose enqueue failed.
 */
export const erasurePurgeJob = defineJob({
  name: 'privacy.erasure-purge',
  payload: z.object({ userId: z.uuid().optional() }).default({}),
  // 1, 2, 4 … 32 minutes apart; the sweep takes over after that.
  defaults: { attempts: 7, backoffMs: 60_000 },
  async handler(deps, { userId }) {
    const outcome = await purgePendingErasures({ deps, userId });
    if (userId && outcome.locked) throw new Error('sample archive lock held elsewhere; retrying');
    if (userId && outcome.failed.length > 0) throw new Error(outcome.failed[0]!.error);
    return outcome;
  },
});

/** Queues the retries of one account's erasure (de-duplicated per account). */
export function enqueueErasurePurge(deps: Pick<Deps, 'platform'>, userId: string): Promise<string> {
  return enqueue(deps, erasurePurgeJob, { userId }, { jobId: `erasure-purge-${userId}` });
}

export const privacyJobs = [erasurePurgeJob];

export const privacySchedules = [
  {
    id: 'privacy.erasure-purge',
    repeat: { cron: '*/10 * * * *', tz: 'UTC' },
    job: erasurePurgeJob,
    data: {},
  },
];

/**
 * `ap_pending_erasures` (docs/METRICS.md): deleted accounts whose archived samples are not purged
 * yet, counted on each scrape. Above zero for more than a few minutes means erasures are failing
 * (docs/OPERATIONS.md). Idempotent per registry.
 */
export function registerPrivacyMetrics(deps: Pick<Deps, 'db' | 'metrics' | 'log'>): void {
  const { db, metrics, log } = deps;
  if (metrics.getSingleMetric('ap_pending_erasures')) return;
  new Gauge({
    name: 'ap_pending_erasures',
    help: 'Deleted accounts whose samples in archived months are not purged yet, read on scrape',
    registers: [metrics],
    async collect() {
      try {
        const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pending_erasures');
        this.set(row?.n ?? 0);
      } catch (err) {
        // A scrape must not fail because the database blinked; the gauge keeps its last value.
        log.warn({ err }, 'pending erasures unavailable for metrics');
      }
    },
  });
}
