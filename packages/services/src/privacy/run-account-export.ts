import type { AccountExport } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { accountExportZipKey, readAccountExport, writeAccountExport } from './account-export-store.ts';
import { type ExportProgress, exportAccount } from './export-account.ts';

/** The report is rewritten at most this often while the ZIP is written. */
const REPORT_EVERY_MS = 500;

/**
 * The `privacy.account-export` job: streams {@link exportAccount} into the object store, writing
 * `done` of `total` parts to the report as it goes, then the ZIP's size. A failure is reported
 * in words and logged; the user can start another export.
 */
export async function runAccountExport({
  deps,
  userId,
  exportId,
  onProgress,
}: {
  deps: Deps;
  userId: string;
  exportId: string;
  onProgress?: (p: ExportProgress) => Promise<void>;
}): Promise<AccountExport> {
  const report = await readAccountExport(deps, userId, exportId);
  if (!report) throw new Error(`account export ${exportId} has no report`);
  Object.assign(report, { status: 'running', phase: 'counting what to export' });
  await writeAccountExport(deps, userId, report);
  let lastWrite = 0;
  const progress = async (p: ExportProgress) => {
    Object.assign(report, { done: p.done, total: p.total, phase: p.phase });
    await onProgress?.(p);
    if (Date.now() - lastWrite >= REPORT_EVERY_MS) {
      await writeAccountExport(deps, userId, report);
      lastWrite = Date.now();
    }
  };
  const key = accountExportZipKey(userId, exportId);
  try {
    await deps.platform.objects.put(key, await exportAccount({ deps, userId, onProgress: progress }), {
      contentType: 'application/zip',
    });
    const info = await deps.platform.objects.head(key);
    Object.assign(report, { status: 'succeeded', bytes: info?.size ?? null, phase: 'ready to download' });
  } catch (err) {
    deps.log.error({ err, exportId }, 'account export failed');
    Object.assign(report, {
      status: 'failed',
      phase: 'failed',
      error:
        'The export could not be built because of a server error (logged for the operator). Start it again.',
    });
  }
  report.finishedAt = new Date().toISOString();
  await writeAccountExport(deps, userId, report);
  return report;
}
