import { z } from 'zod';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from './common.ts';

/** One answer of the morning form: 1 (worst) … 5 (best), whole numbers. */
const answerSchema = z
  .number('must be a number from 1 to 5')
  .int('must be a whole number from 1 to 5')
  .min(1, 'must be from 1 to 5')
  .max(5, 'must be from 1 to 5');

/**
 * `PUT /api/v1/me/wellness/:date`: the one-minute daily form. Every answer is 1–5 where 5 is
 * the good end (slept very well, fresh, no soreness, relaxed, great mood).
 */
export const wellnessAnswersSchema = z.object({
  sleepQuality: answerSchema,
  fatigue: answerSchema,
  soreness: answerSchema,
  stress: answerSchema,
  mood: answerSchema,
  note: z.string().trim().max(1000, 'must be at most 1000 characters').nullable().optional(),
});
export type WellnessAnswers = z.infer<typeof wellnessAnswersSchema>;

export const wellnessDateParamsSchema = z.object({ date: isoDateSchema });

export const wellnessEntrySchema = wellnessAnswersSchema.extend({
  athleteId: uuidSchema,
  date: isoDateSchema,
  note: z.string().nullable(),
  /** Mean of the five answers (1–5), the one figure the team table shows. */
  score: z.number(),
  updatedAt: isoDateTimeSchema,
});
export type WellnessEntry = z.infer<typeof wellnessEntrySchema>;

export const wellnessEntryResponseSchema = z.object({ entry: wellnessEntrySchema });

/** `GET /api/v1/athletes/:athleteId/wellness?from&to` (default: the last 28 days). */
export const wellnessListResponseSchema = z.object({
  entries: z.array(wellnessEntrySchema),
  /** Today's UTC date and whether the form is still missing for it (the dashboard reminder). */
  today: z.object({ date: isoDateSchema, missing: z.boolean() }),
});
export type WellnessList = z.infer<typeof wellnessListResponseSchema>;

/**
 * `PUT /api/v1/sessions/:id/rpe`: the session's rating of perceived exertion on Borg's CR-10
 * scale (0 rest … 10 maximal), in half steps.
 */
export const sessionRpeBodySchema = z.object({
  rpe: z
    .number('must be a number from 0 to 10')
    .min(0, 'must be from 0 to 10 (CR-10 scale)')
    .max(10, 'must be from 0 to 10 (CR-10 scale)')
    .multipleOf(0.5, 'must be a whole or half number'),
});
export type SessionRpeBody = z.infer<typeof sessionRpeBodySchema>;

/** A rated session: Foster's session-RPE load = RPE × duration in minutes (arbitrary units). */
export const sessionRpeSchema = z.object({
  sessionId: uuidSchema,
  athleteId: uuidSchema,
  rpe: z.number(),
  durationMin: z.number(),
  load: z.number(),
  updatedAt: isoDateTimeSchema,
});
export type SessionRpe = z.infer<typeof sessionRpeSchema>;

export const sessionRpeResponseSchema = z.object({ rpe: sessionRpeSchema.nullable() });

/** One UTC day of the sRPE series: the sum of the day's rated sessions' loads. */
export const srpeDaySchema = z.object({
  date: isoDateSchema,
  load: z.number(),
  ratedSessions: z.number().int(),
  /** Closed sessions of the day without a rating: their load is unknown, not zero. */
  unratedSessions: z.number().int(),
});
export type SrpeDay = z.infer<typeof srpeDaySchema>;

/** `GET /api/v1/athletes/:athleteId/srpe?from&to`: every day of the range, oldest first. */
export const srpeSeriesResponseSchema = z.object({
  days: z.array(srpeDaySchema),
  formula: z.literal('rpe × minutes (Foster)'),
});
export type SrpeSeries = z.infer<typeof srpeSeriesResponseSchema>;
