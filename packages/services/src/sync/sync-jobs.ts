import type { SyncKind } from '@athlete/db';
import { parseGarminNotification } from '@athlete/providers';
import { z } from 'zod';
import { garminSession } from '../connections/provider-session.ts';
import type { Deps } from '../deps.ts';
import { defineJob, enqueue, JobPriority } from '../jobs/define.ts';
import { refreshAthleteCache } from './after-sync.ts';
import { applyGarminAccountEvents } from './garmin-account.ts';
import { garminBackfillSettleJob } from './garmin-backfill-jobs.ts';
import { processGarminNotifications } from './garmin-sync.ts';
import { noteGarminArrivals } from './note-garmin-arrivals.ts';
import { describeSyncError, runSync } from './run-sync.ts';
import { settleGarminBackfill } from './settle-garmin-backfill.ts';
import { handleWhoopEvent } from './whoop-events.ts';

const SYNC_ATTEMPTS = 5;
/** A backfill waiting for the connection's sync lock looks again after this long. */
const DEFER_MS = 30_000;
const MAX_DEFERRALS = 40;

const PRIORITY_BY_KIND: Record<SyncKind, number> = {
  manual: JobPriority.user,
  webhook: JobPriority.webhook,
  scheduled: JobPriority.scheduled,
  backfill: JobPriority.backfill,
};

const isoDate = z.iso.datetime({ offset: true });

/** Job failures are shown to admins: keep credentials that travel in URLs out of the reason. */
async function redactingErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Error(describeSyncError(err));
  }
}

/** One SyncRun (scheduled, "sync now", webhook re-read or backfill) of one connection. */
export const syncRunJob = defineJob({
  name: 'sync.run',
  payload: z.object({
    runId: z.uuid(),
    start: isoDate.optional(),
    end: isoDate.optional(),
    deferrals: z.number().int().min(0).default(0),
    /** Attempts this run gets (the job's `attempts`), so the last one marks the run failed. */
    attempts: z.number().int().min(1).max(20).default(SYNC_ATTEMPTS),
  }),
  defaults: { attempts: SYNC_ATTEMPTS, backoffMs: 5_000 },
  async handler(deps, data, ctx) {
    if (ctx.attempt === 1) {
      // An admin retry of a run that failed for good starts it over.
      await deps.db.prisma.syncRun.updateMany({
        where: { id: data.runId, status: 'failed' },
        data: { status: 'queued', finishedAt: null },
      });
    }
    const result = await runSync({
      deps,
      runId: data.runId,
      range: data.start
        ? { start: new Date(data.start), end: data.end ? new Date(data.end) : undefined }
        : undefined,
      attempt: ctx.attempt,
      maxAttempts: data.attempts,
      reportProgress: (p) => ctx.updateProgress(p),
    });
    if (result.status === 'deferred') {
      if (data.deferrals >= MAX_DEFERRALS) throw new Error('backfill waited too long for the sync lock');
      await enqueue(
        deps,
        syncRunJob,
        { ...data, deferrals: data.deferrals + 1 },
        {
          delayMs: DEFER_MS,
          priority: JobPriority.backfill,
          jobId: `sync-run-${data.runId}-d${data.deferrals + 1}`,
        },
      );
    }
    return result;
  },
});

/** Creates a SyncRun and queues it (after the row commits) at its kind's priority. */
export async function startSyncRun({
  deps,
  connectionId,
  kind,
  range,
  attempts = SYNC_ATTEMPTS,
}: {
  deps: Pick<Deps, 'db' | 'platform'>;
  connectionId: string;
  kind: SyncKind;
  range?: { start: Date; end?: Date };
  attempts?: number;
}) {
  const run = await deps.db.prisma.syncRun.create({ data: { connectionId, kind, status: 'queued' } });
  await enqueue(
    deps,
    syncRunJob,
    { runId: run.id, start: range?.start.toISOString(), end: range?.end?.toISOString(), attempts },
    { priority: PRIORITY_BY_KIND[kind], jobId: `sync-run-${run.id}`, attempts },
  );
  return run;
}

/** One verified WHOOP webhook, handled by re-fetching. */
export const whoopEventJob = defineJob({
  name: 'sync.whoop-event',
  payload: z.object({
    connectionId: z.uuid(),
    type: z.string(),
    id: z.union([z.string(), z.number()]),
    traceId: z.string(),
  }),
  defaults: { attempts: SYNC_ATTEMPTS, backoffMs: 5_000, priority: JobPriority.webhook },
  async handler(deps, data) {
    const connection = await deps.db.prisma.providerConnection.findUnique({
      where: { id: data.connectionId },
    });
    if (!connection || connection.status === 'disconnected' || connection.status === 'revoked') {
      return { skipped: 'connection not active' };
    }
    return redactingErrors(() => handleWhoopEvent({ deps, connection, event: data }));
  },
});

