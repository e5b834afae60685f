import { z } from 'zod';
import { defineJob, enqueue, JobPriority } from '../jobs/define.ts';
import { settleGarminBackfill } from './settle-garmin-backfill.ts';

/** Looks at a waiting Garmin run when its quiet period or wait limit may be over. */
export const garminBackfillSettleJob = defineJob({
  name: 'sync.garmin-backfill-settle',
  payload: z.object({ runId: z.uuid(), check: z.number().int().nonnegative().default(0) }),
  defaults: { attempts: 3, backoffMs: 5_000, priority: JobPriority.webhook },
  async handler(deps, data) {
    const outcome = await settleGarminBackfill({ deps, runId: data.runId });
    if (outcome.status === 'waiting') {
      await enqueue(
        deps,
        garminBackfillSettleJob,
        { runId: data.runId, check: data.check + 1 },
        { delayMs: outcome.checkInMs + 50, jobId: `garmin-settle-${data.runId}-r${Date.now()}` },
      );
    }
    return outcome;
  },
});
