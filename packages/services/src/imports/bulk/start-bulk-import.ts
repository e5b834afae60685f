import { randomUUID } from 'node:crypto';
import type { BulkImport } from '@athlete/contracts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueue, JobPriority } from '../../jobs/define.ts';
import { bulkImportZipKey, writeBulkImport } from './bulk-import-store.ts';
import { bulkImportJob } from './jobs.ts';

/** A ZIP starts with a local file header, or is an empty archive (end of central directory). */
const isZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);

/**
 * `POST /api/v1/imports/bulk`: keeps the ZIP in the object store and queues its import as a
 * background job; answers at once with the report, which the job fills in file by file.
 */
export async function startBulkImport({
  deps,
  userId,
  filename,
  bytes,
}: {
  deps: Deps;
  userId: string;
  filename: string | undefined;
  bytes: Buffer;
}): Promise<BulkImport> {
  if (!isZip(bytes)) {
    throw new AppError(
      'INVALID_FILE',
      `${filename ?? 'file'}: not a ZIP archive (send activity files one by one to /imports)`,
      {
        field: 'file',
        reason: 'NOT_ZIP',
      },
    );
  }
  const id = randomUUID();
  await deps.platform.objects.put(bulkImportZipKey(userId, id), bytes, { contentType: 'application/zip' });
  const report: BulkImport = {
    id,
    status: 'queued',
    filename: filename ?? null,
    createdAt: new Date().toISOString(),
    finishedAt: null,
    total: null,
    done: 0,
    imported: 0,
    duplicates: 0,
    failed: 0,
    skipped: 0,
    error: null,
    results: [],
  };
  await writeBulkImport(deps, userId, report);
  await enqueue(deps, bulkImportJob, { userId, bulkImportId: id }, { priority: JobPriority.user });
  return report;
}
