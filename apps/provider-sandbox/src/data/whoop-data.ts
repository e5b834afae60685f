import type { WhoopCycle, WhoopRecovery, WhoopSleep, WhoopWorkout } from '@athlete/providers';
import { baseRespiratoryRate, isOffNight, OFF_NIGHT_SHIFT } from './off-nights.ts';
import { addDays, formatOffset, localDateOf, localTimeMs, round, seededRandom } from './random.ts';
import type { SandboxUser } from './users.ts';

export interface WhoopDataset {
  cycles: WhoopCycle[];
  recoveries: WhoopRecovery[];
  sleeps: WhoopSleep[];
  workouts: WhoopWorkout[];
  /** Start of the related sleep per recovery (WHOOP sorts recoveries by it). */
  recoverySortKey: Map<number, string>;
}

const SPORTS = ['running', 'cycling', 'functional-fitness', 'swimming', 'walking', 'weightlifting'] as const;
const MIN = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A believable year of WHOOP data: one cycle per local day (starting at sleep onset the evening
 * before), its sleep and recovery, and a workout on most days. Each day is seeded by user and date,
 * so a day's values do not depend on `now` or `days`. Nothing ending after `nowMs` is included.
 */
export function generateWhoopData(user: SandboxUser, days: number, nowMs: number): WhoopDataset {
  const offset = user.offsetMinutes;
  const timezone = formatOffset(offset);
  const today = localDateOf(nowMs, offset);
  const data: WhoopDataset = {
    cycles: [],
    recoveries: [],
    sleeps: [],
    workouts: [],
    recoverySortKey: new Map(),
  };

  const starts: number[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(today, i - (days - 1));
    const rng = seededRandom(`${user.login}|whoop|cycle|${date}`);
    starts.push(localTimeMs(addDays(date, -1), 22 * 60 + rng.int(0, 90), offset));
  }

  for (let i = 0; i < days; i++) {
    const date = addDays(today, i - (days - 1));
    const startMs = starts[i]!;
    if (startMs > nowMs) continue;
    const endMs = starts[i + 1];
    const rng = seededRandom(`${user.login}|whoop|day|${date}`);
    const cycleId = user.whoopUserId * 100_000 + Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    const strain = round(rng.between(4, 18), 4);
    const cycleCreated = endMs === undefined ? startMs + 5 * MIN : Math.min(endMs + 5 * MIN, nowMs);
    data.cycles.push({
      id: cycleId,
      user_id: user.whoopUserId,
      created_at: iso(startMs + MIN),
      updated_at: iso(cycleCreated),
      start: iso(startMs),
      ...(endMs === undefined ? {} : { end: iso(endMs) }),
      timezone_offset: timezone,
      score_state: 'SCORED',
      score: {
        strain,
        kilojoule: round(7_000 + strain * 350 + rng.between(-600, 600), 3),
        average_heart_rate: rng.int(58, 78),
        max_heart_rate: rng.int(140, 188),
      },
    });

    const off = isOffNight(user.login, date) ? 1 : 0;
    const sleepMs = rng.between(6.2, 8.6) * 3_600_000;
    const sleepEnd = startMs + sleepMs;
    if (sleepEnd <= nowMs) {
      const sleepId = rng.uuid();
      const awake = Math.round(sleepMs * rng.between(0.04, 0.1));
      const noData = rng.next() < 0.1 ? rng.int(0, 600_000) : 0;
      const asleep = Math.round(sleepMs) - awake - noData;
      const deep = Math.round(asleep * rng.between(0.17, 0.25));
      const rem = Math.round(asleep * rng.between(0.18, 0.26));
      data.sleeps.push({
        id: sleepId,
        cycle_id: cycleId,
        user_id: user.whoopUserId,
        created_at: iso(sleepEnd + 2 * MIN),
        updated_at: iso(sleepEnd + 3 * MIN),
        start: iso(startMs),
        end: iso(sleepEnd),
        timezone_offset: timezone,
        nap: false,
        score_state: 'SCORED',
        score: {
          stage_summary: {
            total_in_bed_time_milli: Math.round(sleepMs),
            total_awake_time_milli: awake,
            total_no_data_time_milli: noData,
            total_light_sleep_time_milli: asleep - deep - rem,
            total_slow_wave_sleep_time_milli: deep,
            total_rem_sleep_time_milli: rem,
            sleep_cycle_count: rng.int(3, 6),
            disturbance_count: rng.int(2, 18),
          },
          sleep_needed: {
            baseline_milli: 27_000_000 + rng.int(0, 1_800_000),
            need_from_sleep_debt_milli: rng.int(0, 1_500_000),
            need_from_recent_strain_milli: rng.int(0, 900_000),
            need_from_recent_nap_milli: 0,
          },
          respiratory_rate: round(
            baseRespiratoryRate(user.login) + rng.between(-0.5, 0.5) + off * OFF_NIGHT_SHIFT.respiratoryRate,
            4,
          ),
          sleep_performance_percentage: rng.int(62, 100),
          sleep_consistency_percentage: rng.int(55, 95),
          sleep_efficiency_percentage: round((asleep / sleepMs) * 100, 4),
        },
      });
      const restingHr = rng.int(44, 62);
      data.recoveries.push({
        cycle_id: cycleId,
        sleep_id: sleepId,
        user_id: user.whoopUserId,
        created_at: iso(sleepEnd + 4 * MIN),
        updated_at: iso(sleepEnd + 5 * MIN),
        score_state: 'SCORED',
        score: {
          user_calibrating: i < 4,
          recovery_score: rng.int(18, 99),
          resting_heart_rate: restingHr,
          hrv_rmssd_milli: round(rng.between(35, 110), 4),
          spo2_percentage: round(rng.between(94, 99), 4),
          skin_temp_celsius: round(33.4 + rng.between(-0.3, 0.3) + off * OFF_NIGHT_SHIFT.skinTempC, 4),
        },
      });
      data.recoverySortKey.set(cycleId, iso(startMs));
    }

    if (rng.next() < 0.6) {
      const sport = rng.pick(SPORTS);
      const workoutStart = localTimeMs(
        date,
        rng.pick([6 * 60 + 30, 12 * 60, 17 * 60 + 30]) + rng.int(0, 60),
        offset,
      );
      const durationMs = rng.int(25, 95) * MIN;
      const workoutEnd = workoutStart + durationMs;
      if (workoutEnd <= nowMs && workoutStart > sleepEnd) {
        const avgHr = rng.int(112, 158);
        const weights = [0.05, 0.15, 0.3, 0.3, 0.15, 0.05].map((w) => w * rng.between(0.6, 1.4));
        const total = weights.reduce((a, b) => a + b, 0);
        const zones = weights.map((w) => Math.floor((durationMs * w) / total));
        zones[2] = (zones[2] ?? 0) + durationMs - zones.reduce((a, b) => a + b, 0);
        const speed = { running: 3, cycling: 7.5, swimming: 0.9, walking: 1.4 }[sport as string];
        data.workouts.push({
          id: rng.uuid(),
          user_id: user.whoopUserId,
          created_at: iso(workoutEnd + 2 * MIN),
          updated_at: iso(workoutEnd + 3 * MIN),
          start: iso(workoutStart),
          end: iso(workoutEnd),
          timezone_offset: timezone,
          sport_name: sport,
          score_state: 'SCORED',
          score: {
            strain: round(rng.between(5, 17), 4),
            average_heart_rate: avgHr,
            max_heart_rate: avgHr + rng.int(12, 34),
            kilojoule: round((durationMs / MIN) * rng.between(28, 55), 3),
            percent_recorded: 100,
            ...(speed === undefined
              ? {}
              : {
                  distance_meter: round((durationMs / 1000) * speed * rng.between(0.85, 1.15), 2),
                  altitude_gain_meter: round(rng.between(0, 180), 2),
                  altitude_change_meter: round(rng.between(-5, 5), 2),
                }),
            zone_durations: {
              zone_zero_milli: zones[0]!,
              zone_one_milli: zones[1]!,
              zone_two_milli: zones[2]!,
              zone_three_milli: zones[3]!,
              zone_four_milli: zones[4]!,
              zone_five_milli: zones[5]!,
            },
          },
        });
      }
    }
  }
  // WHOOP answers newest first.
  const byStartDesc = (a: { start: string }, b: { start: string }) => b.start.localeCompare(a.start);
  data.cycles.sort(byStartDesc);
  data.sleeps.sort(byStartDesc);
  data.workouts.sort(byStartDesc);
  data.recoveries.sort((a, b) =>
    (data.recoverySortKey.get(b.cycle_id) ?? '').localeCompare(data.recoverySortKey.get(a.cycle_id) ?? ''),
  );
  return data;
}
