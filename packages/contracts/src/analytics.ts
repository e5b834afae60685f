import { z } from 'zod';
import { dayRangeQuerySchema, isoDateSchema, isoDateTimeSchema } from './common.ts';
import { planWeekSchema } from './plans.ts';

/** `?from&to` as bare days (YYYY-MM-DD) for analytics series; at most 3 years and a bit. */
export const analyticsRangeQuerySchema = dayRangeQuerySchema(1_200);
export type AnalyticsRangeQuery = z.infer<typeof analyticsRangeQuerySchema>;

/** `?date=YYYY-MM-DD` (default today, UTC). */
export const analyticsDateQuerySchema = z.object({ date: isoDateSchema.optional() });

export const acwrBandSchema = z.enum(['low', 'optimal', 'caution', 'high']);
export const loadMethodSchema = z.enum(['samples', 'avg-hr', 'none']);

export const loadSettingsSchema = z.object({
  ctlDays: z.number().int(),
  atlDays: z.number().int(),
  /** True when the athlete set the value, false when it is the default. */
  ctlDaysCustom: z.boolean(),
  atlDaysCustom: z.boolean(),
});
export type LoadSettings = z.infer<typeof loadSettingsSchema>;

/** `PUT /athletes/:id/load/settings`: null restores the default. */
export const loadSettingsBodySchema = z.object({
  ctlDays: z.number().int('must be a whole number of days').min(7).max(120).nullable(),
  atlDays: z.number().int('must be a whole number of days').min(2).max(21).nullable(),
});
export const loadSettingsResponseSchema = z.object({ settings: loadSettingsSchema });

export const loadDaySchema = z.object({
  date: isoDateSchema,
  /** TRIMP of the sessions counted that day. */
  load: z.number(),
  ctl: z.number(),
  atl: z.number(),
  /** Yesterday's CTL − ATL. */
  tsb: z.number(),
  rampRate: z.number().nullable(),
  acwrEwma: z.number().nullable(),
  acwrRolling: z.number().nullable(),
  acwrBand: acwrBandSchema.nullable(),
});
export type LoadDay = z.infer<typeof loadDaySchema>;

export const loadWeekSchema = z.object({
  weekStart: isoDateSchema,
  weeklyLoad: z.number(),
  monotony: z.number().nullable(),
  strain: z.number().nullable(),
  days: z.number().int(),
});
export type LoadWeek = z.infer<typeof loadWeekSchema>;

export const sessionLoadSchema = z.object({
  id: z.string(),
  source: z.string(),
  date: isoDateSchema,
  startedAt: isoDateTimeSchema,
  sport: z.string().nullable(),
  load: z.number().nullable(),
  method: loadMethodSchema,
  counted: z.boolean(),
  duplicateOf: z.string().nullable(),
});
export type SessionLoadOut = z.infer<typeof sessionLoadSchema>;

export const projectedDaySchema = z.object({
  date: isoDateSchema,
  load: z.number(),
  ctl: z.number(),
  atl: z.number(),
  tsb: z.number(),
});

/** `GET /athletes/:id/load` */
export const trainingLoadSchema = z.object({
  unit: z.literal('TRIMP'),
  from: isoDateSchema,
  to: isoDateSchema,
  settings: loadSettingsSchema,
  days: z.array(loadDaySchema),
  weeks: z.array(loadWeekSchema),
  /** Sessions started in the range: what each contributed, and which counted. */
  sessions: z.array(sessionLoadSchema),
  /** Form for the 14 days after `to`, from planned load when given, else rest. */
  projection: z.array(projectedDaySchema),
  projectionBasis: z.enum(['rest', 'planned']),
});
export type TrainingLoad = z.infer<typeof trainingLoadSchema>;
export const trainingLoadResponseSchema = z.object({ load: trainingLoadSchema });

export const baselineVerdictSchema = z.enum(['below', 'within', 'above']);
export const baselineSchema = z.object({
  recent: z.number().nullable(),
  mean: z.number(),
  sd: z.number(),
  swc: z.number(),
  lower: z.number(),
  upper: z.number(),
  verdict: baselineVerdictSchema.nullable(),
  days: z.number().int(),
});
export type BaselineOut = z.infer<typeof baselineSchema>;

/** Respiratory rate and skin temperature: flagged against a robust band, with no SWC baseline. */
export const vitalMetricSchema = z.enum(['respiratoryRate', 'skinTempC', 'skinTempDeviationC']);
export type VitalMetric = z.infer<typeof vitalMetricSchema>;

export const wellnessMetricSchema = z.enum([
  'lnRmssd',
  'restingHr',
  'sleepDurationS',
  ...vitalMetricSchema.options,
]);
export type WellnessMetric = z.infer<typeof wellnessMetricSchema>;

/** median ± k × 1.4826 × MAD of the 60 days before the day (core robustBand). */
export const robustBandSchema = z.object({
  median: z.number(),
  lower: z.number(),
  upper: z.number(),
  /** Days of history the band rests on. */
  days: z.number().int(),
});
export type RobustBandOut = z.infer<typeof robustBandSchema>;

