// Applies pending SQL migrations to the configured database (DATABASE_URL, or the embedded
// PGlite under DATA_DIR when it is unset), then exits. Usage: pnpm db:migrate
import { loadConfig } from '@athlete/config';
import { createDatabase } from '../database.ts';

const config = loadConfig();
const where = config.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite in ${config.DATA_DIR}/pglite`;
const log = (message: string) => console.log(`[migrate] ${message}`);
try {
  const db = await createDatabase(config, { migrate: true, log });
  await db.close();
  log(`${where} is up to date`);
} catch (err) {
  console.error(`[migrate] failed on ${where}:`, err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
