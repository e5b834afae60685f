import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres, runMigrations } from '../src/index.ts';
import { createEmptyTestDatabase, migrateBefore, type TestDatabase } from '../src/testing.ts';

const MIGRATION = '0025_daily_respiration_skin_temp.sql';

describe(`migration ${MIGRATION}: respiratory rate and skin temperature become daily columns`, () => {
  let test: TestDatabase;
  let db: Database;
  let athleteId: string;

  beforeAll(async () => {
    test = await createEmptyTestDatabase();
    db = await openPostgres(test.url, { poolSize: 2 });
    await migrateBefore(db, MIGRATION);
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, name, role) VALUES ('r@example.test', 'x', 'R', 'athlete') RETURNING id`,
    );
    athleteId = user!.id;
    await db.query(
      `INSERT INTO daily_summaries (athlete_id, date, source, resting_hr, hrv_rmssd_ms, stress_avg, sources, data)
       VALUES ($1, '2026-02-01', 'whoop', 51, 64.5, NULL, NULL, '{"cycleId":7}'::jsonb),
              ($1, '2026-02-01', 'garmin', 53, NULL, 33, NULL, '{}'::jsonb),
              ($1, '2026-02-01', 'merged', 51, 64.5, 33,
               '{"restingHr":"whoop","hrvRmssdMs":"whoop","stressAvg":"garmin"}'::jsonb, NULL)`,
      [athleteId],
    );
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('adds empty columns and leaves every stored metric and source as it was', async () => {
    const before = await db.query<Record<string, unknown>>(
      `SELECT * FROM daily_summaries WHERE athlete_id = $1 ORDER BY source`,
      [athleteId],
    );
    expect(await runMigrations(db)).toContain(MIGRATION);
    const after = await db.query<Record<string, unknown>>(
      `SELECT * FROM daily_summaries WHERE athlete_id = $1 ORDER BY source`,
      [athleteId],
    );
    expect(after).toHaveLength(3);
    after.forEach((row, i) => {
      const { respiratory_rate, skin_temp_c, skin_temp_deviation_c, ...rest } = row;
      expect({ respiratory_rate, skin_temp_c, skin_temp_deviation_c }).toEqual({
        respiratory_rate: null,
        skin_temp_c: null,
        skin_temp_deviation_c: null,
      });
      expect(rest).toEqual(before[i]);
    });
    // The columns take fractional values (a WHOOP night: 16.11 breaths/min, 33.7 °C).
    await db.query(
      `UPDATE daily_summaries SET respiratory_rate = 16.11328125, skin_temp_c = 33.7, skin_temp_deviation_c = -0.4
        WHERE athlete_id = $1 AND source = 'merged'`,
      [athleteId],
    );
    const [merged] = await db.query<Record<string, number>>(
      `SELECT respiratory_rate, skin_temp_c, skin_temp_deviation_c FROM daily_summaries
        WHERE athlete_id = $1 AND source = 'merged'`,
      [athleteId],
    );
    expect(merged).toEqual({ respiratory_rate: 16.11328125, skin_temp_c: 33.7, skin_temp_deviation_c: -0.4 });
  });
});
