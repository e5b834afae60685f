import type { GarminActivity, GarminDaily, GarminHrv, GarminSleep } from '../garmin/schemas.ts';
import { normaliseSport } from './sport.ts';
import { type DailyMetrics, emptyDailyMetrics, type NormalisedSession } from './types.ts';

type DailyPart = Partial<Omit<DailyMetrics, 'date' | 'source'>>;

export function normaliseGarminDaily(daily: GarminDaily): DailyMetrics {
  const kcal =
    daily.activeKilocalories === undefined && daily.bmrKilocalories === undefined
      ? null
      : (daily.activeKilocalories ?? 0) + (daily.bmrKilocalories ?? 0);
  return {
    ...emptyDailyMetrics(daily.calendarDate, 'garmin'),
    restingHr: daily.restingHeartRateInBeatsPerMinute ?? null,
    steps: daily.steps ?? null,
    caloriesKcal: kcal,
  };
}

/** `durationInSeconds` already excludes awake and unmeasurable time. */
export function normaliseGarminSleep(sleep: GarminSleep): DailyMetrics {
  return {
    ...emptyDailyMetrics(sleep.calendarDate, 'garmin'),
    sleepDurationS: sleep.durationInSeconds,
    sleepScore: sleep.overallSleepScore?.value ?? null,
  };
}

export function normaliseGarminHrv(hrv: GarminHrv): DailyMetrics {
  return { ...emptyDailyMetrics(hrv.calendarDate, 'garmin'), hrvRmssdMs: hrv.lastNightAvg ?? null };
}

/**
 * Garmin re-sends a summary as the day fills up (same start, longer duration); the latest,
 * longest one replaces the earlier ones.
 */
function latestPerDate<
  T extends { calendarDate: string; startTimeInSeconds: number; durationInSeconds: number },
>(records: readonly T[]): Map<string, T> {
  const byDate = new Map<string, T>();
  for (const record of records) {
    const current = byDate.get(record.calendarDate);
    if (
      current === undefined ||
      record.durationInSeconds > current.durationInSeconds ||
      (record.durationInSeconds === current.durationInSeconds &&
        record.startTimeInSeconds >= current.startTimeInSeconds)
    ) {
      byDate.set(record.calendarDate, record);
    }
  }
  return byDate;
}

function pickDefined(part: DailyMetrics): DailyPart {
  const result: DailyPart = {};
  for (const [key, value] of Object.entries(part) as [keyof DailyMetrics, unknown][]) {
    if (key !== 'date' && key !== 'source' && value !== null)
      (result as Record<string, unknown>)[key] = value;
  }
  return result;
}

/** Merges dailies, sleeps and HRV into one DailyMetrics per calendar date, oldest first. */
export function normaliseGarminDays(input: {
  dailies?: readonly GarminDaily[];
  sleeps?: readonly GarminSleep[];
  hrv?: readonly GarminHrv[];
}): DailyMetrics[] {
  const days = new Map<string, DailyMetrics>();
  const merge = (metrics: DailyMetrics) => {
    const day = days.get(metrics.date) ?? emptyDailyMetrics(metrics.date, 'garmin');
    days.set(metrics.date, { ...day, ...pickDefined(metrics) });
  };
  for (const daily of latestPerDate(input.dailies ?? []).values()) merge(normaliseGarminDaily(daily));
  for (const sleep of latestPerDate(input.sleeps ?? []).values()) merge(normaliseGarminSleep(sleep));
  for (const hrv of latestPerDate(input.hrv ?? []).values()) merge(normaliseGarminHrv(hrv));
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

type ActivityLike = Omit<GarminActivity, 'summaryId'> & { summaryId?: string };

export function normaliseGarminActivity(activity: ActivityLike): NormalisedSession {
  const startedAtMs = activity.startTimeInSeconds * 1000;
  return {
    source: 'garmin',
    externalId: String(activity.activityId ?? activity.summaryId),
    sport: normaliseSport(activity.activityType),
    startedAt: new Date(startedAtMs),
    endedAt: new Date(startedAtMs + activity.durationInSeconds * 1000),
    durationS: activity.durationInSeconds,
    distanceM: activity.distanceInMeters ?? null,
    avgHr: activity.averageHeartRateInBeatsPerMinute ?? null,
    maxHr: activity.maxHeartRateInBeatsPerMinute ?? null,
    calories: activity.activeKilocalories ?? null,
  };
}
