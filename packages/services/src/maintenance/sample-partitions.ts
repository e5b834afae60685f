import { createInterface } from 'node:readline';
import { pipeline, Readable, Transform } from 'node:stream';
import { createGunzip, createGzip, gunzipSync } from 'node:zlib';
import { SAMPLE_COLUMNS } from '@athlete/db';
import type { ObjectStore } from '@athlete/platform';
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

/** Ends a pipeline whose failure its last stream reports (destroyed with the error). */
const reportedByLastStream = () => {};

/** Counts the bytes passing through; with `expected`, fails at the end on any other count. */
function byteCounter(expected?: { bytes: number; of: string }): Transform & { bytes: number } {
  const counter = Object.assign(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        counter.bytes += chunk.length;
        done(null, chunk);
      },
      flush(done) {
        if (!expected || counter.bytes === expected.bytes) done();
        else done(new Error(`${expected.of} ended after ${counter.bytes} of ${expected.bytes} bytes`));
      },
    }),
    { bytes: 0 },
  );
  return counter;
}

/**
 * An archive's bytes as stored, streamed, with their count (undefined when there is none). The
 * stream fails unless exactly that many bytes arrive: an archive is rewritten from what is read,
 * and a connection cut at a gzip member's end would otherwise pass for the whole object.
 */
async function readArchive(
  objects: ObjectStore,
  key: string,
): Promise<{ stream: Readable; bytes: number } | undefined> {
  const info = await objects.head(key);
  const source = info && (await objects.getStream(key));
  if (!info || !source) return undefined;
  const whole = byteCounter({ bytes: info.size, of: `archive ${key}` });
  return { stream: pipeline(source, whole, reportedByLastStream), bytes: info.size };
}

/**
 * A sample archive's CSV text (every gzip member, header first) streamed from the object store,
 * or undefined when there is none. Consume it or destroy it (that closes the object's stream).
 */
export async function openSampleArchive(objects: ObjectStore, key: string): Promise<Readable | undefined> {
  const archive = await readArchive(objects, key);
  return archive && pipeline(archive.stream, createGunzip(), reportedByLastStream);
}

/** Stores `body`, then checks the store holds exactly the bytes that went through it. */
async function putVerified(objects: ObjectStore, key: string, body: Readable): Promise<number> {
  const counter = byteCounter();
  const counted = pipeline(body, counter, reportedByLastStream);
  try {
    await objects.put(key, counted, { contentType: 'application/gzip' });
  } finally {
    // Frees the source object's stream if the store gave up before reading it all.
    counted.destroy();
  }
  const stored = await objects.head(key);
  if (!stored || stored.size !== counter.bytes) {
    throw new Error(
      `archive ${key} was not stored intact (${stored?.size ?? 'missing'} of ${counter.bytes} bytes)`,
    );
  }
  return counter.bytes;
}

/** The first `bytes` bytes of a stream (destroying it after them). */
async function* firstBytes(stream: Readable, bytes: number): AsyncGenerator<Buffer> {
  let left = bytes;
  if (left === 0) return;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (chunk.length >= left) {
      yield chunk.subarray(0, left);
      return;
    }
    yield chunk;
    left -= chunk.length;
  }
  throw new Error(`stream ended ${left} bytes short of ${bytes}`);
}

/** A partition's rows as CSV text, a keyset page at a time (with the header when asked). */
async function* partitionCsv(
  deps: Pick<Deps, 'db'>,
  partition: string,
  withHeader: boolean,
  counted: { rows: number },
): AsyncGenerator<string> {
  if (withHeader) yield `${CSV_COLUMNS.join(',')}\n`;
  let after: { athleteId: string; ts: string } | null = null;
  for (;;) {
    const page = await readPage(deps, partition, after);
    counted.rows += page.count;
    if (page.csv) yield page.csv;
    if (page.count < PAGE || !page.last) return;
    after = page.last;
  }
}

