import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { BulkImport, BulkImportFile } from '@athlete/contracts';
import type { Entry, ZipFile } from 'yauzl';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { invalidateAthleteCache } from '../../sessions/range.ts';
import { importActivityFile } from '../import-activity-file.ts';
import { activityNamesFromCsv } from './activity-names.ts';
import { bulkImportZipKey, readBulkImport, writeBulkImport } from './bulk-import-store.ts';
import { openStoredZip } from './stored-zip.ts';

const ACTIVITY_FILE = /\.(fit|gpx|tcx)(\.gz)?$/i;
/** More entries than this are not read (a Strava export of 15 years holds a few thousand). */
export const BULK_IMPORT_MAX_FILES = 10_000;
/** The report is rewritten at most this often while files are imported. */
const REPORT_EVERY_MS = 1_000;

/** Every entry's central-directory record (names and sizes; no file data is read). */
async function entriesOf(zip: ZipFile): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const entry of zip.eachEntry()) entries.push(entry);
  return entries;
}

/** One entry's bytes, inflated; yauzl fails the stream if it holds more than it declares. */
async function entryBytes(zip: ZipFile, entry: Entry): Promise<Buffer> {
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The `imports.bulk` job: every FIT/GPX/TCX entry of the ZIP (gzipped ones too, as in a Strava
 * export) through the same import as a single upload, one at a time in the ZIP's order. The ZIP
 * is read in place from the object store, entry by entry, so memory holds one file at a time
 * however large the archive. A file imported before or covering the time of a stored session is
 * reported as a duplicate naming it; a file that cannot be read is reported as failed with the
 * reason; neither stops the job. Names from `activities.csv` replace the file's own. Entries
 * that are not activity files are counted as skipped.
 */
export async function runBulkImport({
  deps,
  userId,
  bulkImportId,
  onProgress,
}: {
  deps: Deps;
  userId: string;
  bulkImportId: string;
  onProgress?: (p: { done: number; total: number }) => Promise<void>;
}): Promise<{ imported: number; duplicates: number; failed: number }> {
  const report = await readBulkImport(deps, userId, bulkImportId);
  if (!report) throw new Error(`bulk import ${bulkImportId} has no report`);
  const key = bulkImportZipKey(userId, bulkImportId);
  const limit = deps.config.UPLOAD_LIMIT_BYTES;

  let zip: ZipFile | undefined;
  let entries: Entry[];
  try {
    zip = await openStoredZip({ objects: deps.platform.objects, key });
    if (!zip) return finish(deps, userId, report, 'the uploaded ZIP is no longer stored');
    entries = await entriesOf(zip);
  } catch (err) {
    zip?.close();
    return finish(deps, userId, report, `the ZIP cannot be read: ${(err as Error).message}`);
  }
  try {
    const files = entries.filter(
      (e) => ACTIVITY_FILE.test(e.fileName) && !/(^|\/)(__MACOSX|\.)/.test(e.fileName),
    );
    const csv = entries.find((e) => /(^|\/)activities\.csv$/i.test(e.fileName));
    const csvBytes =
      csv && csv.uncompressedSize <= limit ? await entryBytes(zip, csv).catch(() => undefined) : undefined;
    const names = csvBytes ? activityNamesFromCsv(csvBytes.toString('utf8')) : new Map<string, string>();
    const csvDir = csv ? posix.dirname(csv.fileName) : '.';

    const done = new Set(report.results.map((r) => r.file));
    Object.assign(report, {
      status: 'running',
      total: Math.min(files.length, BULK_IMPORT_MAX_FILES),
      skipped: entries.filter((e) => !e.fileName.endsWith('/') && e !== csv).length - files.length,
    });
    await writeBulkImport(deps, userId, report);
    let lastWrite = Date.now();

    for (const entry of files.slice(0, BULK_IMPORT_MAX_FILES)) {
      if (done.has(entry.fileName)) continue;
      const name = names.get(posix.relative(csvDir, entry.fileName)) ?? names.get(entry.fileName) ?? null;
      const result = await importEntry(deps, userId, zip, entry, name, limit);
      report.results.push(result);
      report.done = report.results.length;
      report[
        result.status === 'imported' ? 'imported' : result.status === 'duplicate' ? 'duplicates' : 'failed'
      ] += 1;
      if (Date.now() - lastWrite >= REPORT_EVERY_MS) {
        await writeBulkImport(deps, userId, report);
        await onProgress?.({ done: report.done, total: report.total ?? 0 });
        lastWrite = Date.now();
      }
    }
    if (files.length > BULK_IMPORT_MAX_FILES) {
      report.error = `the ZIP holds ${files.length} activity files; the first ${BULK_IMPORT_MAX_FILES} were imported`;
    }
  } finally {
    zip.close();
  }
  await finish(deps, userId, report, null);
  await deps.platform.objects.delete(key);
  await invalidateAthleteCache(deps, userId);
  return { imported: report.imported, duplicates: report.duplicates, failed: report.failed };
}

async function importEntry(
  deps: Deps,
  userId: string,
  zip: ZipFile,
  entry: Entry,
  name: string | null,
  limit: number,
): Promise<BulkImportFile> {
  const result = (status: BulkImportFile['status'], message: string | null, sessionIds: string[] = []) => ({
    file: entry.fileName,
    status,
    sessionIds,
    name,
    message,
  });
  const tooLarge = () => result('failed', `larger than ${limit} bytes uncompressed`);
  if (entry.uncompressedSize > limit) return tooLarge();
  try {
    let bytes: Buffer;
    try {
      bytes = await entryBytes(zip, entry);
    } catch (err) {
      return result('failed', `could not be read from the ZIP: ${(err as Error).message}`);
    }
    if (/\.gz$/i.test(entry.fileName)) {
      try {
        // Bounded whatever the gzip trailer claims: a small .gz can inflate to gigabytes.
        bytes = gunzipSync(bytes, { maxOutputLength: limit });
      } catch (err) {
        if (err instanceof RangeError) return tooLarge();
        return result('failed', `not a readable gzip file: ${(err as Error).message}`);
      }
    }
    const { sessions } = await importActivityFile({
      deps,
      userId,
      filename: posix.basename(entry.fileName).replace(/\.gz$/i, ''),
      bytes,
    });
    const ids = sessions.map((s) => s.id);
    if (name !== null) {
      await deps.db.prisma.trainingSession.updateMany({ where: { id: { in: ids } }, data: { name } });
    }
    return result('imported', null, ids);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFLICT') {
      const sessionId = (err.details as { sessionId?: unknown } | undefined)?.sessionId;
      return result('duplicate', err.message, typeof sessionId === 'string' ? [sessionId] : []);
    }
    if (err instanceof AppError && err.status < 500) return result('failed', err.message);
    deps.log.error({ err, file: entry.fileName }, 'bulk import: a file failed unexpectedly');
    return result('failed', 'could not be imported because of a server error (logged for the operator)');
  }
}

async function finish(
  deps: Deps,
  userId: string,
  report: BulkImport,
  error: string | null,
): Promise<{ imported: number; duplicates: number; failed: number }> {
  report.status = error === null ? 'succeeded' : 'failed';
  report.error = error ?? report.error;
  report.finishedAt = new Date().toISOString();
  await writeBulkImport(deps, userId, report);
  return { imported: report.imported, duplicates: report.duplicates, failed: report.failed };
}
