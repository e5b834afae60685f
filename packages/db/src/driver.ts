import pg from 'pg';

/** One connection: what migrations and raw transactions run on. */
export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Multi-statement SQL without parameters. */
  exec(sql: string): Promise<void>;
}

/** The raw-SQL side of a Database: a pg pool (on Postgres, or on embedded PGlite's socket). */
export interface SqlDriver extends SqlSession {
  /** 'pglite': a small pool on the embedded database's socket; its thread runs one statement at a time. */
  kind: 'postgres' | 'pglite';
  /** Runs fn on one dedicated connection (session-level state such as advisory locks holds). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** Loads text-format COPY data into table (which must exist in the session). */
  copyFromText(session: SqlSession, table: string, columns: string[], text: string): Promise<void>;
  close(): Promise<void>;
}

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];
const INT8 = 20;
const INT8_ARRAY = 1016 as TypeId;
const DATE = 1082;

// Raw results as PGlite's own client parses them (int8 as a number when it is a safe integer,
// otherwise a bigint; DATE as UTC midnight), on Postgres and embedded alike. pg's default turns
// DATE into local midnight, which shifts days on a machine that is not on UTC.
function parseInt8(text: string): number | bigint {
  const n = BigInt(text);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      if (oid === INT8) return parseInt8;
      if (oid === (INT8_ARRAY as number)) {
        const parseArray = pg.types.getTypeParser(INT8_ARRAY) as (text: string) => Array<string | null>;
        return (text: string) => parseArray(text).map((v) => (v === null ? null : parseInt8(v)));
      }
      if (oid === DATE) return (text: string) => new Date(`${text}T00:00:00Z`);
    }
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

function serialiseParam(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

// Sessions remember their connection so the COPY path streams on the same one.
const pgClients = new WeakMap<SqlSession, pg.PoolClient>();

function pgSession(client: pg.PoolClient | pg.Pool): SqlSession {
  const session: SqlSession = {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params?.map(serialiseParam));
      return result.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
  if (!(client instanceof pg.Pool)) pgClients.set(session, client);
  return session;
}

export function createPgPool(connection: string | pg.PoolConfig, max: number): pg.Pool {
  const settings = typeof connection === 'string' ? { connectionString: connection } : connection;
  const pool = new pg.Pool({ ...settings, max, types: pgTypes });
  // An idle client losing its connection (server restart, failover) must not crash the
  // process; the pool discards it and the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export interface PgDriverOptions {
  kind?: SqlDriver['kind'];
  /**
   * How COPY data reaches the server. Default: COPY … FROM STDIN on the session's connection.
   * Embedded PGlite cannot take COPY over its socket, so its thread loads the text itself.
   */
  copy?: (sql: string, text: string) => Promise<void>;
}

export function createPgDriver(pool: pg.Pool, opts: PgDriverOptions = {}): SqlDriver {
  const base = pgSession(pool);
  let closed = false;
  const withSession = async <T>(fn: (session: SqlSession) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await fn(pgSession(client));
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      // A client whose session failed mid-way may hold locks or an aborted transaction.
      client.release(broken);
    }
  };
  return {
    kind: opts.kind ?? 'postgres',
    ...base,
    withSession,
    transaction: (fn) =>
      withSession(async (session) => {
        await session.exec('BEGIN');
        try {
          const result = await fn(session);
          await session.exec('COMMIT');
          return result;
        } catch (err) {
          await session.exec('ROLLBACK').catch(() => {});
          throw err;
        }
      }),
    async copyFromText(session, table, columns, text) {
      const client = pgClients.get(session);
      if (!client) throw new Error('copyFromText needs a session from withSession()');
      const target = `${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})`;
      if (opts.copy) return opts.copy(`COPY ${target} FROM '/dev/blob'`, text);
      const { from } = await import('pg-copy-streams');
      const { pipeline } = await import('node:stream/promises');
      const { Readable } = await import('node:stream');
      await pipeline(Readable.from([text]), client.query(from(`COPY ${target} FROM STDIN`)));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
