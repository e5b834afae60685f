import { z } from 'zod';
import { defineJob } from '../jobs/define.ts';
import { purgeSpentInvites } from '../teams/purge-spent-invites.ts';
import { expireRawObjects } from './raw-lifecycle.ts';
import {
  retireSamplePartitions,
  SAMPLE_ARCHIVE_LOCK,
  SAMPLE_ARCHIVE_LOCK_TTL_MS,
} from './sample-partitions.ts';

/** Months of sample partitions kept ready ahead of writes. */
const MONTHS_AHEAD = 2;
const LOCK_TTL_MS = 600_000;

/**
 * Daily upkeep of the samples table: partitions for the coming months exist before anyone
 * writes there, and months past retention are archived to the object store, then dropped.
 * One run at a time across workers (lock).
 */
export const samplePartitionsJob = defineJob({
  name: 'maintenance.sample-partitions',
  payload: z.object({}).default({}),
  defaults: { attempts: 3, backoffMs: 60_000 },
  async handler(deps) {
    const outcome = await deps.platform.locks.withLock(
      SAMPLE_ARCHIVE_LOCK,
      SAMPLE_ARCHIVE_LOCK_TTL_MS,
      async () => {
        const now = new Date();
        const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MONTHS_AHEAD, 1));
        await deps.db.ensureSamplePartitions(now, ahead);
        const retired = await retireSamplePartitions({ deps, now });
        return { archived: retired.archived.map((a) => a.key), skipped: retired.skipped };
      },
    );
    return outcome.acquired ? outcome.value : { skipped: 'locked' };
  },
});

/** Daily deletion of raw provider JSON past RAW_RETENTION_DAYS. */
export const rawLifecycleJob = defineJob({
  name: 'maintenance.raw-lifecycle',
  payload: z.object({}).default({}),
  defaults: { attempts: 3, backoffMs: 60_000 },
  async handler(deps) {
    const outcome = await deps.platform.locks.withLock('maintenance:raw-lifecycle', LOCK_TTL_MS, () =>
      expireRawObjects({ deps }),
    );
    return outcome.acquired ? outcome.value : { skipped: 'locked' };
  },
});

/**
 * Daily deletion of team invites revoked, accepted or expired more than INVITE_RETENTION_DAYS
 * ago. One DELETE that only matches spent rows: a second worker running it at once deletes
 * nothing more, so no lock.
 */
export const invitePurgeJob = defineJob({
  name: 'maintenance.invite-purge',
  payload: z.object({}).default({}),
  defaults: { attempts: 3, backoffMs: 60_000 },
  handler: (deps) => purgeSpentInvites({ deps }),
});

export const maintenanceJobs = [samplePartitionsJob, rawLifecycleJob, invitePurgeJob];

export const maintenanceSchedules = [
  {
    id: 'maintenance.sample-partitions',
    repeat: { cron: '30 3 * * *', tz: 'UTC' },
    job: samplePartitionsJob,
    data: {},
  },
  {
    id: 'maintenance.raw-lifecycle',
    repeat: { cron: '0 4 * * *', tz: 'UTC' },
    job: rawLifecycleJob,
    data: {},
  },
  {
    id: 'maintenance.invite-purge',
    repeat: { cron: '15 4 * * *', tz: 'UTC' },
    job: invitePurgeJob,
    data: {},
  },
];
