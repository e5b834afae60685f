import type { ObjectInfo, ObjectStore } from '@athlete/platform';
import type { Deps } from '../deps.ts';
import { archiveKeyFor } from '../maintenance/sample-partitions.ts';
import { archiveRowsOf, type ExportSample, listSampleArchiveKeys } from './archived-samples.ts';

const SAMPLE_PAGE = 5_000;
/** Reads of one archive that may each be spoiled by the archive being replaced meanwhile. */
const ARCHIVE_READ_TRIES = 3;

const nextMonth = (from: Date) => new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
const monthOf = (ts: Date) => new Date(Date.UTC(ts.getUTCFullYear(), ts.getUTCMonth(), 1));
const monthOfKey = (key: string) => {
  const [, year, month] = /(\d{4})-(\d{2})\.csv\.gz$/.exec(key)!;
  return new Date(Date.UTC(Number(year), Number(month) - 1, 1));
};
/** What changes whenever an archive is replaced (an archival appends, a deletion rewrites). */
const versionOf = (info: ObjectInfo | undefined) =>
  info ? `${info.size}@${info.lastModified?.getTime() ?? ''}` : 'none';

/**
 * An athlete's samples, archived and still in the table, oldest first, each instant once (an
 * instant in both is written from the archive). Read month by month, so that a month the
 * archival retires while the export is being downloaded is neither lost nor repeated, without
 * holding any lock:
 *
 * - the next month is found by asking the table first and listing the archives after, so a
 *   month that leaves the table in between is in the listing (an archive is stored before its
 *   partition is dropped);
 * - within a month, the archive's version is noted before the table is read; when the table
 *   has no more rows, the version is compared again. If the archive changed, rows past the
 *   table's cursor may have moved into it: both are read again from that cursor (everything up
 *   to it has been written, from a table read that was whole up to it).
 *
 * Memory holds one athlete-month of archived rows and one page of table rows.
 */
export async function* accountSamples(
  deps: Pick<Deps, 'db' | 'platform'>,
  athleteId: string,
  columns: readonly string[],
  /** Called as each month starts (export progress). */
  onMonth?: (month: Date) => Promise<void>,
): AsyncGenerator<ExportSample> {
  const { objects } = deps.platform;
  let from: Date | null = null;
  for (;;) {
    const [first] = await deps.db.query<{ ts: Date }>(
      `SELECT ts FROM samples WHERE athlete_id = $1 ${from ? 'AND ts >= $2' : ''} ORDER BY ts LIMIT 1`,
      from ? [athleteId, from] : [athleteId],
    );
    const fromKey = from ? archiveKeyFor(from) : '';
    const archived = (await listSampleArchiveKeys(objects)).find((k) => k >= fromKey);
    const candidates = [first && monthOf(first.ts), archived && monthOfKey(archived)].filter(
      (m): m is Date => m !== undefined,
    );
    if (candidates.length === 0) return;
    const month = new Date(Math.min(...candidates.map((m) => m.getTime())));
    await onMonth?.(month);
    yield* monthSamples(deps, athleteId, columns, month);
    from = nextMonth(month);
  }
}

/** One month of {@link accountSamples}: its archive merged with its table rows. */
async function* monthSamples(
  deps: Pick<Deps, 'db' | 'platform'>,
  athleteId: string,
  columns: readonly string[],
  from: Date,
): AsyncGenerator<ExportSample> {
  const { objects } = deps.platform;
  const key = archiveKeyFor(from);
  const to = nextMonth(from);
  let { version, rows: archived } = await readArchived(objects, key, athleteId, columns, null);
  let ai = 0;
  /** The last table instant read; everything up to it has been read whole. */
  let cursor: Date | null = null;
  let page: ExportSample[] = [];
  let pi = 0;
  let tableDone = false;
  for (;;) {
    if (pi === page.length && !tableDone) {
      const rows = await tablePage(deps, athleteId, columns, cursor ?? from, cursor === null, to);
      if (rows.length < SAMPLE_PAGE) {
        const now = versionOf(await objects.head(key));
        if (now !== version) {
          // Archived (or rewritten) while being read: read both again past the cursor.
          const after = cursor?.toISOString() ?? null;
          ({ version, rows: archived } = await readArchived(objects, key, athleteId, columns, after));
          ai = 0;
          continue;
        }
        tableDone = true;
      }
      page = rows.map((values) => ({ ts: (values.ts as Date).toISOString(), values }));
      pi = 0;
      if (rows.length > 0) cursor = rows[rows.length - 1]!.ts as Date;
      continue;
    }
    const a = archived[ai];
    const b = page[pi];
    if (!a && !b) return;
    if (a && (!b || a.ts <= b.ts)) {
      yield a;
      ai++;
      if (b && b.ts === a.ts) pi++;
    } else if (b) {
      yield b;
      pi++;
    }
  }
}

/** A page of the athlete's table rows in [from, to) (or (from, to) past a cursor), oldest first. */
function tablePage(
  deps: Pick<Deps, 'db'>,
  athleteId: string,
  columns: readonly string[],
  from: Date,
  inclusive: boolean,
  to: Date,
): Promise<Record<string, unknown>[]> {
  return deps.db.query<Record<string, unknown>>(
    `SELECT ${columns.join(', ')} FROM samples
      WHERE athlete_id = $1 AND ts ${inclusive ? '>=' : '>'} $2 AND ts < $3 ORDER BY ts LIMIT ${SAMPLE_PAGE}`,
    [athleteId, from, to],
  );
}

/**
 * The athlete's rows of one archive (past `after` when given) and the archive's version as it
 * was before they were read. A read spoiled by the archive being replaced meanwhile (it then
 * ends short of the size announced) is tried again.
 */
async function readArchived(
  objects: ObjectStore,
  key: string,
  athleteId: string,
  columns: readonly string[],
  after: string | null,
): Promise<{ version: string; rows: ExportSample[] }> {
  for (let attempt = 1; ; attempt++) {
    const before = await objects.head(key);
    if (!before) return { version: versionOf(before), rows: [] };
    try {
      const rows = await archiveRowsOf(objects, key, athleteId, columns);
      return { version: versionOf(before), rows: after === null ? rows : rows.filter((r) => r.ts > after) };
    } catch (err) {
      if (attempt >= ARCHIVE_READ_TRIES || versionOf(await objects.head(key)) === versionOf(before))
        throw err;
    }
  }
}
