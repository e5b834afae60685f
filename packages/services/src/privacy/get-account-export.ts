import type { AccountExport } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { readAccountExport } from './account-export-store.ts';

/** `GET /api/v1/me/exports/:id`: the report of one's own export (404 for anyone else's). */
export async function getAccountExport({
  deps,
  userId,
  exportId,
}: {
  deps: Pick<Deps, 'platform'>;
  userId: string;
  exportId: string;
}): Promise<AccountExport> {
  const report = await readAccountExport(deps, userId, exportId);
  if (!report) throw new AppError('NOT_FOUND', 'Export not found (only the three newest are kept)');
  return report;
}
