import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres, runMigrations } from '../src/index.ts';
import { createEmptyTestDatabase, migrateBefore, type TestDatabase } from '../src/testing.ts';

const MIGRATION = '0008_profile_value_sources.sql';

describe(`migration ${MIGRATION}: profile values record who supplied them`, () => {
  let test: TestDatabase;
  let db: Database;
  const ids: string[] = [];

  beforeAll(async () => {
    test = await createEmptyTestDatabase();
    db = await openPostgres(test.url, { poolSize: 2 });
    await migrateBefore(db, MIGRATION);
    for (const n of [1, 2]) {
      const [user] = await db.query<{ id: string }>(
        `INSERT INTO users (email, password_hash, name, role) VALUES ($1, 'x', 'M', 'athlete') RETURNING id`,
        [`m${n}@example.test`],
      );
      ids.push(user!.id);
    }
    await db.query(
      `INSERT INTO athlete_profiles (user_id, birth_year, sex, weight_kg, hr_max, hr_rest, hr_zones, thresholds)
       VALUES ($1, 1988, 'female', 61.5, 187, 49, '{120,140,155,170,187}', '{"hrAboveBpm":175}'::jsonb),
              ($2, NULL, NULL, NULL, NULL, NULL, '{}', NULL)`,
      ids,
    );
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('keeps every stored value and records no source for them', async () => {
    expect(await runMigrations(db)).toContain(MIGRATION);
    const rows = await db.query<Record<string, unknown>>(
      `SELECT birth_year, sex::text AS sex, weight_kg, hr_max, hr_rest, hr_zones, thresholds, sources
         FROM athlete_profiles WHERE user_id = ANY($1::uuid[]) ORDER BY hr_max NULLS LAST`,
      [ids],
    );
    expect(rows).toEqual([
      {
        birth_year: 1988,
        sex: 'female',
        weight_kg: 61.5,
        hr_max: 187,
        hr_rest: 49,
        hr_zones: [120, 140, 155, 170, 187],
        thresholds: { hrAboveBpm: 175 },
        sources: {},
      },
      {
        birth_year: null,
        sex: null,
        weight_kg: null,
        hr_max: null,
        hr_rest: null,
        hr_zones: [],
        thresholds: null,
        sources: {},
      },
    ]);
  });

  it('refuses a sources value that is not an object', async () => {
    await expect(
      db.query(`UPDATE athlete_profiles SET sources = '["whoop"]'::jsonb WHERE user_id = $1`, [ids[0]]),
    ).rejects.toThrow(/athlete_profiles_sources_object/);
  });
});
