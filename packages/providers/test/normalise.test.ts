import { describe, expect, it } from 'vitest';
import {
  type GarminActivity,
  type GarminDaily,
  type GarminHrv,
  type GarminSleep,
  normaliseGarminActivity,
  normaliseGarminDays,
  normaliseSport,
  normaliseWhoopDays,
  normaliseWhoopWorkout,
  whoopCycleDate,
  whoopCycleSchema,
  whoopRecoverySchema,
  whoopSleepSchema,
  whoopWorkoutSchema,
} from '../src/index.ts';
import { cycleFixture, recoveryFixture, sleepFixture, workoutFixture } from './helpers.ts';

describe('WHOOP normalisers', () => {
  const cycle = whoopCycleSchema.parse(cycleFixture);
  const recovery = whoopRecoverySchema.parse(recoveryFixture);
  const sleep = whoopSleepSchema.parse(sleepFixture);

  it('dates a cycle on the athlete-local day it wakes into', () => {
    // 03:25Z at -05:00 is 22:25 on the 23rd: the cycle stands for the 24th.
    expect(whoopCycleDate(cycle)).toBe('2024-04-24');
    expect(whoopCycleDate({ start: '2024-04-24T06:00:00Z', timezone_offset: '-05:00' })).toBe('2024-04-24');
    expect(whoopCycleDate({ start: '2024-04-24T21:00:00Z', timezone_offset: '+09:00' })).toBe('2024-04-25');
  });

  it('joins cycle, recovery and main sleep into SI daily metrics', () => {
    const nap = {
      ...sleep,
      id: 'nap',
      nap: true,
      start: '2024-04-24T18:00:00Z',
      end: '2024-04-24T18:20:00Z',
    };
    const [day] = normaliseWhoopDays({ cycles: [cycle], recoveries: [recovery], sleeps: [nap, sleep] });
    expect(day).toEqual({
      date: '2024-04-24',
      source: 'whoop',
      restingHr: 64,
      hrvRmssdMs: 31.813562,
      sleepDurationS: Math.round((14905851 + 6630370 + 5879573) / 1000),
      sleepScore: 98,
      recoveryScore: 44,
      strain: 5.2951527,
      steps: null,
      caloriesKcal: 1981,
      respiratoryRate: 16.11328125,
      skinTempC: 33.7,
      skinTempDeviationC: null,
    });
  });

  it('leaves unscored values null', () => {
    const pending = whoopCycleSchema.parse({
      ...cycleFixture,
      score_state: 'PENDING_SCORE',
      score: undefined,
    });
    const [day] = normaliseWhoopDays({ cycles: [pending] });
    expect(day?.strain).toBeNull();
    expect(day?.recoveryScore).toBeNull();
  });

  it('normalises a workout with zones in seconds and kcal', () => {
    const session = normaliseWhoopWorkout(whoopWorkoutSchema.parse(workoutFixture));
    expect(session).toEqual({
      source: 'whoop',
      externalId: workoutFixture.id,
      sport: 'running',
      startedAt: new Date('2022-04-24T02:25:44.774Z'),
      endedAt: new Date('2022-04-24T10:25:44.774Z'),
      durationS: 8 * 3600,
      distanceM: 1772.77035916,
      avgHr: 123,
      maxHr: 146,
      calories: 375.1,
      timeInZonesS: [300, 600, 900, 900, 600, 300],
    });
  });

  it('accepts the singular zone_duration spelling', () => {
    const { zone_durations, ...score } = workoutFixture.score;
    const parsed = whoopWorkoutSchema.parse({
      ...workoutFixture,
      score: { ...score, zone_duration: zone_durations },
    });
    expect(normaliseWhoopWorkout(parsed).timeInZonesS).toEqual([300, 600, 900, 900, 600, 300]);
  });
});

describe('Garmin normalisers', () => {
  const base = { startTimeOffsetInSeconds: 7200, startTimeInSeconds: 1714773600 };
  const partialDaily: GarminDaily = {
    ...base,
    summaryId: 'd1',
    calendarDate: '2024-05-04',
    durationInSeconds: 43_200,
    steps: 4000,
    restingHeartRateInBeatsPerMinute: 50,
  };
  const fullDaily: GarminDaily = {
    ...partialDaily,
    durationInSeconds: 86_400,
    steps: 11_234,
    activeKilocalories: 650,
    bmrKilocalories: 1700,
    restingHeartRateInBeatsPerMinute: 48,
  };
  const sleep: GarminSleep = {
    ...base,
    summaryId: 's1',
    calendarDate: '2024-05-04',
    durationInSeconds: 26_100,
    overallSleepScore: { value: 84, qualifierKey: 'GOOD' },
    unmeasurableSleepInSeconds: undefined,
  };
  const hrv: GarminHrv = {
    ...base,
    summaryId: 'h1',
    calendarDate: '2024-05-04',
    durationInSeconds: 26_000,
    lastNightAvg: 62,
  };

  it('merges dailies, sleep and HRV per calendar date, the longest daily winning', () => {
    const days = normaliseGarminDays({ dailies: [fullDaily, partialDaily], sleeps: [sleep], hrv: [hrv] });
    expect(days).toEqual([
      {
        date: '2024-05-04',
        source: 'garmin',
        restingHr: 48,
        hrvRmssdMs: 62,
        sleepDurationS: 26_100,
        sleepScore: 84,
        recoveryScore: null,
        strain: null,
        steps: 11_234,
        caloriesKcal: 2350,
        respiratoryRate: null,
        skinTempC: null,
        skinTempDeviationC: null,
      },
    ]);
  });

  it('normalises an activity summary', () => {
    const activity: GarminActivity = {
      summaryId: '5001968355',
      activityId: 5001968355,
      activityType: 'TRAIL_RUNNING',
      startTimeInSeconds: 1714800000,
      startTimeOffsetInSeconds: 7200,
      durationInSeconds: 3600,
      distanceInMeters: 10_500.5,
      averageHeartRateInBeatsPerMinute: 151,
      maxHeartRateInBeatsPerMinute: 178,
      activeKilocalories: 720,
    };
    expect(normaliseGarminActivity(activity)).toEqual({
      source: 'garmin',
      externalId: '5001968355',
      sport: 'running',
      startedAt: new Date(1714800000_000),
      endedAt: new Date(1714803600_000),
      durationS: 3600,
      distanceM: 10_500.5,
      avgHr: 151,
      maxHr: 178,
      calories: 720,
    });
  });

  it('maps provider sport names to the platform vocabulary', () => {
    expect(normaliseSport('ROAD_BIKING')).toBe('cycling');
    expect(normaliseSport('LAP_SWIMMING')).toBe('swimming');
    expect(normaliseSport('functional-fitness')).toBe('strength');
    expect(normaliseSport('Biking')).toBe('cycling');
    expect(normaliseSport('meditation')).toBe('other');
    expect(normaliseSport('INDOOR_CARDIO')).toBe('other');
    expect(normaliseSport('Stairmaster')).toBe('other');
    expect(normaliseSport('flexibility_training')).toBe('yoga');
    expect(normaliseSport('strength_training')).toBe('strength');
    expect(normaliseSport(undefined)).toBe('other');
  });
});
