import { z } from 'zod';

// Garmin Health API / Activity API shapes (reference/providers.md §2). Garmin omits fields it
// has no value for, so nearly everything beyond identity and time is optional. Unknown keys are
// stripped; enum-like strings stay plain strings because Garmin adds values over time.

const int = z.number().int();
const num = z.number();
/** Maps keyed by an offset in seconds written as a string. */
const offsetMap = z.record(z.string(), num);

const summaryBase = {
  summaryId: z.string(),
  startTimeInSeconds: int,
  startTimeOffsetInSeconds: int.default(0),
  durationInSeconds: int,
};

export const garminDailySchema = z.object({
  ...summaryBase,
  calendarDate: z.string(),
  activityType: z.string().optional(),
  steps: int.optional(),
  pushes: int.optional(),
  distanceInMeters: num.optional(),
  pushDistanceInMeters: num.optional(),
  activeTimeInSeconds: int.optional(),
  activeKilocalories: num.optional(),
  bmrKilocalories: num.optional(),
  moderateIntensityDurationInSeconds: int.optional(),
  vigorousIntensityDurationInSeconds: int.optional(),
  floorsClimbed: int.optional(),
  minHeartRateInBeatsPerMinute: int.optional(),
  averageHeartRateInBeatsPerMinute: int.optional(),
  maxHeartRateInBeatsPerMinute: int.optional(),
  restingHeartRateInBeatsPerMinute: int.optional(),
  timeOffsetHeartRateSamples: offsetMap.optional(),
  averageStressLevel: int.optional(),
  maxStressLevel: int.optional(),
  stressDurationInSeconds: int.optional(),
  restStressDurationInSeconds: int.optional(),
  activityStressDurationInSeconds: int.optional(),
  lowStressDurationInSeconds: int.optional(),
  mediumStressDurationInSeconds: int.optional(),
  highStressDurationInSeconds: int.optional(),
  stressQualifier: z.string().optional(),
  bodyBatteryChargedValue: int.optional(),
  bodyBatteryDrainedValue: int.optional(),
  stepsGoal: int.optional(),
  pushesGoal: int.optional(),
  intensityDurationGoalInSeconds: int.optional(),
  floorsClimbedGoal: int.optional(),
});
export type GarminDaily = z.infer<typeof garminDailySchema>;

const sleepInterval = z.object({ startTimeInSeconds: int, endTimeInSeconds: int });
const qualifier = z.object({ qualifierKey: z.string() });

export const garminSleepSchema = z
  .object({
    ...summaryBase,
    calendarDate: z.string(),
    totalNapDurationInSeconds: int.optional(),
    unmeasurableSleepInSeconds: int.optional(),
    // One documented example spells it this way; folded into `unmeasurableSleepInSeconds`.
    unmeasurableSleepDurationInSeconds: int.optional(),
    deepSleepDurationInSeconds: int.optional(),
    lightSleepDurationInSeconds: int.optional(),
    remSleepInSeconds: int.optional(),
    awakeDurationInSeconds: int.optional(),
    sleepLevelsMap: z.record(z.string(), z.array(sleepInterval)).optional(),
    validation: z.string().optional(),
    timeOffsetSleepRespiration: offsetMap.optional(),
    timeOffsetSleepSpo2: offsetMap.optional(),
    overallSleepScore: z.object({ value: num, qualifierKey: z.string().optional() }).optional(),
    sleepScores: z.record(z.string(), qualifier).optional(),
    naps: z
      .array(
        z.object({
          napDurationInSeconds: int,
          napStartTimeInSeconds: int,
          napValidation: z.string().optional(),
          napOffsetInSeconds: int.optional(),
        }),
      )
      .optional(),
  })
  .transform(({ unmeasurableSleepDurationInSeconds, ...sleep }) => ({
    ...sleep,
    unmeasurableSleepInSeconds: sleep.unmeasurableSleepInSeconds ?? unmeasurableSleepDurationInSeconds,
  }));
export type GarminSleep = z.infer<typeof garminSleepSchema>;

export const garminHrvSchema = z.object({
  ...summaryBase,
  calendarDate: z.string(),
  lastNightAvg: num.optional(),
  lastNight5MinHigh: num.optional(),
  hrvValues: offsetMap.optional(),
});
export type GarminHrv = z.infer<typeof garminHrvSchema>;

export const garminStressDetailsSchema = z.object({
  ...summaryBase,
  calendarDate: z.string(),
  timeOffsetStressLevelValues: offsetMap.optional(),
  timeOffsetBodyBatteryValues: offsetMap.optional(),
  bodyBatteryDynamicFeedbackEvent: z
    .object({ eventStartTimeInSeconds: int, bodyBatteryLevel: z.union([z.string(), num]) })
    .optional(),
  bodyBatteryActivityEvents: z
    .array(
      z.object({
        eventType: z.string(),
        eventStartTimeInSeconds: int,
        eventStartTimeOffsetInSeconds: int.optional(),
        duration: int.optional(),
        bodyBatteryImpact: num.optional(),
      }),
    )
    .optional(),
});
export type GarminStressDetails = z.infer<typeof garminStressDetailsSchema>;

