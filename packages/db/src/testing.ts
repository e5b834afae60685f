import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from './database.ts';
import { migrationsDigest } from './migrations.ts';

/** Test helpers: a fresh, migrated Postgres database per test file, cloned from a template. */

const DEFAULT_BASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPLATE_LOCK_KEY = 0x41746d70; // "Atmp"

export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  name: string;
  /** Drops the database (terminating leftover connections). */
  drop(): Promise<void>;
}

function baseUrl(): string {
  // Test helpers are the one place outside packages/config that reads the environment: they
  // run before any configuration exists, and this variable is documented in CONTRIBUTING.md.
  return process.env.TEST_DATABASE_URL ?? DEFAULT_BASE_URL;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let templatePromise: Promise<string> | undefined;

/**
 * The migrated template for the current migration files. Its name carries a digest of them, so
 * editing or adding a migration yields a new template; an advisory lock keeps concurrent test
 * processes from building the same one twice.
 */
export function ensureTemplateDatabase(): Promise<string> {
  templatePromise ??= buildTemplate().catch((err) => {
    templatePromise = undefined;
    throw err;
  });
  return templatePromise;
}

async function buildTemplate(): Promise<string> {
  const name = `athlete_tpl_${migrationsDigest().slice(0, 16)}`;
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const found = await admin.query('SELECT datistemplate FROM pg_database WHERE datname = $1', [name]);
      if (found.rows[0]?.datistemplate) return;
      // A template left half-built by a crashed run is not marked yet: rebuild it.
      if (found.rowCount) await admin.query(`DROP DATABASE ${ident(name)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${ident(name)}`);
      const db = await openPostgres(withDatabase(baseUrl(), name), { migrate: true, poolSize: 1 });
      await db.close();
      await admin.query(`ALTER DATABASE ${ident(name)} WITH is_template = true ALLOW_CONNECTIONS = false`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return name;
}

/** A new database cloned from the migrated template; call drop() when done. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplateDatabase();
  const name = `athlete_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`));
  return {
    name,
    url: withDatabase(baseUrl(), name),
    drop: () =>
      withAdmin(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
      }),
  };
}

/** An empty database with no migrations applied (for migration tests). */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const name = `athlete_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${ident(name)}`));
  return {
    name,
    url: withDatabase(baseUrl(), name),
    drop: () =>
      withAdmin(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
      }),
  };
}

export interface OpenedDatabase {
  db: Database;
  cleanup(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'postgres' | 'pglite';
  open(): Promise<OpenedDatabase>;
}

/**
 * The two databases suites run against: a fresh real Postgres database (from the template) and
 * embedded PGlite in a fresh directory; cleanup drops or removes it.
 */
export const databaseTargets: DatabaseTarget[] = [
  {
    name: 'postgres',
    async open() {
      const test = await createTestDatabase();
      const db = await openPostgres(test.url, { poolSize: 4 });
      return {
        db,
        async cleanup() {
          await db.close();
          await test.drop();
        },
      };
    },
  },
  {
    name: 'pglite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'athlete-db-test-'));
      const db = await openPglite(dir);
      return {
        db,
        async cleanup() {
          await db.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
