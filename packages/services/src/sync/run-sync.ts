import type { Prisma } from '@athlete/db';
import { ProviderAuthError } from '@athlete/providers';
import { garminSession, whoopSession } from '../connections/provider-session.ts';
import type { Deps } from '../deps.ts';
import { enqueue } from '../jobs/define.ts';
import { refreshAthleteCache } from './after-sync.ts';
import { garminBackfillSettleJob } from './garmin-backfill-jobs.ts';
import { type GarminWaitProgress, WAITING_PHASE } from './garmin-backfill-wait.ts';
import { requestGarminBackfill } from './garmin-sync.ts';
import { syncMetrics } from './sync-metrics.ts';
import { type SyncOutcome, type SyncProgress, syncWhoopRange } from './whoop-sync.ts';

export const SYNC_LOCK_TTL_MS = 600_000;
/** History a new WHOOP connection imports (WHOOP is pulled page by page). */
export const WHOOP_BACKFILL_DAYS = 365;
/** History a new Garmin connection asks for (Garmin re-sends it by ping/push). */
export const GARMIN_BACKFILL_DAYS = 180;
/** Incremental syncs re-read this much before the last sync: providers re-score late data. */
const OVERLAP_MS = 2 * 86_400_000;
const FIRST_SYNC_MS = 7 * 86_400_000;
/** "Sync now" for Garmin asks for a backfill of the last days (Garmin forbids polling). */
const GARMIN_RECENT_DAYS = 3;

export interface RunSyncResult {
  status: 'succeeded' | 'waiting' | 'failed' | 'coalesced' | 'deferred' | 'skipped';
  items?: number;
  reason?: string;
}

/** An error as stored and shown: short, and without credentials carried in URLs (pull tokens). */
export function describeSyncError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .replace(/([?&](?:token|access_token|refresh_token|code)=)[^&\s]+/gi, '$1[redacted]')
    .slice(0, 500);
}

/**
 * Executes one SyncRun under the connection's sync lock (600 s, extended while it works). A run
 * that finds another sync of the same connection in progress is coalesced into it (that sync
 * reads up to now); a backfill instead waits its turn (`deferred`: the caller re-enqueues it).
 */