/**
 * Skin temperature: the night's average deviation from the user's own baseline (°C), not an
 * absolute temperature. Loose, so the raw copy keeps every field Garmin sends.
 */
export const garminSkinTempSchema = z.looseObject({
  ...summaryBase,
  durationInSeconds: int.optional(),
  calendarDate: z.string().optional(),
  avgDeviationCelsius: num.optional(),
});
export type GarminSkinTemp = z.infer<typeof garminSkinTempSchema>;

/** All-day respiration: breaths per minute keyed by the offset (s) from `startTimeInSeconds`. */
export const garminRespirationSchema = z.looseObject({
  ...summaryBase,
  durationInSeconds: int.optional(),
  timeOffsetEpochToBreaths: offsetMap.optional(),
});
export type GarminRespiration = z.infer<typeof garminRespirationSchema>;

export const garminBodyCompSchema = z.object({
  summaryId: z.string(),
  measurementTimeInSeconds: int,
  measurementTimeOffsetInSeconds: int.default(0),
  muscleMassInGrams: int.optional(),
  boneMassInGrams: int.optional(),
  bodyWaterInPercent: num.optional(),
  bodyFatInPercent: num.optional(),
  bodyMassIndex: num.optional(),
  weightInGrams: int.optional(),
});
export type GarminBodyComp = z.infer<typeof garminBodyCompSchema>;

export const garminUserMetricsSchema = z.object({
  summaryId: z.string(),
  calendarDate: z.string(),
  vo2Max: num.optional(),
  vo2MaxCycling: num.optional(),
  enhanced: z.boolean().optional(),
  fitnessAge: int.optional(),
});
export type GarminUserMetrics = z.infer<typeof garminUserMetricsSchema>;

export const garminActivitySchema = z.object({
  ...summaryBase,
  activityId: int.optional(),
  activityName: z.string().optional(),
  activityType: z.string(),
  deviceName: z.string().optional(),
  averageHeartRateInBeatsPerMinute: int.optional(),
  maxHeartRateInBeatsPerMinute: int.optional(),
  averageBikeCadenceInRoundsPerMinute: num.optional(),
  maxBikeCadenceInRoundsPerMinute: num.optional(),
  averageRunCadenceInStepsPerMinute: num.optional(),
  maxRunCadenceInStepsPerMinute: num.optional(),
  averageSwimCadenceInStrokesPerMinute: num.optional(),
  averageSpeedInMetersPerSecond: num.optional(),
  maxSpeedInMetersPerSecond: num.optional(),
  averagePaceInMinutesPerKilometer: num.optional(),
  maxPaceInMinutesPerKilometer: num.optional(),
  activeKilocalories: num.optional(),
  distanceInMeters: num.optional(),
  numberOfActiveLengths: int.optional(),
  steps: int.optional(),
  startingLatitudeInDegree: num.optional(),
  startingLongitudeInDegree: num.optional(),
  totalElevationGainInMeters: num.optional(),
  totalElevationLossInMeters: num.optional(),
  isParent: z.boolean().optional(),
  parentSummaryId: z.union([z.string(), int]).optional(),
  manual: z.boolean().optional(),
  isWebUpload: z.boolean().optional(),
});
export type GarminActivity = z.infer<typeof garminActivitySchema>;

export const garminActivitySampleSchema = z.object({
  startTimeInSeconds: int,
  latitudeInDegree: num.optional(),
  longitudeInDegree: num.optional(),
  elevationInMeters: num.optional(),
  airTemperatureCelcius: num.optional(),
  heartRate: num.optional(),
  speedMetersPerSecond: num.optional(),
  stepsPerMinute: num.optional(),
  totalDistanceInMeters: num.optional(),
  timerDurationInSeconds: num.optional(),
  clockDurationInSeconds: num.optional(),
  movingDurationInSeconds: num.optional(),
  powerInWatts: num.optional(),
  bikeCadenceInRPM: num.optional(),
  swimCadenceInStrokesPerMinute: num.optional(),
  directWheelchairCadence: num.optional(),
});
export type GarminActivitySample = z.infer<typeof garminActivitySampleSchema>;

export const garminActivityDetailsSchema = z.object({
  summaryId: z.string(),
  activityId: int.optional(),
  summary: garminActivitySchema.omit({ summaryId: true }),
  samples: z.array(garminActivitySampleSchema).default([]),
  laps: z.array(z.object({ startTimeInSeconds: int })).default([]),
});
export type GarminActivityDetails = z.infer<typeof garminActivityDetailsSchema>;

export const garminPermissionSchema = z.string();
export const GARMIN_PERMISSIONS = [
  'ACTIVITY_EXPORT',
  'WORKOUT_IMPORT',
  'HEALTH_EXPORT',
  'COURSE_IMPORT',
  'MCT_EXPORT',
] as const;

export const garminUserIdSchema = z.object({ userId: z.string() });
export const garminPermissionsSchema = z.array(garminPermissionSchema);
