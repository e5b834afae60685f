export {
  type CreateDatabaseOptions,
  createDatabase,
  type Database,
  openPglite,
  openPostgres,
  type QueryFn,
  runMigrations,
} from './database.ts';
export * from './generated/prisma/client.ts';
export { MIGRATIONS_DIR, migrationsDigest, type RunMigrationsOptions } from './migrations.ts';
export { type InsertReport, SAMPLE_COLUMNS, type SampleKey, type SampleRow } from './samples.ts';
