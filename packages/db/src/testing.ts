import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openPglite, openPostgres, runMigrations } from './database.ts';
import { MIGRATIONS_DIR, migrationsDigest, readMigrationFiles } from './migrations.ts';
import type { SampleRow } from './samples.ts';

/** Test helpers: a fresh, migrated Postgres database per test file, cloned from a template. */

const DEFAULT_BASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPLATE_LOCK_KEY = 0x41746d70; // "Atmp"
const TEMPLATE_PREFIX = 'athlete_tpl_';
/** Marks a template's comment; the build time follows it. */
const BUILT_AT = 'athlete test template built at ';
/**
 * A template built this recently may belong to a concurrent run on other migration files (another
 * checkout): it stays, so two such runs do not keep dropping each other's.
 */
const TEMPLATE_GRACE_MS = 60 * 60_000;
/** Test databases (their name carries their creation time) older than this were left by a killed run. */
const TEST_DATABASE_MAX_AGE_MS = 24 * 60 * 60_000;

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
  const name = `${TEMPLATE_PREFIX}${migrationsDigest().slice(0, 16)}`;
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
      await admin.query(`COMMENT ON DATABASE ${ident(name)} IS '${BUILT_AT}${new Date().toISOString()}'`);
      await dropStaleTestDatabases(admin, name);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return name;
}

/**
 * Drops what earlier test runs left on the server: templates of other migration files (built
 * before the grace period, or by a version that did not record the time) and test databases
 * over a day old, as told by the time in their name. One that is in use is left alone. Run by
 * the template build; returns the names dropped.
 */
export async function removeStaleTestDatabases(): Promise<string[]> {
  const current = await ensureTemplateDatabase();
  return withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      return await dropStaleTestDatabases(admin, current);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

/** Caller holds the template lock, so no build sees a template while it is briefly unmarked. */
async function dropStaleTestDatabases(admin: pg.Client, currentTemplate: string): Promise<string[]> {
  const now = Date.now();
  const { rows } = await admin.query<{ name: string; template: boolean; comment: string | null }>(
    `SELECT datname AS name, datistemplate AS template, shobj_description(oid, 'pg_database') AS comment
       FROM pg_database WHERE datname LIKE 'athlete\\_tpl\\_%' OR datname LIKE 'athlete\\_test\\_%'`,
  );
  const stale = rows.filter((db) => {
    if (db.name === currentTemplate) return false;
    // An unmarked template is half-built, and a build under this lock rebuilds it.
    if (db.name.startsWith(TEMPLATE_PREFIX)) {
      return db.template && now - builtAt(db.comment) >= TEMPLATE_GRACE_MS;
    }
    const created = testDatabaseCreatedAt(db.name);
    return created !== undefined && now - created >= TEST_DATABASE_MAX_AGE_MS;
  });
  const dropped: string[] = [];
  // Not waiting behind a clone that is reading one.
  await admin.query(`SET lock_timeout = '2s'`);
  try {
    for (const db of stale) if (await dropIfUnused(admin, db.name, db.template)) dropped.push(db.name);
  } finally {
    await admin.query('RESET lock_timeout');
  }
  return dropped;
}

/** When the template was built, or 0 if it does not say (built before the time was recorded). */
function builtAt(comment: string | null): number {
  if (!comment?.startsWith(BUILT_AT)) return 0;
  return Date.parse(comment.slice(BUILT_AT.length)) || 0;
}

/** The creation time in a name made by testDatabaseName(), or undefined for any other name. */
function testDatabaseCreatedAt(name: string): number | undefined {
  const match = /^athlete_test_\d+_([0-9a-z]+)_[0-9a-z]+$/.exec(name);
  return match ? Number.parseInt(match[1]!, 36) : undefined;
}

/**
 * Drops the database unless it is in use (55006, or 55P03 when a clone holds it past
 * lock_timeout) or not this user's to drop (42501); a template stays a template then.
 */
async function dropIfUnused(admin: pg.Client, name: string, template: boolean): Promise<boolean> {
  try {
    if (template) await admin.query(`ALTER DATABASE ${ident(name)} WITH is_template = false`);
  } catch {
    return false;
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)}`);
    return true;
  } catch (err) {
    if (template) await admin.query(`ALTER DATABASE ${ident(name)} WITH is_template = true`);
    if (['55006', '55P03', '42501'].includes((err as { code?: string }).code ?? '')) return false;
    throw err;
  }
}

function testDatabaseName(): string {
  return `athlete_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A new database cloned from the migrated template; call drop() when done. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = testDatabaseName();
  const clone = async () => {
    const template = await ensureTemplateDatabase();
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`));
  };
  try {
    await clone();
  } catch (err) {
    // 3D000: a run on other migration files removed this process's template as stale; build it again.
    if ((err as { code?: string }).code !== '3D000') throw err;
    templatePromise = undefined;
    await clone();
  }
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
  const name = testDatabaseName();
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

/**
 * Brings a database to the schema as it was just before `migration` (every earlier file, nothing
 * after), for testing what that migration does to existing rows; `runMigrations(db)` then applies
 * it and whatever follows.
 */
export async function migrateBefore(db: Database, migration: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'athlete-migrations-'));
  try {
    for (const f of readMigrationFiles().filter((m) => m.name < migration)) {
      await copyFile(join(MIGRATIONS_DIR, f.name), join(dir, f.name));
    }
    await runMigrations(db, { dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A sample row with every measurement empty but those given (for tests that store samples). */
export function sampleRow(
  athleteId: string,
  ts: Date | string | number,
  fields: Partial<SampleRow> = {},
): SampleRow {
  return {
    athleteId,
    ts: ts instanceof Date ? ts : new Date(ts),
    sessionId: null,
    seq: null,
    hr: null,
    rr: null,
    speed: null,
    cadence: null,
    power: null,
    distance: null,
    lat: null,
    lon: null,
    alt: null,
    ...fields,
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
