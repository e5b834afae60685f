import type { SqlDriver, SqlSession } from './driver.ts';

/** One 1 Hz sample as written to the samples table (SI units). */
export interface SampleRow {
  athleteId: string;
  ts: Date;
  sessionId: string | null;
  seq: number | bigint | null;
  hr: number | null;
  /** RR intervals in ms; null is stored as an empty list. */
  rr: number[] | null;
  speed: number | null;
  cadence: number | null;
  power: number | null;
  distance: number | null;
  lat: number | null;
  lon: number | null;
  alt: number | null;
}

/** Identifies a stored sample (the primary key). */
export interface SampleKey {
  athleteId: string;
  ts: Date;
}

/** Columns of the samples table in table order (COPY-, CSV- and insert-compatible). */
export const SAMPLE_COLUMNS = [
  'athlete_id',
  'ts',
  'session_id',
  'seq',
  'hr',
  'rr',
  'speed',
  'cadence',
  'power',
  'distance',
  'lat',
  'lon',
  'alt',
] as const;

/**
 * One statement per batch. It answers one row with the count of new rows and, only when some
 * rows were not new (resends, rare), the keys of the new ones as well: in the usual case
 * nothing per row travels back or gets parsed.
 */
const INSERT_UNNEST = `
WITH ins AS (
  INSERT INTO samples (${SAMPLE_COLUMNS.join(', ')})
  SELECT a, t, s, q, h, r::integer[], sp, ca, po, di, la, lo, al
  FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::bigint[], $5::smallint[], $6::text[],
              $7::real[], $8::real[], $9::real[], $10::float8[], $11::float8[], $12::float8[], $13::real[])
    AS u(a, t, s, q, h, r, sp, ca, po, di, la, lo, al)
  ON CONFLICT (athlete_id, ts) DO NOTHING
  RETURNING athlete_id, ts
), c AS (SELECT count(*)::int AS n FROM ins)
SELECT c.n, NULL::uuid AS athlete_id, NULL::timestamptz AS ts FROM c
UNION ALL
SELECT NULL, ins.athlete_id, ins.ts FROM ins, c WHERE c.n < $14::int`;

/** What a batch insert did: how many rows were new and, unless all were, which. */
export interface InsertReport {
  inserted: number;
  /** Keys of the new rows; null when every row given was new (no per-row answer needed). */
  newKeys: SampleKey[] | null;
}

/** Rows per statement: bounds memory per round trip without hurting throughput. */
const BATCH = 5000;

/** Postgres error raised when no partition accepts a row. */
const NO_PARTITION = '23514';

function rrLiteral(rr: number[] | null): string {
  return rr && rr.length > 0 ? `{${rr.map((v) => Math.round(v)).join(',')}}` : '{}';
}

function toKeys(rows: Array<{ athlete_id: string; ts: Date }>): SampleKey[] {
  return rows.map((r) => ({ athleteId: r.athlete_id, ts: r.ts }));
}

/**
 * Multi-row insert: one statement per batch, parameters as 13 column arrays (unnest), so the
 * statement text and parameter count stay constant whatever the batch size.
 */
export async function insertSamplesUnnest(
  session: SqlSession,
  rows: SampleRow[],
  opts: { arrayLiterals?: boolean } = {},
): Promise<SampleKey[]> {
  const report = await insertSamplesReport(session, rows, opts);
  return report.newKeys ?? rows.map((r) => ({ athleteId: r.athleteId, ts: r.ts }));
}

/**
 * The multi-row insert, answering counts. With `arrayLiterals` the 13 parameters
 * are sent as ready-made Postgres array literals instead of JS arrays the driver escapes
 * element by element — the values are numbers, UUIDs, ISO timestamps and `{…}` RR lists,
 * none of which needs more than the quoting done here.
 */
export async function insertSamplesReport(
  session: SqlSession,
  rows: SampleRow[],
  opts: { arrayLiterals?: boolean } = {},
): Promise<InsertReport> {
  let inserted = 0;
  let newKeys: SampleKey[] | null = null;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.length <= BATCH ? rows : rows.slice(i, i + BATCH);
    const cols: unknown[][] = SAMPLE_COLUMNS.map(() => new Array(batch.length));
    batch.forEach((r, j) => {
      cols[0]![j] = r.athleteId;
      cols[1]![j] = r.ts.toISOString();
      cols[2]![j] = r.sessionId;
      cols[3]![j] = r.seq === null ? null : String(r.seq);
      cols[4]![j] = r.hr === null ? null : Math.round(r.hr);
      cols[5]![j] = rrLiteral(r.rr);
      cols[6]![j] = r.speed;
      cols[7]![j] = r.cadence;
      cols[8]![j] = r.power;
      cols[9]![j] = r.distance;
      cols[10]![j] = r.lat;
      cols[11]![j] = r.lon;
      cols[12]![j] = r.alt;
    });
    // Literals only when every id is a plain hex-and-dash UUID (nothing that would need quoting).
    const literal = opts.arrayLiterals && cols[0]!.every(isPlainId) && cols[2]!.every(isPlainId);
    const params: unknown[] = literal ? cols.map((c, k) => arrayLiteral(c, k === 5)) : cols;
    params.push(batch.length);
    const result = await session.query<{ n: number | null; athlete_id: string | null; ts: Date | null }>(
      INSERT_UNNEST,
      params,
    );
    const n = result.find((r) => r.n !== null)?.n ?? 0;
    inserted += n;
    if (n < batch.length) {
      // Some were already stored: from here on, name the new rows one by one.
      newKeys ??= rows.slice(0, i).map((r) => ({ athleteId: r.athleteId, ts: r.ts }));
      for (const r of result) if (r.athlete_id !== null) newKeys.push({ athleteId: r.athlete_id, ts: r.ts! });
    } else if (newKeys) {
      for (const r of batch) newKeys.push({ athleteId: r.athleteId, ts: r.ts });
    }
  }
  return { inserted, newKeys };
}

