import { randomUUID } from 'node:crypto';
import { pipeline, type Readable, Transform } from 'node:stream';
import type { BulkImport } from '@athlete/contracts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueue, JobPriority } from '../../jobs/define.ts';
import { bulkImportZipKey, writeBulkImport } from './bulk-import-store.ts';
import { bulkImportJob } from './jobs.ts';

/** A ZIP starts with a local file header, or is an empty archive (end of central directory). */
const isZip = (b: Buffer) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);

/** Passes the bytes through once their first four show a ZIP; fails the stream otherwise. */
function zipOnly(filename: string | undefined): Transform {
  let head: Buffer | undefined = Buffer.alloc(0);
  const notZip = () =>
    new AppError(
      'INVALID_FILE',
      `${filename ?? 'file'}: not a ZIP archive (send activity files one by one to /imports)`,
      { field: 'file', reason: 'NOT_ZIP' },
    );
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (head === undefined) return done(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) return done();
      if (!isZip(head)) return done(notZip());
      const first = head;
      head = undefined;
      done(null, first);
    },
    flush(done) {
      done(head === undefined ? null : notZip());
    },
  });
}

/**
 * `POST /api/v1/imports/bulk`: streams the ZIP into the object store (never whole in memory:
 * an export can be gigabytes) and queues its import as a background job; answers at once with
 * the report, which the job fills in file by file. When `file` fails (too large, cut off, not a
 * ZIP) its error is thrown and nothing is stored.
 */
export async function startBulkImport({
  deps,
  userId,
  filename,
  file,
}: {
  deps: Deps;
  userId: string;
  filename: string | undefined;
  file: Readable;
}): Promise<BulkImport> {
  const id = randomUUID();
  const key = bulkImportZipKey(userId, id);
  // pipeline hands the upload's own failure (or the check's) to the store as the body's error.
  const body = pipeline(file, zipOnly(filename), () => {});
  try {
    await deps.platform.objects.put(key, body, { contentType: 'application/zip' });
  } catch (err) {
    // A store that kept a part (it should not) would leave it under the account until deletion.
    await deps.platform.objects.delete(key).catch(() => {});
    throw err;
  }
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