export const vitalReadingSchema = z.object({
  value: z.number().nullable(),
  source: z.string().nullable(),
  /** The band the day is judged against; null before 14 days of readings. */
  band: robustBandSchema.nullable(),
});
export type VitalReading = z.infer<typeof vitalReadingSchema>;

export const anomalyFlagSchema = z.object({
  metric: wellnessMetricSchema,
  label: z.string(),
  date: isoDateSchema,
  value: z.number(),
  direction: z.enum(['high', 'low']),
  median: z.number(),
  lower: z.number(),
  upper: z.number(),
  /** Days of history the band rests on. */
  days: z.number().int(),
  source: z.string().nullable(),
});
export type AnomalyFlag = z.infer<typeof anomalyFlagSchema>;

export const readinessDaySchema = z.object({
  date: isoDateSchema,
  lnRmssd: z.number().nullable(),
  hrvSource: z.string().nullable(),
  restingHr: z.number().nullable(),
  restingHrSource: z.string().nullable(),
  sleepDurationS: z.number().nullable(),
  sleepSource: z.string().nullable(),
  hrvBaseline: baselineSchema.nullable(),
  restingHrBaseline: baselineSchema.nullable(),
  sleepBaseline: baselineSchema.nullable(),
  /** Respiratory rate (breaths/min), skin temperature (°C) and its deviation (°C), as supplied. */
  vitals: z.object({
    respiratoryRate: vitalReadingSchema,
    skinTempC: vitalReadingSchema,
    skinTempDeviationC: vitalReadingSchema,
  }),
  flags: z.array(anomalyFlagSchema),
});
export type ReadinessDay = z.infer<typeof readinessDaySchema>;

/** `GET /athletes/:id/readiness/series` */
export const readinessSeriesResponseSchema = z.object({ days: z.array(readinessDaySchema) });

export const recommendationSchema = z.enum(['push', 'train_as_planned', 'keep_it_easy', 'rest']);
export type RecommendationOut = z.infer<typeof recommendationSchema>;
export const recommendationReasonSchema = z.object({
  rule: z.string(),
  effect: z.enum(['push', 'train_as_planned', 'keep_it_easy', 'rest', 'info']),
  value: z.number().nullable(),
  text: z.string(),
});

export const readinessCheckSchema = z.object({
  id: z.string(),
  date: isoDateSchema,
  measuredAt: isoDateTimeSchema,
  source: z.enum(['strap', 'simulator']),
  status: z.enum(['accepted', 'rejected']),
  quality: z.enum(['good', 'acceptable', 'rejected']),
  reason: z.string().nullable(),
  durationS: z.number(),
  beats: z.number().int(),
  artefacts: z.number().int(),
  artefactRate: z.number(),
  rmssdMs: z.number().nullable(),
  lnRmssd: z.number().nullable(),
  restingHr: z.number().nullable(),
});
export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;

/** `POST /athletes/:id/readiness/checks`: the RR intervals (ms) of a 2–5 minute check at rest. */
export const readinessCheckBodySchema = z.object({
  rr: z
    .array(z.number().positive('RR intervals are positive milliseconds').max(5_000))
    .min(60, 'a check needs at least 60 RR intervals')
    .max(1_500),
  measuredAt: isoDateTimeSchema.optional(),
  source: z.enum(['strap', 'simulator']).default('strap'),
});
export type ReadinessCheckBody = z.input<typeof readinessCheckBodySchema>;
export const readinessCheckResponseSchema = z.object({ check: readinessCheckSchema });
export const readinessChecksResponseSchema = z.object({ checks: z.array(readinessCheckSchema) });

/** `GET /athletes/:id/readiness`: the day's readiness, form and recommendation with reasons. */
export const athleteReadinessSchema = z.object({
  date: isoDateSchema,
  recommendation: recommendationSchema,
  reasons: z.array(recommendationReasonSchema),
  form: z.object({
    ctl: z.number().nullable(),
    atl: z.number().nullable(),
    tsb: z.number().nullable(),
    rampRate: z.number().nullable(),
    acwr: z.number().nullable(),
    acwrBand: acwrBandSchema.nullable(),
    monotony: z.number().nullable(),
    settings: loadSettingsSchema,
  }),
  today: readinessDaySchema,
  latestCheck: readinessCheckSchema.nullable(),
});
export type AthleteReadiness = z.infer<typeof athleteReadinessSchema>;
export const athleteReadinessResponseSchema = z.object({ readiness: athleteReadinessSchema });

/** A lower hr_high threshold suggested for today because readiness is low (core suggestReadinessThreshold). */
export const thresholdSuggestionSchema = z.object({
  recommendation: z.enum(['keep_it_easy', 'rest']),
  /** hr_high threshold in force today without the suggestion (bpm). */
  currentBpm: z.number(),
  suggestedBpm: z.number(),
  /** Share of HR max taken off (0.03, 0.05). */
  dropPctMax: z.number(),
  hrMax: z.number(),
  reason: z.string(),
  formula: z.string(),
});
export type ThresholdSuggestion = z.infer<typeof thresholdSuggestionSchema>;

