import type { SyncRunView } from '@athlete/contracts';
import type { ProviderId } from '../connections/provider-config.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { spendHourlyQuota } from '../quotas.ts';
import { startSyncRun } from '../sync/sync-jobs.ts';
import { toSyncRunView } from './integration-views.ts';

/**
 * "Sync now": queues a manual run at user priority, unless one is already pending (then that run
 * is returned). Limited to `SYNC_NOW_PER_HOUR` per user and hour, all providers together (429
 * with Retry-After beyond it); the provider budget is shared by everyone.
 */
export async function requestSync({
  deps,
  userId,
  provider,
}: {
  deps: Pick<Deps, 'config' | 'db' | 'platform'>;
  userId: string;
  provider: ProviderId;
}): Promise<SyncRunView> {
  // Two clicks at once must not queue two runs: decide under a short per-user lock.
  const lock = await deps.platform.locks.acquire(`sync-request:${userId}:${provider}`, 10_000, 10_000);
  if (!lock) throw new AppError('SERVICE_UNAVAILABLE', 'Another sync request is being handled; try again');
  try {
    return await queueManualRun(deps, userId, provider);
  } finally {
    await lock.release().catch(() => false);
  }
}

async function queueManualRun(
  deps: Pick<Deps, 'config' | 'db' | 'platform'>,
  userId: string,
  provider: ProviderId,
): Promise<SyncRunView> {
  const connection = await deps.db.prisma.providerConnection.findUnique({
    where: { userId_provider: { userId, provider } },
    include: {
      syncRuns: {
        where: { status: { in: ['queued', 'running', 'waiting'] } },
        orderBy: { createdAt: 'desc' },
        take: 1,
      },
    },
  });
  if (!connection || connection.status === 'disconnected' || connection.status === 'revoked') {
    throw new AppError('NOT_FOUND', `${provider} is not connected`);
  }
  const pending = connection.syncRuns[0];
  if (pending) return toSyncRunView(pending);
  await spendHourlyQuota(deps, {
    name: 'sync-now',
    userId,
    perHour: deps.config.SYNC_NOW_PER_HOUR,
    what: 'manual syncs',
  });
  const run = await startSyncRun({ deps, connectionId: connection.id, kind: 'manual' });
  return toSyncRunView(run);
}
