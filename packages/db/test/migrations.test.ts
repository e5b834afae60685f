import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openPglite, openPostgres, runMigrations } from '../src/index.ts';
import { readMigrationFiles } from '../src/migrations.ts';
import { createEmptyTestDatabase, type TestDatabase } from '../src/testing.ts';
import { tempDir } from './targets.ts';

const files = readMigrationFiles().map((f) => f.name);

describe('migration runner on Postgres', () => {
  let test: TestDatabase | undefined;
  const open: Database[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
    await test?.drop();
  });

  it('applies every file in order once; a second run applies nothing', async () => {
    test = await createEmptyTestDatabase();
    const db = await openPostgres(test.url, { poolSize: 2 });
    open.push(db);
    expect(await runMigrations(db)).toEqual(files);
    expect(await runMigrations(db)).toEqual([]);
    const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(files);
  });

  it('serialises concurrent runners so each migration is applied exactly once', async () => {
    test = await createEmptyTestDatabase();
    const url = test.url;
    const runners = await Promise.all([1, 2, 3, 4].map(() => openPostgres(url, { poolSize: 1 })));
    open.push(...runners);
    const applied = await Promise.all(runners.map((db) => runMigrations(db)));
    expect(applied.flat().sort()).toEqual(files);
    const rows = await runners[0]!.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
    expect(rows[0]?.n).toBe(files.length);
  });

  it('migrates at open only when asked', async () => {
    test = await createEmptyTestDatabase();
    const plain = await openPostgres(test.url, { poolSize: 1 });
    open.push(plain);
    expect(await plain.query(`SELECT to_regclass('users') AS t`)).toEqual([{ t: null }]);
    const migrated = await openPostgres(test.url, { poolSize: 1, migrate: true });
    open.push(migrated);
    expect(await plain.query(`SELECT to_regclass('users')::text AS t`)).toEqual([{ t: 'users' }]);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    test = await createEmptyTestDatabase();
    const db = await openPostgres(test.url, { poolSize: 1, migrate: true });
    open.push(db);
    await db.query(`UPDATE schema_migrations SET checksum = 'edited' WHERE name = $1`, [files[0]]);
    await expect(runMigrations(db)).rejects.toThrow(/edited afterwards: 0001_init\.sql/);
  });
});

describe('migration runner on PGlite', () => {
  it('migrates at open; a second run applies nothing', async () => {
    const dir = await tempDir();
    const db = await openPglite(dir);
    try {
      const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(files);
      expect(await runMigrations(db)).toEqual([]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