const PLAIN_ID = /^[0-9a-fA-F-]{1,64}$/;
const isPlainId = (v: unknown) => v === null || (typeof v === 'string' && PLAIN_ID.test(v));

/** A Postgres array literal of plain values (numbers, UUIDs, ISO times); `quoted` for `{…}` texts. */
function arrayLiteral(values: unknown[], quoted: boolean): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (quoted) out += `"${v}"`;
    else out += String(v);
  }
  return `${out}}`;
}

function copyValue(v: string | number | bigint | null): string {
  return v === null ? '\\N' : String(v);
}

function toCopyText(rows: SampleRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${r.athleteId}\t${r.ts.toISOString()}\t${copyValue(r.sessionId)}\t${copyValue(r.seq)}\t${copyValue(
      r.hr === null ? null : Math.round(r.hr),
    )}\t${rrLiteral(r.rr)}\t${copyValue(r.speed)}\t${copyValue(r.cadence)}\t${copyValue(r.power)}\t${copyValue(
      r.distance,
    )}\t${copyValue(r.lat)}\t${copyValue(r.lon)}\t${copyValue(r.alt)}\n`;
  }
  return out;
}

/**
 * COPY into a transaction-local staging table, then one INSERT ... SELECT ... ON CONFLICT, so
 * de-duplication and the RETURNING list behave exactly like the multi-row path.
 */
export async function insertSamplesCopy(driver: SqlDriver, rows: SampleRow[]): Promise<SampleKey[]> {
  return driver.transaction(async (tx) => {
    await tx.exec(
      'CREATE TEMP TABLE IF NOT EXISTS samples_staging (LIKE samples INCLUDING DEFAULTS) ON COMMIT DELETE ROWS',
    );
    await driver.copyFromText(tx, 'samples_staging', [...SAMPLE_COLUMNS], toCopyText(rows));
    const result = await tx.query<{ athlete_id: string; ts: Date }>(
      `INSERT INTO samples SELECT * FROM samples_staging ON CONFLICT (athlete_id, ts) DO NOTHING
       RETURNING athlete_id, ts`,
    );
    return toKeys(result);
  });
}

const monthKey = (year: number, month: number) => year * 12 + month;

/** Creates monthly sample partitions ahead of writes; remembers months known to exist. */
export class SamplePartitions {
  readonly #known = new Set<number>();

  constructor(private readonly session: SqlSession) {}

  async ensure(from: Date, to: Date): Promise<void> {
    const first = monthKey(from.getUTCFullYear(), from.getUTCMonth());
    const last = monthKey(to.getUTCFullYear(), to.getUTCMonth());
    if (last < first) throw new RangeError('ensureSamplePartitions: to is before from');
    let lo: number | undefined;
    let hi: number | undefined;
    for (let m = first; m <= last; m++) {
      if (this.#known.has(m)) continue;
      lo ??= m;
      hi = m;
    }
    if (lo === undefined || hi === undefined) return;
    const start = new Date(Date.UTC(Math.floor(lo / 12), lo % 12, 1));
    const end = new Date(Date.UTC(Math.floor(hi / 12), hi % 12, 1));
    await this.session.query('SELECT ensure_sample_partitions($1, $2)', [start, end]);
    for (let m = lo; m <= hi; m++) this.#known.add(m);
  }

  /** Ensures exactly the months the rows fall in (not every month between them). */
  async ensureFor(rows: SampleRow[]): Promise<void> {
    const months = new Set<number>();
    for (const r of rows) months.add(monthKey(r.ts.getUTCFullYear(), r.ts.getUTCMonth()));
    for (const m of [...months].sort((a, b) => a - b)) {
      if (this.#known.has(m)) continue;
      const d = new Date(Date.UTC(Math.floor(m / 12), m % 12, 1));
      await this.ensure(d, d);
    }
  }

  /** After a retention job dropped partitions, or another process did, forget what we knew. */
  forget(): void {
    this.#known.clear();
  }
}

export function isNoPartitionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === NO_PARTITION && /no partition/i.test(e.message ?? '');
}