/**
 * Archives one partition as gzip CSV (header + one line per sample) at
 * `archive/samples/YYYY-MM.csv.gz`. When an archive of that month already exists (late samples
 * recreated the partition after it was retired), the new rows are appended as a further gzip
 * member, so the object stays one valid gzip stream and nothing archived before is lost. The
 * old object is streamed into the new one, which replaces it only once complete; memory holds
 * a page of rows and the store's upload buffer, whatever the archive's size.
 */
async function archivePartition(
  deps: Pick<Deps, 'db' | 'platform'>,
  part: SamplePartitionInfo,
): Promise<ArchivedPartition & { previousBytes: number | undefined }> {
  const { objects } = deps.platform;
  const key = archiveKeyFor(part.from);
  const existing = await readArchive(objects, key);
  const counted = { rows: 0 };
  async function* appended(): AsyncGenerator<Buffer> {
    if (existing) yield* existing.stream as AsyncIterable<Buffer>;
    const csv = Readable.from(partitionCsv(deps, part.name, !existing, counted));
    yield* pipeline(csv, createGzip(), reportedByLastStream) as AsyncIterable<Buffer>;
  }
  let bytes: number;
  try {
    bytes = await putVerified(objects, key, Readable.from(appended()));
  } finally {
    existing?.stream.destroy();
  }
  return { name: part.name, key, rows: counted.rows, bytes, previousBytes: existing?.bytes };
}

/** Puts an appended archive back as it was: its first `previousBytes` bytes. */
async function restoreArchive(objects: ObjectStore, key: string, previousBytes: number): Promise<void> {
  const current = await readArchive(objects, key);
  if (!current) throw new Error(`archive ${key} vanished before it could be restored`);
  try {
    await putVerified(objects, key, Readable.from(firstBytes(current.stream, previousBytes)));
  } finally {
    current.stream.destroy();
  }
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
    const { previousBytes, ...archived } = await archivePartition(deps, part);
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
      if (previousBytes !== undefined)
        await restoreArchive(deps.platform.objects, archived.key, previousBytes);
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

/** True when the archive holds a line starting with `prefix` (reading only up to the first). */
async function archiveHasLine(objects: ObjectStore, key: string, prefix: string): Promise<boolean> {
  const text = await openSampleArchive(objects, key);
  if (!text) return false;
  try {
    for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
      if (line.startsWith(prefix)) return true;
    }
    return false;
  } finally {
    text.destroy();
  }
}

/** The archive's lines except those starting with `prefix`, in blocks of text (one gzip member). */
async function* linesWithout(text: Readable, prefix: string, counted: { dropped: number }) {
  let block = '';
  for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
    if (line.startsWith(prefix)) {
      counted.dropped++;
      continue;
    }
    block += `${line}\n`;
    if (block.length >= 1 << 20) {
      yield block;
      block = '';
    }
  }
  if (block) yield block;
}

/**
 * Removes an athlete's rows from every sample archive (account deletion): each archive holding
 * any is rewritten without them, streamed from the old object through gunzip, a line filter and
 * gzip into the new one, which replaces the old only once complete (memory stays bounded by a
 * block of lines and the store's upload buffer). Archives without their rows are read up to
 * the first match only, and left alone. Returns how many rows were removed.
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
  const keys: string[] = [];
  for await (const { key } of objects.list(SAMPLE_ARCHIVE_PREFIX)) keys.push(key);
  let removed = 0;
  for (const key of keys) {
    if (!(await archiveHasLine(objects, key, theirs))) continue;
    const text = await openSampleArchive(objects, key);
    if (!text) continue;
    const counted = { dropped: 0 };
    try {
      await putVerified(
        objects,
        key,
        pipeline(Readable.from(linesWithout(text, theirs, counted)), createGzip(), reportedByLastStream),
      );
    } finally {
      text.destroy();
    }
    removed += counted.dropped;
  }
  return removed;
}
