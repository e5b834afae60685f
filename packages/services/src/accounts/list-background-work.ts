import type { BackgroundWork, BulkImport } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { readBulkImport } from '../imports/bulk/bulk-import-store.ts';
import { toSyncRunView } from '../integrations/integration-views.ts';
import { listAccountExports } from '../privacy/account-export-store.ts';

/** Items listed per kind (the newest). */
const PER_KIND = 10;
const PROVIDER_NAMES: Record<string, string> = { garmin: 'Garmin', whoop: 'WHOOP' };

const progressOf = (
  done: number,
  total: number | null | undefined,
  unit: string,
): BackgroundWork['progress'] =>
  total === null || total === undefined
    ? null
    : { done, total, unit, percent: total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : null };

const withPercent = (p: NonNullable<BackgroundWork['progress']>) =>
  p.percent === null
    ? `${p.done} of ${p.total} ${p.unit}`
    : `${p.done} of ${p.total} ${p.unit} (${p.percent}%)`;

/**
 * `GET /api/v1/me/background-work`: every background job the user started (account exports,
 * bulk imports, manual syncs and backfills), newest first, each with its state in words and,
 * where the job knows it, `done` of `total` and the percent (floor(100 · done / total)). The
 * reports are the jobs' own (export and bulk-import reports, sync runs): nothing is counted twice.
 */
export async function listBackgroundWork({
  deps,
  userId,
}: {
  deps: Pick<Deps, 'db' | 'platform'>;
  userId: string;
}): Promise<BackgroundWork[]> {
  const work: BackgroundWork[] = [];

  for (const e of (await listAccountExports(deps, userId)).slice(0, PER_KIND)) {
    const progress = progressOf(e.done, e.total, 'parts');
    work.push({
      id: e.id,
      kind: 'export',
      title: 'Account export',
      status: e.status,
      detail:
        e.status === 'queued'
          ? 'Waiting for a worker'
          : e.status === 'running'
            ? `Writing ${e.phase}${progress ? `: ${withPercent(progress)}` : ''}`
            : e.status === 'succeeded'
              ? `Ready to download: ${progress ? withPercent(progress) : ''} · ${Math.max(1, Math.round((e.bytes ?? 0) / 1024))} KB`
              : 'Failed',
      progress,
      createdAt: e.createdAt,
      finishedAt: e.finishedAt,
      error: e.error,
      downloadUrl: e.status === 'succeeded' ? `/api/v1/me/exports/${e.id}/download` : null,
    });
  }

  const bulk: BulkImport[] = [];
  for await (const o of deps.platform.objects.list(`accounts/${userId}/imports/bulk/`)) {
    const id = /([0-9a-f-]{36})\.json$/.exec(o.key)?.[1];
    const report = id ? await readBulkImport(deps, userId, id) : undefined;
    if (report) bulk.push(report);
  }
  bulk.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const b of bulk.slice(0, PER_KIND)) {
    const progress = progressOf(b.done, b.total, 'files');
    work.push({
      id: b.id,
      kind: 'bulk-import',
      title: `Import of ${b.filename ?? 'a ZIP'}`,
      status: b.status,
      detail:
        b.status === 'queued'
          ? 'Waiting for a worker'
          : `${progress ? withPercent(progress) : 'Reading the ZIP'} · ${b.imported} imported · ${b.duplicates} already there · ${b.failed} failed`,
      progress,
      createdAt: b.createdAt,
      finishedAt: b.finishedAt,
      error: b.error,
      downloadUrl: null,
    });
  }

  // Scheduled and webhook runs are the platform's own work, not something the user started.
  const runs = await deps.db.prisma.syncRun.findMany({
    where: { connection: { userId }, kind: { in: ['manual', 'backfill'] } },
    include: { connection: { select: { provider: true } } },
    orderBy: { createdAt: 'desc' },
    take: PER_KIND,
  });
  for (const run of runs) {
    const view = toSyncRunView(run);
    const provider = PROVIDER_NAMES[run.connection.provider] ?? run.connection.provider;
    const p = view.progress;
    const progress = p && p.total > 0 ? progressOf(p.done, p.total, p.unit) : null;
    work.push({
      id: run.id,
      kind: run.kind === 'backfill' ? 'backfill' : 'sync',
      title: run.kind === 'backfill' ? `${provider} history backfill` : `${provider} sync`,
      status: view.status,
      detail: syncDetail(view, provider, progress),
      progress,
      createdAt: view.createdAt,
      finishedAt: view.finishedAt,
      error: view.error,
      downloadUrl: null,
    });
  }
  return work.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

function syncDetail(
  run: ReturnType<typeof toSyncRunView>,
  provider: string,
  progress: BackgroundWork['progress'],
): string {
  if (run.status === 'queued') return 'Waiting for a worker';
  const items = `${run.itemsFetched} records received`;
  if (run.status === 'running')
    return `${run.progress?.phase ?? 'Starting'}${progress ? `: ${withPercent(progress)}` : ''} · ${items}`;
  if (run.status === 'waiting')
    return `Requests accepted; waiting for ${provider} to send the data: ${progress ? `${progress.done} of ${progress.total} days have data so far` : ''} · ${items}`;
  if (run.status === 'failed') return `Failed · ${items}`;
  // A Garmin run says why it ended (data stopped arriving, or the wait limit).
  const phase = run.progress?.phase ?? '';
  return `${/^(done|stopped)/.test(phase) ? phase[0]!.toUpperCase() + phase.slice(1) : 'Done'} · ${items}`;
}