export async function runSync({
  deps,
  runId,
  range,
  attempt = 1,
  maxAttempts = 1,
  reportProgress,
}: {
  deps: Deps;
  runId: string;
  /** Explicit window (webhook-triggered re-reads); otherwise derived from the run kind. */
  range?: { start: Date; end?: Date };
  attempt?: number;
  maxAttempts?: number;
  reportProgress?: (p: SyncProgress) => Promise<void>;
}): Promise<RunSyncResult> {
  const run = await deps.db.prisma.syncRun.findUnique({
    where: { id: runId },
    include: { connection: true },
  });
  if (!run) return { status: 'skipped', reason: 'run not found' };
  if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'waiting')
    return { status: 'skipped', reason: `run ${run.status}` };
  const { connection } = run;
  const metrics = syncMetrics(deps);
  if (connection.status === 'disconnected' || connection.status === 'revoked') {
    await deps.db.prisma.syncRun.update({
      where: { id: runId },
      data: { status: 'failed', error: `connection is ${connection.status}`, finishedAt: new Date() },
    });
    return { status: 'skipped', reason: `connection ${connection.status}` };
  }

  const locked = await deps.platform.locks.withLock(`sync:${connection.id}`, SYNC_LOCK_TTL_MS, async () => {
    const startedAt = new Date();
    await deps.db.prisma.syncRun.update({
      where: { id: runId },
      data: { status: 'running', startedAt, error: null },
    });
    const progress = async (p: SyncProgress) => {
      await deps.db.prisma.syncRun.update({
        where: { id: runId },
        data: { progress: p as unknown as Prisma.InputJsonValue, itemsFetched: p.items },
      });
      await reportProgress?.(p);
    };
    try {
      let outcome: SyncOutcome;
      if (connection.provider === 'whoop') {
        const now = Date.now();
        const start =
          range?.start ??
          (run.kind === 'backfill'
            ? new Date(now - WHOOP_BACKFILL_DAYS * 86_400_000)
            : new Date(
                Math.max(
                  (connection.lastSyncAt?.getTime() ?? now - FIRST_SYNC_MS) - OVERLAP_MS,
                  now - WHOOP_BACKFILL_DAYS * 86_400_000,
                ),
              ));
        outcome = await syncWhoopRange({
          deps,
          api: whoopSession(deps, connection.id),
          connection,
          start,
          end: range?.end,
          onProgress: progress,
        });
      } else {
        const api = garminSession(deps, connection.id);
        const permissions = await api.call((c) => c.getPermissions());
        await deps.db.prisma.providerConnection.update({
          where: { id: connection.id },
          data: { scopes: permissions },
        });
        const days = run.kind === 'backfill' ? GARMIN_BACKFILL_DAYS : GARMIN_RECENT_DAYS;
        const now = new Date();
        const requested = await requestGarminBackfill({ deps, api, days, now, onProgress: progress });
        if (requested.accepted === 0) {
          // Every request was a repeat (409): Garmin sends a window's data once, so none will come.
          await deps.db.prisma.syncRun.update({
            where: { id: runId },
            data: {
              status: 'succeeded',
              finishedAt: new Date(),
              itemsFetched: 0,
              progress: {
                phase: 'nothing new to ask: Garmin was already asked for these days and sends them once',
                done: 1,
                total: 1,
                unit: 'run',
                items: 0,
              },
            },
          });
          return { status: 'succeeded' as const, items: 0 };
        }
        // Garmin answered the requests; the data comes later by ping/push. The run waits for it
        // (docs/ARCHITECTURE.md, "Long work shows progress").
        const day = 86_400_000;
        const end = Math.floor(now.getTime() / day) * day + day;
        const wait: GarminWaitProgress = {
          phase: WAITING_PHASE,
          done: 0,
          total: days,
          unit: 'days',
          items: 0,
          from: new Date(end - (days + 1) * day).toISOString().slice(0, 10),
          to: new Date(end + day).toISOString().slice(0, 10),
          dates: [],
          waitingSince: new Date().toISOString(),
          lastDataAt: null,
          quietS: deps.config.GARMIN_BACKFILL_QUIET_SECONDS,
          maxWaitS: deps.config.GARMIN_BACKFILL_MAX_WAIT_SECONDS,
        };
        await deps.db.prisma.syncRun.update({
          where: { id: runId },
          data: { status: 'waiting', itemsFetched: 0, progress: wait as unknown as Prisma.InputJsonValue },
        });
        await deps.db.prisma.providerConnection.update({
          where: { id: connection.id },
          data: { lastSyncAt: startedAt, lastError: null, status: 'active' },
        });
        await enqueue(
          deps,
          garminBackfillSettleJob,
          { runId },
          { delayMs: wait.maxWaitS * 1000 + 50, jobId: `garmin-settle-${runId}-0` },
        );
        return { status: 'waiting' as const, items: requested.accepted };
      }
      const finishedAt = new Date();
      await deps.db.prisma.syncRun.update({
        where: { id: runId },
        data: {
          status: 'succeeded',
          finishedAt,
          itemsFetched: outcome.items,
          progress: {
            phase: 'done',
            done: 1,
            total: 1,
            unit: 'run',
            items: outcome.items,
            days: outcome.dates.length,
            sessions: outcome.sessions,
          },
        },
      });
      await deps.db.prisma.providerConnection.update({
        where: { id: connection.id },
        data: { lastSyncAt: startedAt, lastError: null, status: 'active' },
      });
      metrics.items.inc({ provider: connection.provider, kind: run.kind }, outcome.items);
      metrics.runs.inc({ provider: connection.provider, outcome: 'succeeded' });
      if (outcome.items > 0) await refreshAthleteCache(deps, connection.userId);
      return { status: 'succeeded' as const, items: outcome.items };
    } catch (err) {
      const message = describeSyncError(err);
      const final = err instanceof ProviderAuthError || attempt >= maxAttempts;
      await deps.db.prisma.syncRun.update({
        where: { id: runId },
        data: final
          ? { status: 'failed', error: message, finishedAt: new Date() }
          : { status: 'queued', error: `attempt ${attempt} failed: ${message}` },
      });
      if (final) {
        metrics.failures.inc({ provider: connection.provider });
        metrics.runs.inc({ provider: connection.provider, outcome: 'failed' });
        await deps.db.prisma.providerConnection.update({
          where: { id: connection.id },
          data: {
            lastError: message,
            ...(err instanceof ProviderAuthError ? { status: 'error' as const } : {}),
          },
        });
      }
      // Refused credentials will not heal by retrying: the user has to reconnect.
      if (err instanceof ProviderAuthError) return { status: 'failed' as const, reason: message };
      throw err;
    }
  });
  if (locked.acquired) return locked.value;

  if (run.kind === 'backfill') return { status: 'deferred', reason: 'another sync holds the lock' };
  await deps.db.prisma.syncRun.update({
    where: { id: runId },
    data: {
      status: 'succeeded',
      finishedAt: new Date(),
      progress: { phase: 'coalesced', done: 1, total: 1, unit: 'run', items: 0 },
    },
  });
  return { status: 'coalesced', reason: 'another sync of this connection was running' };
}
