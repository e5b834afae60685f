import { z } from 'zod';
import {
  garminActivityDetailsSchema,
  garminActivitySchema,
  garminBodyCompSchema,
  garminDailySchema,
  garminHrvSchema,
  garminRespirationSchema,
  garminSkinTempSchema,
  garminSleepSchema,
  garminStressDetailsSchema,
  garminUserMetricsSchema,
} from './schemas.ts';

/** Summary types as they appear as keys in ping/push bodies and in pull URLs. */
export const GARMIN_HEALTH_SUMMARY_TYPES = [
  'dailies',
  'epochs',
  'sleeps',
  'bodyComps',
  'stressDetails',
  'userMetrics',
  'pulseox',
  'allDayRespiration',
  'healthSnapshot',
  'hrv',
  'bloodPressures',
  'skinTemp',
] as const;
export const GARMIN_ACTIVITY_SUMMARY_TYPES = [
  'activities',
  'activityDetails',
  'activityFiles',
  'moveIQActivities',
  'manuallyUpdatedActivities',
] as const;
export type GarminHealthSummaryType = (typeof GARMIN_HEALTH_SUMMARY_TYPES)[number];
export type GarminActivitySummaryType = (typeof GARMIN_ACTIVITY_SUMMARY_TYPES)[number];
export type GarminSummaryType = GarminHealthSummaryType | GarminActivitySummaryType;

/** Any summary we have no detailed schema for keeps all its fields. */
const looseSummarySchema = z.looseObject({ summaryId: z.string() });

/** The schema of one summary per type; typed for the ones the platform reads. */
export const garminSummarySchemas = {
  dailies: garminDailySchema,
  sleeps: garminSleepSchema,
  hrv: garminHrvSchema,
  stressDetails: garminStressDetailsSchema,
  bodyComps: garminBodyCompSchema,
  userMetrics: garminUserMetricsSchema,
  activities: garminActivitySchema,
  manuallyUpdatedActivities: garminActivitySchema,
  activityDetails: garminActivityDetailsSchema,
  epochs: looseSummarySchema,
  pulseox: looseSummarySchema,
  allDayRespiration: garminRespirationSchema,
  healthSnapshot: looseSummarySchema,
  bloodPressures: looseSummarySchema,
  skinTemp: garminSkinTempSchema,
  moveIQActivities: looseSummarySchema,
  activityFiles: looseSummarySchema,
} as const satisfies Record<GarminSummaryType, z.ZodType>;

export type GarminSummaryOf<T extends GarminSummaryType> = z.output<(typeof garminSummarySchemas)[T]>;

/** Backfill type names (they differ from ping keys for pulse ox and respiration). */
export const GARMIN_HEALTH_BACKFILL_TYPES = [
  'dailies',
  'epochs',
  'sleeps',
  'bodyComps',
  'stressDetails',
  'userMetrics',
  'pulseOx',
  'respiration',
  'healthSnapshot',
  'hrv',
  'bloodPressures',
  'skinTemp',
] as const;
export const GARMIN_ACTIVITY_BACKFILL_TYPES = ['activities', 'activityDetails', 'moveiq'] as const;
export type GarminBackfillType =
  | (typeof GARMIN_HEALTH_BACKFILL_TYPES)[number]
  | (typeof GARMIN_ACTIVITY_BACKFILL_TYPES)[number];

/** Longest range one backfill request may cover: 90 days (Health API), 30 days (Activity API). */
export function garminBackfillMaxDays(type: GarminBackfillType): number {
  return (GARMIN_ACTIVITY_BACKFILL_TYPES as readonly string[]).includes(type) ? 30 : 90;
}

export function isGarminSummaryType(value: string): value is GarminSummaryType {
  return (
    (GARMIN_HEALTH_SUMMARY_TYPES as readonly string[]).includes(value) ||
    (GARMIN_ACTIVITY_SUMMARY_TYPES as readonly string[]).includes(value)
  );
}
