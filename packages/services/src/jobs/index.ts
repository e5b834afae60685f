import type { JobHandler } from '@athlete/platform';
import { accountJobs } from '../accounts/account-jobs.ts';
import type { Deps } from '../deps.ts';
import { importJobs } from '../imports/bulk/jobs.ts';
import { maintenanceJobs, maintenanceSchedules } from '../maintenance/maintenance-jobs.ts';
import { privacyJobs, privacySchedules, registerPrivacyMetrics } from '../privacy/privacy-jobs.ts';
import { syncJobs, syncSchedules } from '../sync/sync-jobs.ts';
import { registerSyncMetrics } from '../sync/sync-metrics.ts';
import type { JobDefinition } from './define.ts';

export * from './define.ts';

/**
 * Every background job of the product. Each area adds its definitions here; the worker (and
 * the api in embedded mode) consumes exactly this list.
 */
export const jobs: JobDefinition[] = [
  ...accountJobs,
  ...importJobs,
  ...maintenanceJobs,
  ...privacyJobs,
  ...syncJobs,
];

/** Repeating jobs: scheduler id → cron/every + job. Registered by whichever process consumes. */
export const schedules: Array<{
  id: string;
  repeat: { cron: string; tz?: string } | { everyMs: number };
  job: JobDefinition;
  data: unknown;
}> = [...maintenanceSchedules, ...privacySchedules, ...syncSchedules];

export function jobHandlers(deps: Deps): Record<string, JobHandler> {
  const handlers: Record<string, JobHandler> = {};
  for (const job of jobs) {
    handlers[job.name] = async (raw, ctx) => {
      const data = job.payload.parse(raw);
      return job.handler(deps, data, ctx);
    };
  }
  return handlers;
}

/** Starts consuming every job and upserts the schedules. */
export async function startJobProcessing(deps: Deps, opts: { concurrency?: number } = {}) {
  registerSyncMetrics(deps);
  registerPrivacyMetrics(deps);
  await deps.platform.queue.process(jobHandlers(deps), { concurrency: opts.concurrency ?? 4 });
  for (const s of schedules) {
    await deps.platform.queue.schedule(s.id, s.repeat, { name: s.job.name, data: s.data });
  }
}
