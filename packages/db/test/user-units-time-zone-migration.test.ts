import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres, runMigrations } from '../src/index.ts';
import { createEmptyTestDatabase, migrateBefore, type TestDatabase } from '../src/testing.ts';

const MIGRATION = '0026_user_units_time_zone.sql';

describe(`migration ${MIGRATION}: units and time-zone preferences on the user`, () => {
  let test: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    test = await createEmptyTestDatabase();
    db = await openPostgres(test.url, { poolSize: 2 });
    await migrateBefore(db, MIGRATION);
    await db.query(
      `INSERT INTO users (email, password_hash, name, role)
       VALUES ('a@example.test', 'x', 'A', 'athlete'), ('c@example.test', 'x', 'C', 'coach')`,
    );
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('gives existing accounts metric units and the browser time zone, and keeps the rest', async () => {
    const before = await db.query<Record<string, unknown>>(`SELECT * FROM users ORDER BY email`);
    expect(await runMigrations(db)).toContain(MIGRATION);
    const after = await db.query<Record<string, unknown>>(`SELECT * FROM users ORDER BY email`);
    expect(after).toHaveLength(2);
    after.forEach((row, i) => {
      const { units, time_zone, ...rest } = row;
      expect({ units, time_zone }).toEqual({ units: 'metric', time_zone: null });
      expect(rest).toEqual(before[i]);
    });
    await db.query(
      `UPDATE users SET units = 'imperial', time_zone = 'America/New_York' WHERE role = 'coach'`,
    );
    const [coach] = await db.query<Record<string, unknown>>(
      `SELECT units, time_zone FROM users WHERE role = 'coach'`,
    );
    expect(coach).toEqual({ units: 'imperial', time_zone: 'America/New_York' });
    // Only the two systems the app knows are stored.
    await expect(db.query(`UPDATE users SET units = 'nautical'`)).rejects.toThrow();
  });
});
