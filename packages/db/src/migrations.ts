import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Umzug, type UmzugStorage } from 'umzug';
import type { SqlDriver, SqlSession } from './driver.ts';

/** prisma/migrations at the repository root. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/** Serialises migration runners across processes on one Postgres database. */
const MIGRATION_LOCK_KEY = 0x4174686c; // "Athl"

/** Put this line in a migration that must run outside a transaction (CREATE INDEX CONCURRENTLY). */
const NO_TRANSACTION = /^--\s*migrate:no-transaction\b/m;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** A digest of every migration file, so a changed migration is a different schema. */
export function migrationsDigest(dir = MIGRATIONS_DIR): string {
  const hash = createHash('sha256');
  for (const m of readMigrationFiles(dir)) hash.update(`${m.name}\0${m.checksum}\0`);
  return hash.digest('hex');
}

export interface RunMigrationsOptions {
  dir?: string;
  log?: (message: string) => void;
}

const CREATE_STORAGE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  name       text PRIMARY KEY,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies pending migrations in file-name order, each in its own transaction together with its
 * schema_migrations row. On Postgres a session advisory lock serialises concurrent runners
 * (several api replicas booting at once): the second waits, then finds nothing pending.
 * Returns the names applied by this call.
 */
export async function applyMigrations(driver: SqlDriver, opts: RunMigrationsOptions = {}): Promise<string[]> {
  const files = readMigrationFiles(opts.dir);
  return driver.withSession(async (session) => {
    const locked = driver.kind === 'postgres';
    if (locked) await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(CREATE_STORAGE);
      await verifyChecksums(session, files);
      const umzug = new Umzug<SqlSession>({
        context: session,
        storage: storage(),
        logger: undefined,
        migrations: files.map((file) => ({
          name: file.name,
          up: ({ context }) => applyOne(context, file),
        })),
      });
      const applied = await umzug.up();
      for (const m of applied) opts.log?.(`applied ${m.name}`);
      return applied.map((m) => m.name);
    } finally {
      if (locked) await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

async function applyOne(session: SqlSession, file: MigrationFile): Promise<void> {
  const record = () =>
    session.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
      file.name,
      file.checksum,
    ]);
  if (NO_TRANSACTION.test(file.sql)) {
    await session.exec(file.sql);
    await record();
    return;
  }
  await session.exec('BEGIN');
  try {
    await session.exec(file.sql);
    await record();
    await session.exec('COMMIT');
  } catch (err) {
    await session.exec('ROLLBACK').catch(() => {});
    throw new Error(`migration ${file.name} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** The row is written in the migration's own transaction; logMigration only has to be harmless. */
function storage(): UmzugStorage<SqlSession> {
  return {
    async executed({ context }) {
      const rows = await context.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      return rows.map((r) => r.name);
    },
    async logMigration() {},
    async unlogMigration({ name, context }) {
      await context.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
    },
  };
}

async function verifyChecksums(session: SqlSession, files: MigrationFile[]): Promise<void> {
  const applied = await session.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM schema_migrations',
  );
  const byName = new Map(files.map((f) => [f.name, f]));
  const changed = applied.filter((row) => {
    const file = byName.get(row.name);
    return file !== undefined && file.checksum !== row.checksum;
  });
  if (changed.length > 0) {
    throw new Error(
      `applied migrations were edited afterwards: ${changed.map((c) => c.name).join(', ')}. ` +
        'Add a new migration instead (or, for a throwaway embedded database, delete DATA_DIR/pglite).',
    );
  }
}
