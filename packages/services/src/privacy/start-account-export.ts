import { randomUUID } from 'node:crypto';
import type { AccountExport } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { enqueue, JobPriority } from '../jobs/define.ts';
import {
  deleteAccountExport,
  listAccountExports,
  queuedAccountExport,
  writeAccountExport,
} from './account-export-store.ts';
import { accountExportJob } from './privacy-jobs.ts';

/** Finished exports kept per account (older ones are removed when a new one starts). */
export const ACCOUNT_EXPORTS_KEPT = 3;
/** An export unfinished after this long was lost with its worker: it no longer blocks a new one. */
const STALE_MS = 30 * 60_000;

/**
 * `POST /api/v1/me/exports`: queues the build of the account's export ZIP as a background job
 * and answers at once with its report, which the job fills in part by part. One at a time: a
 * second request while one is queued or running gets that one back.
 */
export async function startAccountExport({
  deps,
  userId,
}: {
  deps: Deps;
  userId: string;
}): Promise<AccountExport> {
  const existing = await listAccountExports(deps, userId);
  const unfinished = existing.find(
    (e) =>
      (e.status === 'queued' || e.status === 'running') && Date.now() - Date.parse(e.createdAt) < STALE_MS,
  );
  if (unfinished) return unfinished;
  for (const old of existing.slice(ACCOUNT_EXPORTS_KEPT - 1)) await deleteAccountExport(deps, userId, old.id);
  const report = queuedAccountExport(randomUUID());
  await writeAccountExport(deps, userId, report);
  try {
    await enqueue(deps, accountExportJob, { userId, exportId: report.id }, { priority: JobPriority.user });
  } catch (err) {
    await deleteAccountExport(deps, userId, report.id);
    deps.log.error({ err }, 'account export could not be queued');
    throw new AppError('SERVICE_UNAVAILABLE', 'The export could not be started; try again in a minute');
  }
  return report;
}
