import type { WhoopCycle, WhoopRecovery, WhoopSleep, WhoopWorkout } from '../whoop/schemas.ts';
import { normaliseSport } from './sport.ts';
import { type DailyMetrics, emptyDailyMetrics, type NormalisedSession } from './types.ts';
import { kilojoulesToKcal, localDate, msToS, offsetToMinutes } from './units.ts';

const HALF_DAY_MS = 12 * 3_600_000;

/**
 * The athlete-local day a WHOOP cycle stands for. Cycles begin at sleep onset, usually the
 * evening before: a cycle starting in the afternoon or later counts for the next day (the day the
 * athlete wakes into), one starting after midnight for that same day.
 */
export function whoopCycleDate(cycle: Pick<WhoopCycle, 'start' | 'timezone_offset'>): string {
  return localDate(Date.parse(cycle.start) + HALF_DAY_MS, offsetToMinutes(cycle.timezone_offset));
}

/** Asleep time (light + slow wave + REM), in seconds; null when unscored. */
export function whoopSleepDurationS(sleep: WhoopSleep): number | null {
  const stages = sleep.score?.stage_summary;
  if (sleep.score_state !== 'SCORED' || stages === undefined) return null;
  return msToS(
    stages.total_light_sleep_time_milli +
      stages.total_slow_wave_sleep_time_milli +
      stages.total_rem_sleep_time_milli,
  );
}

export interface WhoopDayInput {
  cycle: WhoopCycle;
  recovery?: WhoopRecovery | null;
  /** The main (non-nap) sleep of the cycle. */
  sleep?: WhoopSleep | null;
}

export function normaliseWhoopDay({ cycle, recovery, sleep }: WhoopDayInput): DailyMetrics {
  const day = emptyDailyMetrics(whoopCycleDate(cycle), 'whoop');
  if (cycle.score_state === 'SCORED' && cycle.score !== undefined) {
    day.strain = cycle.score.strain;
    day.caloriesKcal = kilojoulesToKcal(cycle.score.kilojoule);
  }
  if (recovery?.score_state === 'SCORED' && recovery.score !== undefined) {
    day.restingHr = recovery.score.resting_heart_rate;
    day.hrvRmssdMs = recovery.score.hrv_rmssd_milli;
    day.recoveryScore = recovery.score.recovery_score;
    day.skinTempC = recovery.score.skin_temp_celsius ?? null;
  }
  if (sleep !== undefined && sleep !== null) {
    day.sleepDurationS = whoopSleepDurationS(sleep);
    day.sleepScore = sleep.score?.sleep_performance_percentage ?? null;
    day.respiratoryRate = sleep.score?.respiratory_rate ?? null;
  }
  return day;
}

/**
 * Joins cycles with their recovery (by `cycle_id`) and main sleep (longest non-nap sleep of the
 * cycle) into one DailyMetrics per cycle, oldest first.
 */
export function normaliseWhoopDays(input: {
  cycles: readonly WhoopCycle[];
  recoveries?: readonly WhoopRecovery[];
  sleeps?: readonly WhoopSleep[];
}): DailyMetrics[] {
  const recoveryByCycle = new Map((input.recoveries ?? []).map((r) => [r.cycle_id, r]));
  const sleepByCycle = new Map<number, WhoopSleep>();
  for (const sleep of input.sleeps ?? []) {
    if (sleep.nap) continue;
    const current = sleepByCycle.get(sleep.cycle_id);
    const length = Date.parse(sleep.end) - Date.parse(sleep.start);
    if (current === undefined || length > Date.parse(current.end) - Date.parse(current.start)) {
      sleepByCycle.set(sleep.cycle_id, sleep);
    }
  }
  return [...input.cycles]
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map((cycle) =>
      normaliseWhoopDay({
        cycle,
        recovery: recoveryByCycle.get(cycle.id),
        sleep: sleepByCycle.get(cycle.id),
      }),
    );
}

export function normaliseWhoopWorkout(workout: WhoopWorkout): NormalisedSession {
  const startedAtMs = Date.parse(workout.start);
  const endedAtMs = Date.parse(workout.end);
  const score = workout.score_state === 'SCORED' ? workout.score : undefined;
  const zones = score?.zone_durations;
  const session: NormalisedSession = {
    source: 'whoop',
    externalId: workout.id,
    sport: normaliseSport(workout.sport_name),
    startedAt: new Date(startedAtMs),
    endedAt: new Date(endedAtMs),
    durationS: Math.round((endedAtMs - startedAtMs) / 1000),
    distanceM: score?.distance_meter ?? null,
    avgHr: score?.average_heart_rate ?? null,
    maxHr: score?.max_heart_rate ?? null,
    calories: score === undefined ? null : kilojoulesToKcal(score.kilojoule),
  };
  if (zones !== undefined) {
    session.timeInZonesS = [
      zones.zone_zero_milli,
      zones.zone_one_milli,
      zones.zone_two_milli,
      zones.zone_three_milli,
      zones.zone_four_milli,
      zones.zone_five_milli,
    ].map(msToS);
  }
  return session;
}
