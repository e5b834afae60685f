import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres, runMigrations } from '../src/index.ts';
import { createEmptyTestDatabase, migrateBefore, type TestDatabase } from '../src/testing.ts';

const MIGRATION = '0006_daily_stress_body_comp.sql';

interface Row {
  date: string;
  source: string;
  stress_avg: number | null;
  weight_kg: number | null;
  body_fat_pct: number | null;
  resting_hr: number | null;
  sources: Record<string, string> | null;
}

describe(`migration ${MIGRATION}: Garmin stress and body composition become columns`, () => {
  let test: TestDatabase;
  let db: Database;
  let athleteId: string;

  beforeAll(async () => {
    test = await createEmptyTestDatabase();
    db = await openPostgres(test.url, { poolSize: 2 });
    await migrateBefore(db, MIGRATION);
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, name, role) VALUES ('m@example.test', 'x', 'M', 'athlete') RETURNING id`,
    );
    athleteId = user!.id;
    const day = (date: string, source: string, data: unknown, extra = '') =>
      db.query(
        `INSERT INTO daily_summaries (athlete_id, date, source, data, resting_hr, sources)
         VALUES ($1, $2, $3, $4::jsonb, ${extra || 'NULL, NULL'})`,
        [athleteId, date, source, data === null ? null : JSON.stringify(data)],
      );
    // What the Garmin sync stored in `data` before the columns existed.
    await day('2026-01-05', 'garmin', {
      components: { stressDetails: { summaryId: 's', startS: 1, durationS: 86_400 } },
      stress: { avgStressLevel: 37 },
      bodyComp: { weightKg: 71.25, bodyFatPercent: 14.5, bodyMassIndex: 22.1 },
    });
    await day('2026-01-05', 'whoop', null, `52, NULL`);
    await day('2026-01-05', 'merged', null, `52, '{"restingHr":"whoop"}'::jsonb`);
    // Stress only; no merged row recorded sources yet.
    await day('2026-01-06', 'garmin', { stress: { avgStressLevel: 41 } });
    await day('2026-01-06', 'merged', null);
    // Values that are not JSON numbers stay NULL instead of failing the migration.
    await day('2026-01-07', 'garmin', {
      stress: { avgStressLevel: null },
      bodyComp: { weightKg: 'heavy', bodyFatPercent: 12 },
    });
    await day('2026-01-07', 'merged', null);
    // A day without Garmin data is left alone.
    await day('2026-01-08', 'whoop', { other: 1 }, `50, NULL`);
    await day('2026-01-08', 'merged', null, `50, '{"restingHr":"whoop"}'::jsonb`);
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('backfills the source and merged rows from the stored JSON', async () => {
    expect(await runMigrations(db)).toContain(MIGRATION);
    const rows = await db.query<Row>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, source::text AS source, stress_avg, weight_kg,
              body_fat_pct, resting_hr, sources
         FROM daily_summaries WHERE athlete_id = $1 ORDER BY date, source`,
      [athleteId],
    );
    const at = (date: string, source: string) => rows.find((r) => r.date === date && r.source === source);
    expect(at('2026-01-05', 'garmin')).toMatchObject({
      stress_avg: 37,
      weight_kg: 71.25,
      body_fat_pct: 14.5,
    });
    expect(at('2026-01-05', 'whoop')).toMatchObject({ stress_avg: null, weight_kg: null, resting_hr: 52 });
    expect(at('2026-01-05', 'merged')).toMatchObject({
      stress_avg: 37,
      weight_kg: 71.25,
      body_fat_pct: 14.5,
      resting_hr: 52,
      sources: { restingHr: 'whoop', stressAvg: 'garmin', weightKg: 'garmin', bodyFatPct: 'garmin' },
    });
    expect(at('2026-01-06', 'garmin')).toMatchObject({ stress_avg: 41, weight_kg: null, body_fat_pct: null });
    expect(at('2026-01-06', 'merged')).toMatchObject({ stress_avg: 41, sources: { stressAvg: 'garmin' } });
    expect(at('2026-01-07', 'garmin')).toMatchObject({ stress_avg: null, weight_kg: null, body_fat_pct: 12 });
    expect(at('2026-01-07', 'merged')).toMatchObject({
      stress_avg: null,
      weight_kg: null,
      body_fat_pct: 12,
      sources: { bodyFatPct: 'garmin' },
    });
    expect(at('2026-01-08', 'merged')).toMatchObject({
      stress_avg: null,
      weight_kg: null,
      body_fat_pct: null,
      sources: { restingHr: 'whoop' },
    });
  });
});
