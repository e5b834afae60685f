import type { Integration, SyncRunView } from '@athlete/contracts';
import type { ProviderConnection, SyncRun } from '@athlete/db';
import type { ProviderId } from '../connections/provider-config.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function progressOf(value: unknown): SyncRunView['progress'] {
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    phase: typeof p.phase === 'string' ? p.phase : 'unknown',
    done: num(p.done),
    total: num(p.total),
    unit: typeof p.unit === 'string' ? p.unit : 'steps',
    items: num(p.items),
    ...(typeof p.waitingSince === 'string'
      ? {
          wait: {
            since: p.waitingSince,
            lastDataAt: typeof p.lastDataAt === 'string' ? p.lastDataAt : null,
            quietS: num(p.quietS),
            maxWaitS: num(p.maxWaitS),
            endedBecause: p.endedBecause === 'quiet' || p.endedBecause === 'timeout' ? p.endedBecause : null,
          },
        }
      : {}),
  };
}

export function toSyncRunView(run: SyncRun): SyncRunView {
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    progress: progressOf(run.progress),
    itemsFetched: run.itemsFetched,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

/** A connection as the browser may see it: status and runs, never token material. */
export function toIntegrationView(
  provider: ProviderId,
  configured: boolean,
  connection: (ProviderConnection & { syncRuns: SyncRun[] }) | null,
): Integration {
  if (!connection) {
    return {
      provider,
      configured,
      status: 'not_connected',
      providerUserId: null,
      scopes: [],
      connectedAt: null,
      lastSyncAt: null,
      lastError: null,
      currentRun: null,
      lastRun: null,
    };
  }
  const current = connection.syncRuns.find(
    (r) => r.status === 'queued' || r.status === 'running' || r.status === 'waiting',
  );
  const last = connection.syncRuns.find((r) => r.status === 'succeeded' || r.status === 'failed');
  return {
    provider,
    configured,
    status: connection.status,
    providerUserId: connection.providerUserId,
    scopes: connection.scopes,
    connectedAt: connection.createdAt.toISOString(),
    lastSyncAt: iso(connection.lastSyncAt),
    lastError: connection.lastError,
    currentRun: current ? toSyncRunView(current) : null,
    lastRun: last ? toSyncRunView(last) : null,
  };
}
