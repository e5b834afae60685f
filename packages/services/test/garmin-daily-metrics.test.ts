import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@athlete/config';
import { openPostgres } from '@athlete/db';
import { createTestDatabase, type TestDatabase } from '@athlete/db/testing';
import { createPlatform } from '@athlete/platform';
import { garminBodyCompSchema, garminStressDetailsSchema } from '@athlete/providers';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDailyUpdate, applyGarminSummaries, type Deps, listDailySummaries } from '../src/index.ts';

const DATE = '2026-03-02';
// 07:00 at UTC+1 on DATE: the athlete-local day of the weigh-in.
const WEIGH_IN_S = Date.parse(`${DATE}T06:00:00Z`) / 1000;

const stressDetails = (summaryId: string, durationS: number, levels: number[]) =>
  garminStressDetailsSchema.parse({
    summaryId,
    calendarDate: DATE,
    startTimeInSeconds: Date.parse(`${DATE}T00:00:00Z`) / 1000 - 3_600,
    startTimeOffsetInSeconds: 3_600,
    durationInSeconds: durationS,
    // Negative values are Garmin's codes (off wrist, motion…), not stress levels.
    timeOffsetStressLevelValues: Object.fromEntries(levels.map((v, i) => [String(i * 180), v])),
  });

const bodyComp = (summaryId: string, atS: number, grams: number, fat: number) =>
  garminBodyCompSchema.parse({
    summaryId,
    measurementTimeInSeconds: atS,
    measurementTimeOffsetInSeconds: 3_600,
    weightInGrams: grams,
    bodyFatInPercent: fat,
    bodyMassIndex: 22.4,
  });

describe('Garmin stress and body composition as daily metrics (Postgres)', () => {
  let testDb: TestDatabase;
  let deps: Deps;
  let dataDir: string;
  let athleteId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ap-garmin-daily-'));
    const config = loadConfig({ env: {}, overrides: { DATA_DIR: dataDir, DATABASE_URL: testDb.url } });
    const db = await openPostgres(testDb.url, { poolSize: 2 });
    deps = {
      config,
      db,
      platform: await createPlatform(config),
      log: pino({ level: 'silent' }),
      metrics: new Registry(),
    };
    const user = await db.prisma.user.create({
      data: { email: `garmin-${Date.now()}@example.test`, name: 'G', role: 'athlete', passwordHash: 'x' },
    });
    athleteId = user.id;
  });
  afterAll(async () => {
    await deps?.platform.close();
    await deps?.db.close();
    await testDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const row = (source: 'garmin' | 'whoop' | 'merged') =>
    deps.db.prisma.dailySummary.findUniqueOrThrow({
      where: { athleteId_date_source: { athleteId, date: new Date(`${DATE}T00:00:00Z`), source } },
    });
  const answered = async () => {
    const days = await listDailySummaries({
      deps,
      principal: { kind: 'user', userId: athleteId, role: 'athlete', sessionId: 'test', via: 'bearer' },
      athleteId,
      from: DATE,
      to: DATE,
    });
    return Object.fromEntries(days.map((d) => [d.source, d]));
  };

  it('fills the stress and body composition columns from the summaries, and the API answers them', async () => {
    const stress = await applyGarminSummaries(deps, athleteId, 'stressDetails', [
      stressDetails('st-1', 43_200, [20, 40, -1, 60, -3]),
    ]);
    const weigh = await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('bc-1', WEIGH_IN_S, 71_300, 14.2),
    ]);
    expect(stress.dates).toEqual([DATE]);
    expect(weigh.dates).toEqual([DATE]);

    const garmin = await row('garmin');
    expect(garmin).toMatchObject({ stressAvg: 40, weightKg: 71.3, bodyFatPct: 14.2 });
    // The raw figures stay in `data` next to the columns.
    expect(garmin.data).toMatchObject({
      stress: { avgStressLevel: 40 },
      bodyComp: { weightKg: 71.3, bodyFatPercent: 14.2, bodyMassIndex: 22.4 },
    });
    const merged = await row('merged');
    expect(merged).toMatchObject({ stressAvg: 40, weightKg: 71.3, bodyFatPct: 14.2 });
    expect(merged.sources).toMatchObject({ stressAvg: 'garmin', weightKg: 'garmin', bodyFatPct: 'garmin' });

    const api = await answered();
    expect(api.garmin).toMatchObject({ stressAvg: 40, weightKg: 71.3, bodyFatPct: 14.2 });
    expect(api.merged).toMatchObject({ stressAvg: 40, weightKg: 71.3, bodyFatPct: 14.2 });
  });

  it('applies Garmin’s update rule: a longer stress record replaces, a shorter re-delivery does not', async () => {
    await applyGarminSummaries(deps, athleteId, 'stressDetails', [
      stressDetails('st-2', 86_400, [10, 20, 30]),
    ]);
    expect((await row('garmin')).stressAvg).toBe(20);
    await applyGarminSummaries(deps, athleteId, 'stressDetails', [stressDetails('st-3', 3_600, [90])]);
    expect((await row('garmin')).stressAvg).toBe(20);
    expect((await row('merged')).stressAvg).toBe(20);
    // A later weigh-in that day replaces the earlier one.
    await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('bc-2', WEIGH_IN_S + 600, 70_900, 14),
    ]);
    expect(await row('merged')).toMatchObject({ stressAvg: 20, weightKg: 70.9, bodyFatPct: 14 });
  });

  it('merges the new metrics by the athlete’s source precedence like every other', async () => {
    // Another source reporting the same day (e.g. a scale synced through WHOOP).
    await applyDailyUpdate({
      deps,
      athleteId,
      date: DATE,
      source: 'whoop',
      update: () => ({ fields: { weightKg: 72.5, restingHr: 50 } }),
    });
    // Default precedence: WHOOP first; Garmin still supplies what WHOOP lacks.
    expect(await row('merged')).toMatchObject({ weightKg: 72.5, bodyFatPct: 14, stressAvg: 20 });
    expect((await row('merged')).sources).toMatchObject({
      weightKg: 'whoop',
      bodyFatPct: 'garmin',
      stressAvg: 'garmin',
    });

    await deps.db.prisma.athleteProfile.create({
      data: { userId: athleteId, sourcePrecedence: ['garmin', 'whoop'] },
    });
    await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('bc-3', WEIGH_IN_S + 1_200, 70_800, 13.9),
    ]);
    expect(await row('merged')).toMatchObject({ weightKg: 70.8, bodyFatPct: 13.9, restingHr: 50 });
    expect((await row('merged')).sources).toMatchObject({ weightKg: 'garmin', restingHr: 'whoop' });
  });
});
