import {
  garminBodyCompSchema,
  garminDailySchema,
  garminRespirationSchema,
  garminSkinTempSchema,
  garminStressDetailsSchema,
} from '@athlete/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDailyUpdate, applyGarminSummaries, type Deps, listDailySummaries } from '../src/index.ts';
import { openStoreDeps } from './store-deps.ts';

const DATE = '2026-03-02';
// 07:00 at UTC+1 on DATE: the athlete-local day of the weigh-in.
const WEIGH_IN_S = Date.parse(`${DATE}T06:00:00Z`) / 1000;

const stressDetails = (summaryId: string, durationS: number, levels: number[], date = DATE) =>
  garminStressDetailsSchema.parse({
    summaryId,
    calendarDate: date,
    startTimeInSeconds: Date.parse(`${date}T00:00:00Z`) / 1000 - 3_600,
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

const daily = (summaryId: string, durationS: number, averageStressLevel: number, date: string) =>
  garminDailySchema.parse({
    summaryId,
    calendarDate: date,
    startTimeInSeconds: Date.parse(`${date}T00:00:00Z`) / 1000 - 3_600,
    startTimeOffsetInSeconds: 3_600,
    durationInSeconds: durationS,
    steps: 8_000,
    restingHeartRateInBeatsPerMinute: 51,
    averageStressLevel,
  });

describe('Garmin stress and body composition as daily metrics (Postgres)', () => {
  let deps: Deps;
  let close: (() => Promise<void>) | undefined;
  let athleteId: string;

  beforeAll(async () => {
    ({ deps, close } = await openStoreDeps({ s3: false }));
    const user = await deps.db.prisma.user.create({
      data: { email: `garmin-${Date.now()}@example.test`, name: 'G', role: 'athlete', passwordHash: 'x' },
    });
    athleteId = user.id;
  });
  afterAll(async () => close?.());

  const row = (source: 'garmin' | 'whoop' | 'merged', date = DATE) =>
    deps.db.prisma.dailySummary.findUniqueOrThrow({
      where: { athleteId_date_source: { athleteId, date: new Date(`${date}T00:00:00Z`), source } },
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

  it('stress: the daily summary’s average fills a day without stress details; details win, whatever arrives first', async () => {
    const stressOf = async (date: string) => ({
      garmin: (await row('garmin', date)).stressAvg,
      merged: (await row('merged', date)).stressAvg,
    });
    // Dailies first: Garmin's own average stands in until the details come.
    const dailiesFirst = '2026-04-01';
    await applyGarminSummaries(deps, athleteId, 'dailies', [daily('d-1', 43_200, 33, dailiesFirst)]);
    expect(await stressOf(dailiesFirst)).toEqual({ garmin: 33, merged: 33 });
    expect((await row('garmin', dailiesFirst)).data).toMatchObject({
      dailyStress: { averageStressLevel: 33 },
    });
    await applyGarminSummaries(deps, athleteId, 'stressDetails', [
      stressDetails('s-1', 43_200, [20, 40, -2, 60], dailiesFirst),
    ]);
    expect(await stressOf(dailiesFirst)).toEqual({ garmin: 40, merged: 40 });
    // The completed day's summary (same start, longer) updates the rest, not the stress.
    await applyGarminSummaries(deps, athleteId, 'dailies', [daily('d-2', 86_400, 35, dailiesFirst)]);
    expect(await stressOf(dailiesFirst)).toEqual({ garmin: 40, merged: 40 });
    expect(await row('garmin', dailiesFirst)).toMatchObject({ steps: 8_000, restingHr: 51 });

    // Details first: the dailies that follow never take the column over.
    const detailsFirst = '2026-04-02';
    await applyGarminSummaries(deps, athleteId, 'stressDetails', [
      stressDetails('s-2', 86_400, [10, 30, -1], detailsFirst),
    ]);
    expect(await stressOf(detailsFirst)).toEqual({ garmin: 20, merged: 20 });
    await applyGarminSummaries(deps, athleteId, 'dailies', [daily('d-3', 86_400, 55, detailsFirst)]);
    expect(await stressOf(detailsFirst)).toEqual({ garmin: 20, merged: 20 });
    expect((await row('garmin', detailsFirst)).data).toMatchObject({
      stress: { avgStressLevel: 20 },
      dailyStress: { averageStressLevel: 55 },
    });

    // Details with no measured level (only codes) give no average: the daily summary's applies.
    const onlyCodes = '2026-04-03';
    await applyGarminSummaries(deps, athleteId, 'dailies', [daily('d-4', 86_400, 47, onlyCodes)]);
    await applyGarminSummaries(deps, athleteId, 'stressDetails', [
      stressDetails('s-3', 86_400, [-1, -3], onlyCodes),
    ]);
    expect(await stressOf(onlyCodes)).toEqual({ garmin: 47, merged: 47 });

    // −1 is "not enough data", not a stress level.
    const notEnough = '2026-04-04';
    await applyGarminSummaries(deps, athleteId, 'dailies', [daily('d-5', 86_400, -1, notEnough)]);
    expect(await stressOf(notEnough)).toEqual({ garmin: null, merged: null });
  });

  it('weigh-ins: the day keeps its latest measurement, whatever order they are delivered in', async () => {
    const at = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00Z`) / 1000;
    const weighIns = async (date: string) => {
      const g = await row('garmin', date);
      const m = await row('merged', date);
      return { garmin: [g.weightKg, g.bodyFatPct], merged: [m.weightKg, m.bodyFatPct] };
    };
    // In order: 07:00 then 19:00 (UTC+1) — the evening one stands.
    const inOrder = '2026-04-10';
    await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('w-1', at(inOrder, '06:00'), 70_000, 15),
    ]);
    await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('w-2', at(inOrder, '18:00'), 71_200, 15.5),
    ]);
    expect(await weighIns(inOrder)).toEqual({ garmin: [71.2, 15.5], merged: [71.2, 15.5] });

    // Late: the evening one arrives first, the morning one afterwards and is not taken.
    const late = '2026-04-11';
    const lateDay = await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('w-3', at(late, '18:00'), 71_400, 15.6),
    ]);
    expect(lateDay.dates).toEqual([late]);
    const early = await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('w-4', at(late, '06:00'), 70_100, 14.9),
    ]);
    expect(early.dates).toEqual([]);
    expect(await weighIns(late)).toEqual({ garmin: [71.4, 15.6], merged: [71.4, 15.6] });
    expect((await row('garmin', late)).data).toMatchObject({
      bodyComp: { weightKg: 71.4, bodyFatPercent: 15.6 },
      components: { bodyComps: { summaryId: 'w-3' } },
    });
    // Both in one delivery, latest listed first: same outcome.
    const oneBatch = '2026-04-12';
    await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('w-5', at(oneBatch, '18:00'), 71_000, 15.1),
      bodyComp('w-6', at(oneBatch, '06:00'), 70_300, 14.8),
    ]);
    expect(await weighIns(oneBatch)).toEqual({ garmin: [71, 15.1], merged: [71, 15.1] });
    // The same measurement re-sent with corrected figures replaces itself.
    await applyGarminSummaries(deps, athleteId, 'bodyComps', [
      bodyComp('w-5b', at(oneBatch, '18:00'), 70_950, 15),
    ]);
    expect(await weighIns(oneBatch)).toEqual({ garmin: [70.95, 15], merged: [70.95, 15] });
  });

  it('respiration: the mean of every reading of the day, a re-sent summary replacing only its share; skin temperature deviation', async () => {
    const date = '2026-03-09';
    const startS = Date.parse(`${date}T00:00:00Z`) / 1000 - 3_600;
    const respiration = (summaryId: string, fromS: number, breaths: number[]) =>
      garminRespirationSchema.parse({
        summaryId,
        startTimeInSeconds: startS + fromS,
        startTimeOffsetInSeconds: 3_600,
        durationInSeconds: breaths.length * 60,
        timeOffsetEpochToBreaths: Object.fromEntries(breaths.map((v, i) => [String(i * 60), v])),
      });
    // Night readings 14, 15 (and −1: not taken), then the morning's 16, 17, 18.
    await applyGarminSummaries(deps, athleteId, 'allDayRespiration', [respiration('r-1', 0, [14, 15, -1])]);
    expect((await row('garmin', date)).respiratoryRate).toBe(14.5);
    await applyGarminSummaries(deps, athleteId, 'allDayRespiration', [
      respiration('r-2', 28_800, [16, 17, 18]),
    ]);
    expect((await row('garmin', date)).respiratoryRate).toBe(16); // (14 + 15 + 16 + 17 + 18) / 5
    // r-1 again with one more reading: (14 + 15 + 16 + 16 + 17 + 18) / 6 = 16.
    await applyGarminSummaries(deps, athleteId, 'allDayRespiration', [respiration('r-1', 0, [14, 15, 16])]);
    expect((await row('garmin', date)).respiratoryRate).toBe(16);
    await applyGarminSummaries(deps, athleteId, 'skinTemp', [
      garminSkinTempSchema.parse({
        summaryId: 'sk-1',
        calendarDate: date,
        startTimeInSeconds: startS - 7_200,
        startTimeOffsetInSeconds: 3_600,
        durationInSeconds: 28_000,
        avgDeviationCelsius: -0.4,
      }),
    ]);
    expect(await row('merged', date)).toMatchObject({
      respiratoryRate: 16,
      skinTempDeviationC: -0.4,
      skinTempC: null,
      sources: expect.objectContaining({ respiratoryRate: 'garmin', skinTempDeviationC: 'garmin' }),
    });
  });
});
