import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { SAMPLE_COLUMNS } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { counter } from '../metrics.ts';

/** The archive CSV keeps the table's column order so it loads back with COPY. */
const CSV_COLUMNS = SAMPLE_COLUMNS;

/** Rows per keyset page: bounds memory per round trip on Postgres and PGlite alike. */
const PAGE = 10_000;
const PARTITION_NAME = /^samples_y(\d{4})m(\d{2})$/;

export interface SamplePartitionInfo {
  name: string;
  /** First instant of the month (UTC). */
  from: Date;
  /** First instant of the next month (UTC). */
  to: Date;
}

export interface ArchivedPartition {
  name: string;
  key: string;
  rows: number;
  bytes: number;
}

export const SAMPLE_ARCHIVE_PREFIX = 'archive/samples/';
/** Held while partitions are archived and while archives are rewritten, so neither loses the other's work. */
export const SAMPLE_ARCHIVE_LOCK = 'maintenance:sample-partitions';
export const SAMPLE_ARCHIVE_LOCK_TTL_MS = 600_000;
export const archiveKeyFor = (from: Date) =>
  `${SAMPLE_ARCHIVE_PREFIX}${from.getUTCFullYear()}-${String(from.getUTCMonth() + 1).padStart(2, '0')}.csv.gz`;

/** The monthly partitions of `samples`, oldest first. */
export async function listSamplePartitions({
  deps,
}: {
  deps: Pick<Deps, 'db'>;
}): Promise<SamplePartitionInfo[]> {
  const rows = await deps.db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'samples'::regclass ORDER BY c.relname`,
  );
  const parts: SamplePartitionInfo[] = [];
  for (const { name } of rows) {
    const m = PARTITION_NAME.exec(name);
    if (!m) continue;
    const year = Number(m[1]);
    const month = Number(m[2]) - 1;
    parts.push({
      name,
      from: new Date(Date.UTC(year, month, 1)),
      to: new Date(Date.UTC(year, month + 1, 1)),
    });
  }
  return parts;
}

/** First instant of the month `months` months before the month of `now` (UTC). */
export function retentionCutoff(now: Date, months: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\n\r]/.test(value) || value === '' ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One page of a partition as CSV lines; every value formatted by Postgres as text. */
async function readPage(
  deps: Pick<Deps, 'db'>,
  partition: string,
  after: { athleteId: string; ts: string } | null,
): Promise<{ csv: string; count: number; last: { athleteId: string; ts: string } | null }> {
  const select = `SELECT athlete_id::text AS athlete_id,
      to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts,
      session_id::text AS session_id, seq::text AS seq, hr::text AS hr, rr::text AS rr,
      speed::text AS speed, cadence::text AS cadence, power::text AS power, distance::text AS distance,
      lat::text AS lat, lon::text AS lon, alt::text AS alt
    FROM "${partition}"`;
  const rows = after
    ? await deps.db.query<Record<(typeof CSV_COLUMNS)[number], string | null>>(
        `${select} WHERE (athlete_id, ts) > ($1::uuid, $2::timestamptz) ORDER BY athlete_id, ts LIMIT ${PAGE}`,
        [after.athleteId, after.ts],
      )
    : await deps.db.query<Record<(typeof CSV_COLUMNS)[number], string | null>>(
        `${select} ORDER BY athlete_id, ts LIMIT ${PAGE}`,
      );
  let csv = '';
  for (const row of rows) csv += `${CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\n`;
  const tail = rows.at(-1);
  return { csv, count: rows.length, last: tail ? { athleteId: tail.athlete_id!, ts: tail.ts! } : null };
}

/**
 * Archives one partition as gzip CSV (header + one line per sample) at
 * `archive/samples/YYYY-MM.csv.gz`. When an archive of that month already exists (late samples
 * recreated the partition after it was retired), the new rows are appended as a further gzip
 * member, so the object stays one valid gzip stream and nothing archived before is lost.
 */
async function archivePartition(
  deps: Pick<Deps, 'db' | 'platform'>,
  part: SamplePartitionInfo,
): Promise<ArchivedPartition & { previous: Buffer | undefined }> {
  const key = archiveKeyFor(part.from);
  const existing = await deps.platform.objects.get(key);
  const chunks: Buffer[] = [];
  let text = existing ? '' : `${CSV_COLUMNS.join(',')}\n`;
  let rows = 0;
  let after: { athleteId: string; ts: string } | null = null;
  for (;;) {
    const page = await readPage(deps, part.name, after);
    rows += page.count;
    text += page.csv;
    if (text.length > 8 * 1024 * 1024) {
      chunks.push(gzipSync(text));
      text = '';
    }
    if (page.count < PAGE || !page.last) break;
    after = page.last;
  }
  if (text) chunks.push(gzipSync(text));
  const body = Buffer.concat(existing ? [existing, ...chunks] : chunks);
  await deps.platform.objects.put(key, body, { contentType: 'application/gzip' });
  const stored = await deps.platform.objects.head(key);
  if (!stored || stored.size !== body.length) {
    throw new Error(
      `archive ${key} was not stored intact (${stored?.size ?? 'missing'} of ${body.length} bytes)`,
    );
  }
  return { name: part.name, key, rows, bytes: body.length, previous: existing };
}

/**
 * Detaches and drops a partition, but only if it still holds exactly the rows archived: a late
 * write between archiving and dropping aborts the drop (the next run archives it again).
 */
async function dropPartition(deps: Pick<Deps, 'db'>, name: string, archivedRows: number): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('samples_partitions'))`);
    await tx.query(`LOCK TABLE "${name}" IN ACCESS EXCLUSIVE MODE`);
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    if ((count?.n ?? -1) !== archivedRows) return false;
    await tx.query(`ALTER TABLE samples DETACH PARTITION "${name}"`);
    await tx.query(`DROP TABLE "${name}"`);
    return true;
  });
}