/** One connection's share of a Garmin ping/push/deregistration/permissions POST. */
export const garminNotificationJob = defineJob({
  name: 'sync.garmin-notification',
  payload: z.object({
    connectionId: z.uuid(),
    body: z.record(z.string(), z.array(z.unknown())),
    /** Epoch ms the POST arrived; a retry looks for pushed uploads in the same windows. */
    receivedAt: z.number().int().positive().optional(),
  }),
  defaults: { attempts: SYNC_ATTEMPTS, backoffMs: 5_000, priority: JobPriority.webhook },
  async handler(deps, data) {
    const connection = await deps.db.prisma.providerConnection.findUnique({
      where: { id: data.connectionId },
    });
    if (!connection) return { skipped: 'connection gone' };
    const { notifications } = parseGarminNotification(data.body);
    const account = notifications.filter(
      (n) => n.kind === 'deregistration' || n.kind === 'permissionsChange',
    );
    if (account.length > 0)
      await applyGarminAccountEvents({ deps, connectionId: connection.id, events: account });
    const dataNotifications = notifications.filter(
      (n) => n.kind !== 'deregistration' && n.kind !== 'permissionsChange',
    );
    if (dataNotifications.length === 0) return { account: account.length };
    const current = await deps.db.prisma.providerConnection.findUniqueOrThrow({
      where: { id: connection.id },
    });
    if (current.status === 'disconnected' || current.status === 'revoked')
      return { skipped: 'connection not active' };
    const outcome = await redactingErrors(() =>
      processGarminNotifications({
        deps,
        api: garminSession(deps, connection.id),
        connection,
        notifications: dataNotifications,
        ...(data.receivedAt ? { receivedAt: data.receivedAt } : {}),
      }),
    );
    await deps.db.prisma.providerConnection.update({
      where: { id: connection.id },
      data: { lastSyncAt: new Date(), lastError: null },
    });
    if (outcome.items > 0) await refreshAthleteCache(deps, connection.userId);
    // Stored: counts towards a waiting backfill, whose quiet period starts again now.
    const waiting = await noteGarminArrivals({
      deps,
      connectionId: connection.id,
      items: outcome.items,
      dates: outcome.dates,
    });
    if (waiting > 0) await scheduleSettleChecks(deps, connection.id);
    return outcome;
  },
});

/**
 * Periodic sync: every few minutes, queue a scheduled run for each active WHOOP connection not
 * synced within SYNC_INTERVAL_MINUTES (and with no run pending). Garmin is push-driven: its data
 * arrives by ping/push, so it has no polling schedule.
 */
export const syncScheduleTickJob = defineJob({
  name: 'sync.schedule-tick',
  payload: z.object({}).default({}),
  defaults: { attempts: 1 },
  async handler(deps) {
    const due = new Date(Date.now() - deps.config.SYNC_INTERVAL_MINUTES * 60_000);
    const connections = await deps.db.prisma.providerConnection.findMany({
      where: {
        provider: 'whoop',
        status: 'active',
        OR: [{ lastSyncAt: null }, { lastSyncAt: { lt: due } }],
        syncRuns: { none: { status: { in: ['queued', 'running', 'waiting'] } } },
      },
      select: { id: true },
      take: 1_000,
    });
    for (const c of connections) await startSyncRun({ deps, connectionId: c.id, kind: 'scheduled' });
    return { queued: connections.length };
  },
});

/** Queues a look at each waiting run of the connection when its quiet period ends. */
async function scheduleSettleChecks(deps: Deps, connectionId: string) {
  const runs = await deps.db.prisma.syncRun.findMany({
    where: { connectionId, status: 'waiting' },
    select: { id: true },
  });
  for (const { id } of runs) {
    const outcome = await settleGarminBackfill({ deps, runId: id });
    if (outcome.status !== 'waiting') continue;
    // One check per delivery burst: the job id de-duplicates those queued within a second.
    const slot = Math.floor((Date.now() + outcome.checkInMs) / 1000);
    await enqueue(
      deps,
      garminBackfillSettleJob,
      { runId: id },
      { delayMs: outcome.checkInMs + 50, jobId: `garmin-settle-${id}-q${slot}` },
    );
  }
}

export const syncJobs = [
  syncRunJob,
  whoopEventJob,
  garminNotificationJob,
  syncScheduleTickJob,
  garminBackfillSettleJob,
];

export const syncSchedules = [
  {
    id: 'sync.schedule-tick',
    repeat: { cron: '*/5 * * * *', tz: 'UTC' },
    job: syncScheduleTickJob,
    data: {},
  },
];
