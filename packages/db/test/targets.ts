import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openPglite, openPostgres } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';

export interface OpenedDatabase {
  db: Database;
  cleanup(): Promise<void>;
}

export interface Target {
  name: 'postgres' | 'pglite';
  open(): Promise<OpenedDatabase>;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'athlete-db-test-'));
}

/** The two databases every suite here runs against: real Postgres 15 and embedded PGlite. */
export const targets: Target[] = [
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
      const dir = await tempDir();
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
