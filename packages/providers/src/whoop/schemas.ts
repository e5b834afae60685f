import { z } from 'zod';

// Shapes from WHOOP's OpenAPI document (reference/whoop-openapi.yml). Objects strip unknown keys.

const dateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO date-time');
const timezoneOffset = z.string().regex(/^(Z|[+-]\d{2}:\d{2})$/, 'expected +hh:mm, -hh:mm or Z');
const int = z.number().int();

export const whoopScoreStateSchema = z.enum(['SCORED', 'PENDING_SCORE', 'UNSCORABLE']);
export type WhoopScoreState = z.infer<typeof whoopScoreStateSchema>;

export const whoopCycleScoreSchema = z.object({
  strain: z.number(),
  kilojoule: z.number(),
  average_heart_rate: int,
  max_heart_rate: int,
});

export const whoopCycleSchema = z.object({
  id: int,
  user_id: int,
  created_at: dateTime,
  updated_at: dateTime,
  start: dateTime,
  end: dateTime.optional(),
  timezone_offset: timezoneOffset,
  score_state: whoopScoreStateSchema,
  score: whoopCycleScoreSchema.optional(),
});
export type WhoopCycle = z.infer<typeof whoopCycleSchema>;

export const whoopRecoveryScoreSchema = z.object({
  user_calibrating: z.boolean(),
  recovery_score: z.number(),
  resting_heart_rate: z.number(),
  hrv_rmssd_milli: z.number(),
  spo2_percentage: z.number().optional(),
  skin_temp_celsius: z.number().optional(),
});

export const whoopRecoverySchema = z.object({
  cycle_id: int,
  sleep_id: z.string(),
  user_id: int,
  created_at: dateTime,
  updated_at: dateTime,
  score_state: whoopScoreStateSchema,
  score: whoopRecoveryScoreSchema.optional(),
});
export type WhoopRecovery = z.infer<typeof whoopRecoverySchema>;

export const whoopSleepStageSummarySchema = z.object({
  total_in_bed_time_milli: int,
  total_awake_time_milli: int,
  total_no_data_time_milli: int,
  total_light_sleep_time_milli: int,
  total_slow_wave_sleep_time_milli: int,
  total_rem_sleep_time_milli: int,
  sleep_cycle_count: int,
  disturbance_count: int,
});

export const whoopSleepNeededSchema = z.object({
  baseline_milli: int,
  need_from_sleep_debt_milli: int,
  need_from_recent_strain_milli: int,
  need_from_recent_nap_milli: int,
});

export const whoopSleepScoreSchema = z.object({
  stage_summary: whoopSleepStageSummarySchema,
  sleep_needed: whoopSleepNeededSchema,
  respiratory_rate: z.number().optional(),
  sleep_performance_percentage: z.number().optional(),
  sleep_consistency_percentage: z.number().optional(),
  sleep_efficiency_percentage: z.number().optional(),
});

export const whoopSleepSchema = z.object({
  id: z.string(),
  cycle_id: int,
  v1_id: int.optional(),
  user_id: int,
  created_at: dateTime,
  updated_at: dateTime,
  start: dateTime,
  end: dateTime,
  timezone_offset: timezoneOffset,
  nap: z.boolean(),
  score_state: whoopScoreStateSchema,
  score: whoopSleepScoreSchema.optional(),
});
export type WhoopSleep = z.infer<typeof whoopSleepSchema>;

export const whoopZoneDurationsSchema = z.object({
  zone_zero_milli: int,
  zone_one_milli: int,
  zone_two_milli: int,
  zone_three_milli: int,
  zone_four_milli: int,
  zone_five_milli: int,
});
export type WhoopZoneDurations = z.infer<typeof whoopZoneDurationsSchema>;

const whoopWorkoutScoreBaseSchema = z.object({
  strain: z.number(),
  average_heart_rate: int,
  max_heart_rate: int,
  kilojoule: z.number(),
  percent_recorded: z.number(),
  distance_meter: z.number().optional(),
  altitude_gain_meter: z.number().optional(),
  altitude_change_meter: z.number().optional(),
  zone_durations: whoopZoneDurationsSchema.optional(),
  // An older example spells it singular; accept it and fold it into `zone_durations`.
  zone_duration: whoopZoneDurationsSchema.optional(),
});

export const whoopWorkoutScoreSchema = whoopWorkoutScoreBaseSchema.transform(
  ({ zone_duration, ...score }) => ({
    ...score,
    zone_durations: score.zone_durations ?? zone_duration,
  }),
);

export const whoopWorkoutSchema = z.object({
  id: z.string(),
  v1_id: int.optional(),
  user_id: int,
  created_at: dateTime,
  updated_at: dateTime,
  start: dateTime,
  end: dateTime,
  timezone_offset: timezoneOffset,
  sport_name: z.string(),
  sport_id: int.optional(),
  score_state: whoopScoreStateSchema,
  score: whoopWorkoutScoreSchema.optional(),
});
export type WhoopWorkout = z.infer<typeof whoopWorkoutSchema>;

export const whoopProfileSchema = z.object({
  user_id: int,
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
});
export type WhoopProfile = z.infer<typeof whoopProfileSchema>;

export const whoopBodyMeasurementSchema = z.object({
  height_meter: z.number(),
  weight_kilogram: z.number(),
  max_heart_rate: int,
});
export type WhoopBodyMeasurement = z.infer<typeof whoopBodyMeasurementSchema>;

/** `{records, next_token}`: snake_case in the answer, absent or null on the last page. */
export function whoopPageSchema<T extends z.ZodType>(record: T) {
  return z.object({
    records: z.array(record),
    next_token: z.string().nullish(),
  });
}

export const whoopWebhookEventTypeSchema = z.enum([
  'recovery.updated',
  'recovery.deleted',
  'workout.updated',
  'workout.deleted',
  'sleep.updated',
  'sleep.deleted',
]);
export type WhoopWebhookEventType = z.infer<typeof whoopWebhookEventTypeSchema>;

/** Webhook body. `id` is a UUID under v2 webhooks, an integer under v1 (and maybe a cycle id for recovery). */
export const whoopWebhookEventSchema = z.object({
  user_id: int,
  id: z.union([z.string(), int]),
  type: z.string(),
  trace_id: z.string(),
});
export type WhoopWebhookEvent = z.infer<typeof whoopWebhookEventSchema>;
