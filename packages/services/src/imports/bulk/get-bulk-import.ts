import type { BulkImport } from '@athlete/contracts';
import type { UserPrincipal } from '../../access/index.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { readBulkImport } from './bulk-import-store.ts';

/** `GET /api/v1/imports/bulk/:id`: the report of one's own bulk import (404 for anyone else's). */
export async function getBulkImport({
  deps,
  principal,
  bulkImportId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  bulkImportId: string;
}): Promise<BulkImport> {
  const report = await readBulkImport(deps, principal.userId, bulkImportId);
  if (!report) throw new AppError('NOT_FOUND', 'Bulk import not found');
  return report;
}
