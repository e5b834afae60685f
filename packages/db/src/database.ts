import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Config } from '@athlete/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { createPgDriver, createPgPool, type SqlDriver } from './driver.ts';
import { type EmbeddedPglite, startEmbeddedPglite } from './embedded.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { applyMigrations, type RunMigrationsOptions } from './migrations.ts';
import {
  type InsertReport,
  insertSamplesCopy,
  insertSamplesReport,
  isNoPartitionError,
  type SampleKey,
  SamplePartitions,
  type SampleRow,
} from './samples.ts';

export type QueryFn = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface Database {
  kind: 'postgres' | 'pglite';
  /** The one Prisma client (adapter-pg, on Postgres or on embedded PGlite's socket). */
  prisma: PrismaClient;
  /**
   * Raw parameterised SQL ($1, $2, ...). Results are parsed alike on both drivers: timestamptz
   * and date as Date (date at UTC midnight), int8 as number (bigint beyond 2^53), json parsed.
   */
  query: QueryFn;
  /** Multi-statement SQL without parameters. */
  exec(sql: string): Promise<void>;
  /** Raw-SQL transaction on one connection; rolls back when fn throws. */
  transaction<T>(fn: (tx: { query: QueryFn }) => Promise<T>): Promise<T>;
  /**
   * Inserts samples, skipping ones already stored (same athlete and ts), after making sure the
   * months involved have partitions. Returns the keys of the rows that were new.
   */
  insertSamples(rows: SampleRow[]): Promise<SampleKey[]>;
  /**
   * insertSamples answering counts: how many rows were new, and which only when not all were
   * (the live write-behind's hot path: no per-row answer in the usual case).
   */
  insertSamplesReport(rows: SampleRow[]): Promise<InsertReport>;
  /** The COPY path on its own (Postgres only); returns how many rows were new. */
  copySamples?(rows: SampleRow[]): Promise<number>;
  /** Creates the monthly sample partitions covering [from, to]; idempotent, cached per month. */
  ensureSamplePartitions(from: Date, to: Date): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /**
   * Apply pending migrations before returning. Always done for embedded PGlite; on Postgres
   * only when asked (the api with migrate: true, or the separate `migrate` step).
   */
  migrate?: boolean;
  /** Batches at least this large take the COPY path on Postgres (see bench/insert-samples.ts). */
  copyThreshold?: number;
  log?: (message: string) => void;
}

/** Connections of the Postgres pool reserved for sample inserts. */
const SAMPLE_WRITE_CONNECTIONS = 2;

/**
 * Connections to embedded PGlite. It runs one statement at a time whatever their number, but
 * with one connection every statement waits for a turn of this event loop before the next is
 * sent, and PGlite idles while the loop is busy (a busy loop cut inserts to a third); with a few
 * the next statements are already queued in its thread.
 */
const EMBEDDED_CONNECTIONS = 4;

/** Default COPY threshold: the multi-row path measured faster at every size (bench). */
const DEFAULT_COPY_THRESHOLD = Number.POSITIVE_INFINITY;

const drivers = new WeakMap<Database, SqlDriver>();
const embeddedThreads = new WeakMap<Database, { worker: Worker; socketDir: string }>();

/** Picks the database from configuration: DATABASE_URL → Postgres, unset → PGlite in DATA_DIR. */
export async function createDatabase(config: Config, opts: CreateDatabaseOptions = {}): Promise<Database> {
  if (config.DATABASE_URL) {
    return openPostgres(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, ...opts });
  }
  return openPglite(resolve(config.DATA_DIR, 'pglite'), opts);
}

