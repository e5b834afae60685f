import type { Readable } from 'node:stream';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { accountExportZipKey } from './account-export-store.ts';
import { getAccountExport } from './get-account-export.ts';

/** `GET /api/v1/me/exports/:id/download`: the built ZIP (409 while it is still being written). */
export async function openAccountExport({
  deps,
  userId,
  exportId,
}: {
  deps: Pick<Deps, 'platform'>;
  userId: string;
  exportId: string;
}): Promise<{ zip: Readable; createdAt: string }> {
  const report = await getAccountExport({ deps, userId, exportId });
  if (report.status !== 'succeeded') {
    throw new AppError(
      'CONFLICT',
      `The export is not ready yet: ${report.done} of ${report.total ?? '?'} parts written`,
    );
  }
  const zip = await deps.platform.objects.getStream(accountExportZipKey(userId, exportId));
  if (!zip) throw new AppError('NOT_FOUND', 'The export file is no longer stored; start a new export');
  return { zip, createdAt: report.createdAt };
}
