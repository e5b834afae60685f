import type { BulkImport } from '@athlete/contracts';
import type { Deps } from '../../deps.ts';

/** Under the account's prefix, so account deletion removes the ZIP and its report too. */
export const bulkImportZipKey = (userId: string, id: string) => `accounts/${userId}/imports/bulk/${id}.zip`;
const statusKey = (userId: string, id: string) => `accounts/${userId}/imports/bulk/${id}.json`;

/** The job's report: one JSON object, replaced whole (object store writes are atomic). */
export async function readBulkImport(
  deps: Pick<Deps, 'platform'>,
  userId: string,
  id: string,
): Promise<BulkImport | undefined> {
  const raw = await deps.platform.objects.get(statusKey(userId, id));
  return raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as BulkImport);
}

export async function writeBulkImport(
  deps: Pick<Deps, 'platform'>,
  userId: string,
  report: BulkImport,
): Promise<void> {
  await deps.platform.objects.put(statusKey(userId, report.id), JSON.stringify(report), {
    contentType: 'application/json',
  });
}
