import { Gauge } from 'prom-client';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { defineJob, enqueue } from '../jobs/define.ts';
import { ERASURE_SETTLE_MS, type PendingErasuresOutcome, purgePendingErasures } from './pending-erasures.ts';
import { runAccountExport } from './run-account-export.ts';

/** Added to a settling erasure's wait, so the final purge does not run early on a clock drift. */
const SETTLE_MARGIN_MS = 5_000;

/**
 * Finishes pending account erasures (archived samples). With `userId`: the one a deletion could
 * not finish at once, retried with backoff until its archives are clean (it throws while they
 * are not, or while the archive lock is held), then once more when it has settled. Without: the
 * periodic sweep of every due record, which also catches deletions whose retries ran out or
 * whose enqueue failed.
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
    await enqueueSettledErasurePurges(deps, outcome);
    return outcome;
  },
});

/** Queues the retries of one account's erasure (de-duplicated per account). */
export function enqueueErasurePurge(deps: Pick<Deps, 'platform'>, userId: string): Promise<string> {
  return enqueue(deps, erasurePurgeJob, { userId }, { jobId: `erasure-purge-${userId}` });
}

/**
 * Queues the final purge of each settling erasure for when it has settled (its own job id, as
 * this may run inside the account's retry job). Should this fail, the sweep finishes it.
 */
export async function enqueueSettledErasurePurges(
  deps: Pick<Deps, 'platform'>,
  outcome: Pick<PendingErasuresOutcome, 'settling'>,
  now = Date.now(),
): Promise<void> {
  for (const { userId, settlesAt } of outcome.settling) {
    await enqueue(
      deps,
      erasurePurgeJob,
      { userId },
      {
        jobId: `erasure-settled-${userId}`,
        delayMs: Math.max(0, settlesAt.getTime() - now) + SETTLE_MARGIN_MS,
      },
    );
  }
}

/** Builds one account export ZIP (a failure is reported, not retried: the user starts another). */
export const accountExportJob = defineJob({
  name: 'privacy.account-export',
  payload: z.object({ userId: z.uuid(), exportId: z.uuid() }),
  defaults: { attempts: 1 },
  async handler(deps, data, ctx) {
    const report = await runAccountExport({ deps, ...data, onProgress: (p) => ctx.updateProgress(p) });
    return { status: report.status, bytes: report.bytes };
  },
});

export const privacyJobs = [erasurePurgeJob, accountExportJob];

export const privacySchedules = [
  {
    id: 'privacy.erasure-purge',
    repeat: { cron: '*/10 * * * *', tz: 'UTC' },
    job: erasurePurgeJob,
    data: {},
  },
];

/**
 * `ap_pending_erasures` (docs/METRICS.md): deleted accounts whose samples are not purged yet,
 * deleted more than the settle time ago (a record is kept that long by design), counted on each
 * scrape. Above zero for more than a few minutes means erasures are failing (docs/OPERATIONS.md).
 * Idempotent per registry.
 */
export function registerPrivacyMetrics(deps: Pick<Deps, 'db' | 'metrics' | 'log'>): void {
  const { db, metrics, log } = deps;
  if (metrics.getSingleMetric('ap_pending_erasures')) return;
  new Gauge({
    name: 'ap_pending_erasures',
    help: 'Deleted accounts (past the settle time) whose samples are not purged yet, read on scrape',
    registers: [metrics],
    async collect() {
      try {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pending_erasures
            WHERE requested_at <= now() - $1::int * interval '1 millisecond'`,
          [ERASURE_SETTLE_MS],
        );
        this.set(row?.n ?? 0);
      } catch (err) {
        // A scrape must not fail because the database blinked; the gauge keeps its last value.
        log.warn({ err }, 'pending erasures unavailable for metrics');
      }
    },
  });
}