/** A confirmed day override, which is also its log entry: who, when, old → new, why. */
export const thresholdDayOverrideSchema = z.object({
  id: z.string(),
  athleteId: z.string(),
  date: isoDateSchema,
  previousBpm: z.number(),
  hrAboveBpm: z.number(),
  recommendation: z.string(),
  reason: z.string(),
  formula: z.string(),
  confirmedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  confirmedAt: z.string(),
});
export type ThresholdDayOverride = z.infer<typeof thresholdDayOverrideSchema>;

/** The day's suggestion (null: readiness not low) and the override confirmed for it, if any. */
export const readinessThresholdSchema = z.object({
  date: isoDateSchema,
  suggestion: thresholdSuggestionSchema.nullable(),
  override: thresholdDayOverrideSchema.nullable(),
});
export type ReadinessThreshold = z.infer<typeof readinessThresholdSchema>;

/** `POST /athletes/:athleteId/threshold-overrides`: confirm today's suggestion (one tap). */
export const confirmThresholdBodySchema = z.object({
  /** Must be today (UTC): an override holds for one day and is confirmed on it. */
  date: isoDateSchema,
  /** The bpm the coach saw; refused with 409 when readiness changed since. */
  suggestedBpm: z.number().int().min(40).max(260),
});
export type ConfirmThresholdBody = z.infer<typeof confirmThresholdBodySchema>;
export const thresholdOverrideResponseSchema = z.object({ override: thresholdDayOverrideSchema });
export const thresholdOverridesResponseSchema = z.object({ overrides: z.array(thresholdDayOverrideSchema) });

/** One athlete of a team's morning check: their readiness when they share wellness data. */
export const teamReadinessRowSchema = z.object({
  athleteId: z.string(),
  name: z.string(),
  /** False when the athlete does not share wellness data with the team: no readiness shown. */
  shared: z.boolean(),
  readiness: athleteReadinessSchema.nullable(),
  /** Planned vs done this week; null when the athlete does not share sessions (hidden, not zero). */
  plans: planWeekSchema.nullable(),
  /** Today's readiness-gated hr_high suggestion and override; null when wellness is not shared. */
  threshold: readinessThresholdSchema.nullable(),
});
export type TeamReadinessRow = z.infer<typeof teamReadinessRowSchema>;

/** `GET /teams/:teamId/readiness?date`: most cautious recommendation first, then most flags. */
export const teamReadinessResponseSchema = z.object({
  date: isoDateSchema,
  athletes: z.array(teamReadinessRowSchema),
});
export type TeamReadiness = z.infer<typeof teamReadinessResponseSchema>;

// Session-level comparison (core session-comparison.ts)

export const efficiencyBasisSchema = z.enum(['speed', 'power']);
export const comparisonVerdictSchema = z.enum(['better', 'usual', 'worse']);

export const sessionEfficiencySchema = z.object({
  basis: efficiencyBasisSchema,
  /** From the session's readings, or from its summary (average speed ÷ average HR). */
  method: z.enum(['samples', 'summary']),
  /** m/min for speed, W for power. */
  meanOutput: z.number(),
  meanHr: z.number(),
  ef: z.number(),
  firstHalfEf: z.number().nullable(),
  secondHalfEf: z.number().nullable(),
  /** Pa:HR, %: (first-half EF − second-half EF) ÷ first-half EF × 100. */
  decouplingPct: z.number().nullable(),
  pairs: z.number().int(),
});

export const comparedSessionSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  source: z.string(),
  startedAt: isoDateTimeSchema,
  durationS: z.number().nullable(),
  efficiency: sessionEfficiencySchema,
});

export const historyVerdictSchema = z.object({
  value: z.number(),
  verdict: comparisonVerdictSchema,
  median: z.number(),
  lower: z.number(),
  upper: z.number(),
  /** Compared sessions the band rests on. */
  n: z.number().int(),
});

/** `GET /sessions/:id/comparison` */
export const sessionComparisonSchema = z.object({
  sessionId: z.string(),
  sport: z.string().nullable(),
  basis: efficiencyBasisSchema.nullable(),
  unit: z.string().nullable(),
  efficiency: sessionEfficiencySchema.nullable(),
  /** Why there is no comparison (no HR, no basis for the sport…); null when there is one. */
  reason: z.string().nullable(),
  /** The sessions compared against, most recent first. */
  history: z.array(comparedSessionSchema),
  ef: historyVerdictSchema.nullable(),
  decoupling: historyVerdictSchema.nullable(),
  rules: z.object({
    lastN: z.number().int(),
    durationTolerance: z.number(),
    minHistory: z.number().int(),
    k: z.number(),
  }),
});
export type SessionComparison = z.infer<typeof sessionComparisonSchema>;
export const sessionComparisonResponseSchema = z.object({ comparison: sessionComparisonSchema });
