import { posix } from 'node:path';
import type { BulkImport, BulkImportFile } from '@athlete/contracts';
import { gunzipSync, type UnzipFileInfo, unzipSync } from 'fflate';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { invalidateAthleteCache } from '../../sessions/range.ts';
import { importActivityFile } from '../import-activity-file.ts';
import { activityNamesFromCsv } from './activity-names.ts';
import { bulkImportZipKey, readBulkImport, writeBulkImport } from './bulk-import-store.ts';

const ACTIVITY_FILE = /\.(fit|gpx|tcx)(\.gz)?$/i;
/** More entries than this are not read (a Strava export of 15 years holds a few thousand). */
export const BULK_IMPORT_MAX_FILES = 10_000;
/** The report is rewritten at most this often while files are imported. */
const REPORT_EVERY_MS = 1_000;

/** Lists a ZIP's entries without inflating any. */
function entriesOf(zip: Uint8Array): UnzipFileInfo[] {
  const entries: UnzipFileInfo[] = [];
  unzipSync(zip, {
    filter: (file) => {
      entries.push(file);
      return false;
    },
  });
  return entries;
}

/** One entry's bytes (only that one is inflated). */
function entryBytes(zip: Uint8Array, name: string): Uint8Array | undefined {
  return unzipSync(zip, { filter: (file) => file.name === name })[name];
}

/** The uncompressed size a gzip member declares in its trailer (ISIZE). */
const gzipSize = (gz: Uint8Array) =>
  gz.length < 18 ? 0 : new DataView(gz.buffer, gz.byteOffset + gz.length - 4, 4).getUint32(0, true);

/**
 * The `imports.bulk` job: every FIT/GPX/TCX entry of the ZIP (gzipped ones too, as in a Strava
 * export) through the same import as a single upload, one at a time in the ZIP's order. A file
 * imported before or covering the time of a stored session is reported as a duplicate naming
 * it; a file that cannot be read is reported as failed with the reason; neither stops the job.
 * Names from `activities.csv` replace the file's own. Entries that are not activity files are
 * counted as skipped.
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
  const zipBytes = await deps.platform.objects.get(bulkImportZipKey(userId, bulkImportId));
  if (!zipBytes) return finish(deps, userId, report, 'the uploaded ZIP is no longer stored');
  const zip = new Uint8Array(zipBytes);

  let entries: UnzipFileInfo[];
  try {
    entries = entriesOf(zip);
  } catch (err) {
    return finish(deps, userId, report, `the ZIP cannot be read: ${(err as Error).message}`);
  }
  const files = entries.filter((e) => ACTIVITY_FILE.test(e.name) && !/(^|\/)(__MACOSX|\.)/.test(e.name));
  const csv = entries.find((e) => /(^|\/)activities\.csv$/i.test(e.name));
  const csvBytes = csv ? entryBytes(zip, csv.name) : undefined;
  const names = csvBytes
    ? activityNamesFromCsv(new TextDecoder().decode(csvBytes))
    : new Map<string, string>();
  const csvDir = csv ? posix.dirname(csv.name) : '.';

  const limit = deps.config.UPLOAD_LIMIT_BYTES;
  const done = new Set(report.results.map((r) => r.file));
  Object.assign(report, {
    status: 'running',
    total: Math.min(files.length, BULK_IMPORT_MAX_FILES),
    skipped: entries.filter((e) => !e.name.endsWith('/') && e !== csv).length - files.length,
  });
  await writeBulkImport(deps, userId, report);
  let lastWrite = Date.now();

  for (const entry of files.slice(0, BULK_IMPORT_MAX_FILES)) {
    if (done.has(entry.name)) continue;
    const name = names.get(posix.relative(csvDir, entry.name)) ?? names.get(entry.name) ?? null;
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
  await finish(deps, userId, report, null);
  await deps.platform.objects.delete(bulkImportZipKey(userId, bulkImportId));
  await invalidateAthleteCache(deps, userId);
  return { imported: report.imported, duplicates: report.duplicates, failed: report.failed };
}

async function importEntry(
  deps: Deps,
  userId: string,
  zip: Uint8Array,
  entry: UnzipFileInfo,
  name: string | null,
  limit: number,
): Promise<BulkImportFile> {
  const result = (status: BulkImportFile['status'], message: string | null, sessionIds: string[] = []) => ({
    file: entry.name,
    status,
    sessionIds,
    name,
    message,
  });
  if (entry.originalSize > limit) return result('failed', `larger than ${limit} bytes uncompressed`);
  try {
    let bytes = entryBytes(zip, entry.name);
    if (!bytes) return result('failed', 'could not be read from the ZIP');
    if (/\.gz$/i.test(entry.name)) {
      if (gzipSize(bytes) > limit) return result('failed', `larger than ${limit} bytes uncompressed`);
      bytes = gunzipSync(bytes);
    }
    const { sessions } = await importActivityFile({
      deps,
      userId,
      filename: posix.basename(entry.name).replace(/\.gz$/i, ''),
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
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
    deps.log.error({ err, file: entry.name }, 'bulk import: a file failed unexpectedly');
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