export interface RetireSamplePartitionsResult {
  cutoff: Date;
  archived: ArchivedPartition[];
  /** Kept (archive left as it was) because rows arrived while archiving; retried next run. */
  skipped: string[];
}

/**
 * Retention for samples: every monthly partition that ends on or before the cutoff (the start
 * of the month `retentionMonths` before now) is archived to the object store, verified, then
 * detached and dropped. retentionMonths 0 keeps everything.
 */
export async function retireSamplePartitions({
  deps,
  retentionMonths = deps.config.SAMPLE_RETENTION_MONTHS,
  now = new Date(),
}: {
  deps: Pick<Deps, 'db' | 'platform' | 'config' | 'log' | 'metrics'>;
  retentionMonths?: number;
  now?: Date;
}): Promise<RetireSamplePartitionsResult> {
  const cutoff = retentionCutoff(now, retentionMonths);
  const result: RetireSamplePartitionsResult = { cutoff, archived: [], skipped: [] };
  if (retentionMonths <= 0) return result;
  const archivedTotal = counter(
    deps.metrics,
    'ap_maintenance_partitions_archived_total',
    'Sample partitions archived to the object store and dropped',
  );
  for (const part of await listSamplePartitions({ deps })) {
    if (part.to > cutoff) continue;
    const { previous, ...archived } = await archivePartition(deps, part);
    if (await dropPartition(deps, part.name, archived.rows)) {
      result.archived.push(archived);
      archivedTotal.inc();
      deps.log.info(
        { partition: part.name, key: archived.key, rows: archived.rows },
        'sample partition archived',
      );
    } else {
      // The rows stay in the partition and the next run archives them again: put the archive
      // back as it was, or they would be in it twice.
      if (previous)
        await deps.platform.objects.put(archived.key, previous, { contentType: 'application/gzip' });
      else await deps.platform.objects.delete(archived.key);
      result.skipped.push(part.name);
      deps.log.warn(
        { partition: part.name },
        'samples arrived while archiving; partition kept for the next run',
      );
    }
  }
  return result;
}

/** Reads an archive back into CSV text (every gzip member, header first). */
export function readSampleArchive(body: Buffer): string {
  return gunzipSync(body).toString('utf8');
}

/**
 * Removes an athlete's rows from every sample archive (account deletion): each archive holding
 * any is rewritten without them. Lines are streamed so a month never sits uncompressed in
 * memory. Returns how many rows were removed.
 */
export async function purgeAthleteFromSampleArchives({
  deps,
  athleteId,
}: {
  deps: Pick<Deps, 'platform'>;
  athleteId: string;
}): Promise<number> {
  const { objects } = deps.platform;
  // athlete_id is the first CSV column and a uuid, so it is never quoted.
  const theirs = `${athleteId},`;
  let removed = 0;
  for await (const { key } of objects.list(SAMPLE_ARCHIVE_PREFIX)) {
    const body = await objects.get(key);
    if (!body) continue;
    const kept: Buffer[] = [];
    let text = '';
    let dropped = 0;
    const lines = createInterface({ input: Readable.from([body]).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.startsWith(theirs)) {
        dropped++;
        continue;
      }
      text += `${line}\n`;
      if (text.length > 8 * 1024 * 1024) {
        kept.push(gzipSync(text));
        text = '';
      }
    }
    if (dropped === 0) continue;
    if (text) kept.push(gzipSync(text));
    await objects.put(key, Buffer.concat(kept), { contentType: 'application/gzip' });
    removed += dropped;
  }
  return removed;
}