export async function openPostgres(
  url: string,
  opts: CreateDatabaseOptions & { poolSize?: number } = {},
): Promise<Database> {
  const pool = createPgPool(url, opts.poolSize ?? 10);
  const driver = createPgDriver(pool);
  // Sample writes get their own two connections (opened on first use): the live write-behind
  // must not queue behind a burst of other queries on the main pool (thousands of access
  // checks and session opens when many athletes start at once), and two let one batch commit
  // while the next is sent.
  const samplesDriver = createPgDriver(createPgPool(url, SAMPLE_WRITE_CONNECTIONS));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const db = build(driver, prisma, opts, async () => {}, samplesDriver);
  try {
    if (opts.migrate) await applyMigrations(driver, { log: opts.log });
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/**
 * Embedded Postgres. dataDir undefined keeps everything in memory (tests). One process at a
 * time may open a data directory: PGlite is a single backend with no cross-process locking.
 * PGlite runs in a worker thread (embedded.ts); this thread reaches it through a small pg
 * pool, raw SQL, Prisma and sample writes alike, taking turns on it as on PGlite itself.
 */
export async function openPglite(
  dataDir: string | undefined,
  opts: CreateDatabaseOptions = {},
): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let embedded: EmbeddedPglite;
  try {
    embedded = await startEmbeddedPglite(dataDir);
  } catch (err) {
    unlock();
    throw err;
  }
  // Idle connections stay open: reconnecting costs a start-up exchange with PGlite.
  const pool = createPgPool({ ...embedded.connection, idleTimeoutMillis: 0 }, EMBEDDED_CONNECTIONS);
  const driver = createPgDriver(pool, { kind: 'pglite', copy: embedded.copyFromText });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const db = build(driver, prisma, opts, async () => {
    try {
      await embedded.close();
    } finally {
      unlock();
    }
  });
  embeddedThreads.set(db, { worker: embedded.worker, socketDir: String(embedded.connection.host) });
  try {
    await applyMigrations(driver, { log: opts.log });
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** Internal: the thread embedded PGlite runs in and its socket directory, for tests. */
export function embeddedThreadFor(db: Database) {
  return embeddedThreads.get(db);
}

function build(
  driver: SqlDriver,
  prisma: PrismaClient,
  opts: CreateDatabaseOptions,
  afterClose: () => Promise<void>,
  samplesDriver: SqlDriver = driver,
): Database {
  const partitions = new SamplePartitions(samplesDriver);
  const copyThreshold = opts.copyThreshold ?? DEFAULT_COPY_THRESHOLD;
  let closed = false;

  // Ready-made array literals beat per-element escaping on node-postgres and PGlite alike.
  const arrayLiterals = true;
  const insertOnce = async (rows: SampleRow[], useCopy: boolean): Promise<InsertReport> => {
    await partitions.ensureFor(rows);
    if (!useCopy) return insertSamplesReport(samplesDriver, rows, { arrayLiterals });
    const keys = await insertSamplesCopy(samplesDriver, rows);
    return { inserted: keys.length, newKeys: keys.length === rows.length ? null : keys };
  };
  const report = async (rows: SampleRow[], useCopy: boolean): Promise<InsertReport> => {
    if (rows.length === 0) return { inserted: 0, newKeys: [] };
    try {
      return await insertOnce(rows, useCopy);
    } catch (err) {
      // A partition we remembered was dropped (retention): recreate it once and retry.
      if (!isNoPartitionError(err)) throw err;
      partitions.forget();
      return insertOnce(rows, useCopy);
    }
  };
  const insert = async (rows: SampleRow[], useCopy: boolean): Promise<SampleKey[]> => {
    const r = await report(rows, useCopy);
    return r.newKeys ?? rows.map((row) => ({ athleteId: row.athleteId, ts: row.ts }));
  };
  const useCopyFor = (rows: SampleRow[]) => driver.kind === 'postgres' && rows.length >= copyThreshold;

  const db: Database = {
    kind: driver.kind,
    prisma,
    query: (sql, params) => driver.query(sql, params),
    exec: (sql) => driver.exec(sql),
    transaction: (fn) => driver.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) })),
    insertSamples: (rows) => insert(rows, useCopyFor(rows)),
    insertSamplesReport: (rows) => report(rows, useCopyFor(rows)),
    ensureSamplePartitions: (from, to) => partitions.ensure(from, to),
    async ping() {
      try {
        await driver.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await prisma.$disconnect().catch(() => {});
        await driver.close();
        if (samplesDriver !== driver) await samplesDriver.close();
      } finally {
        await afterClose();
      }
    },
  };
  if (driver.kind === 'postgres') {
    db.copySamples = async (rows) => (await insert(rows, true)).length;
  }
  drivers.set(db, driver);
  return db;
}

/** Applies pending migrations to an open database; returns the names applied. */
export async function runMigrations(db: Database, opts: RunMigrationsOptions = {}): Promise<string[]> {
  const driver = drivers.get(db);
  if (!driver) throw new Error('runMigrations: not a Database returned by createDatabase()');
  return applyMigrations(driver, opts);
}

/** Internal: the COPY path on any driver, for the benchmark. */
export function copyPathFor(db: Database): ((rows: SampleRow[]) => Promise<SampleKey[]>) | undefined {
  const driver = drivers.get(db);
  return driver ? (rows) => insertSamplesCopy(driver, rows) : undefined;
}

/**
 * PGlite is a single-process database: two processes writing one data directory corrupt it.
 * A pid file refuses a second opener while the first is alive, and is taken over when stale.
 */
function lockDataDir(dataDir: string): () => void {
  const file = resolve(dataDir, 'athlete.lock');
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `the embedded database in ${dataDir} is in use by process ${pid}; stop it or choose another DATA_DIR`,
      );
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
