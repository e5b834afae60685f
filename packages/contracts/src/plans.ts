import { z } from 'zod';
import { dayRangeQuerySchema, isoDateSchema, isoDateTimeSchema, textSchema, uuidSchema } from './common.ts';
import { PLATFORM_SPORTS } from './live.ts';

/** A plan's sport: one of the platform's sports, so it can match a session from any source. */
export const sportSchema = z.enum(PLATFORM_SPORTS);
export type Sport = z.infer<typeof sportSchema>;

const planFields = {
  date: isoDateSchema,
  sport: sportSchema,
  durationMin: z
    .number('must be a number of minutes')
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(1440, 'must be at most 1440 minutes (one day)'),
  /** Target Banister TRIMP for the session (the load unit of Trends). */
  targetLoad: z
    .number('must be a number (TRIMP)')
    .positive('must be more than 0 (TRIMP)')
    .max(1000, 'must be at most 1000 (TRIMP)')
    .nullable()
    .optional(),
  /** Target heart-rate zone, 1 (easy) … 5 (maximal). */
  targetZone: z
    .number('must be a zone from 1 to 5')
    .int('must be a whole zone from 1 to 5')
    .min(1, 'must be a zone from 1 to 5')
    .max(5, 'must be a zone from 1 to 5')
    .nullable()
    .optional(),
  description: textSchema.trim().max(2000, 'must be at most 2000 characters').nullable().optional(),
};

/**
 * `POST /api/v1/teams/:teamId/plans`: a coach plans a session for one athlete of the team, or
 * (`athleteId` null or left out) for every athlete of it. The date must not be in the past.
 */
export const planBodySchema = z.strictObject({
  athleteId: uuidSchema.nullable().optional(),
  ...planFields,
});
export type PlanBody = z.infer<typeof planBodySchema>;

/** `PATCH /api/v1/plans/:id`: any of the fields; the result must still be a valid plan. */
export const planPatchSchema = z.strictObject({
  athleteId: uuidSchema.nullable().optional(),
  date: planFields.date.optional(),
  sport: planFields.sport.optional(),
  durationMin: planFields.durationMin.optional(),
  targetLoad: planFields.targetLoad,
  targetZone: planFields.targetZone,
  description: planFields.description,
});
export type PlanPatch = z.infer<typeof planPatchSchema>;

export const planSchema = z.object({
  id: uuidSchema,
  teamId: uuidSchema,
  teamName: z.string(),
  /** Null: a plan for every athlete of the team. */
  athleteId: uuidSchema.nullable(),
  athleteName: z.string().nullable(),
  date: isoDateSchema,
  sport: sportSchema,
  durationMin: z.number().int(),
  targetLoad: z.number().nullable(),
  targetZone: z.number().int().nullable(),
  description: z.string().nullable(),
  createdBy: z.object({ id: uuidSchema, name: z.string() }).nullable(),
  createdAt: isoDateTimeSchema,
});
export type Plan = z.infer<typeof planSchema>;

/** The session that fulfilled a plan: its figures and how close it came to the target. */
export const planDoneSchema = z.object({
  sessionId: uuidSchema,
  source: z.string(),
  sport: z.string().nullable(),
  startedAt: isoDateTimeSchema,
  durationMin: z.number(),
  /** TRIMP as Trends counts it; null when the session has no heart rate. */
  load: z.number().nullable(),
  /**
   * done load / target load when the plan has a target load (and the session a load), else done
   * minutes / planned minutes; 1 = exactly as planned.
   */
  compliance: z.number().nullable(),
  complianceBasis: z.enum(['load', 'duration']).nullable(),
});
export type PlanDone = z.infer<typeof planDoneSchema>;

/** done: a session matched; missed: the day is over without one; planned: still to come. */
export const planStatusSchema = z.enum(['done', 'missed', 'planned']);
export type PlanStatus = z.infer<typeof planStatusSchema>;

/** A plan as one athlete lives it. */
export const athletePlanSchema = planSchema.extend({
  status: planStatusSchema,
  done: planDoneSchema.nullable(),
});
export type AthletePlan = z.infer<typeof athletePlanSchema>;

/** A closed session of the range that no plan claimed (the calendar shows it too). */
export const unplannedSessionSchema = z.object({
  sessionId: uuidSchema,
  date: isoDateSchema,
  source: z.string(),
  sport: z.string().nullable(),
  startedAt: isoDateTimeSchema,
  durationMin: z.number(),
  load: z.number().nullable(),
});
export type UnplannedSession = z.infer<typeof unplannedSessionSchema>;

/** Longest range a plan list answers (a calendar month view with its edge weeks fits). */
export const MAX_PLAN_RANGE_DAYS = 93;

/** `?from&to` of plan lists: UTC dates, both inclusive; one end alone spans 31 days, none this month. */
export const planRangeQuerySchema = dayRangeQuerySchema(MAX_PLAN_RANGE_DAYS);
export type PlanRangeQuery = z.infer<typeof planRangeQuerySchema>;

/** `GET /api/v1/athletes/:athleteId/plans?from&to` */
export const athletePlansResponseSchema = z.object({
  athleteId: uuidSchema,
  from: isoDateSchema,
  to: isoDateSchema,
  /** Today's UTC date, the day a plan's status is judged against. */
  today: isoDateSchema,
  plans: z.array(athletePlanSchema),
  unplanned: z.array(unplannedSessionSchema),
});
export type AthletePlans = z.infer<typeof athletePlansResponseSchema>;

/** One athlete's side of a team plan (or of their own plan in the team list). */
export const planAthleteResultSchema = z.object({
  athleteId: uuidSchema,
  name: z.string(),
  /** False when the athlete does not share sessions with the team: `done` is hidden, not missing. */
  shared: z.boolean(),
  status: planStatusSchema.nullable(),
  done: planDoneSchema.nullable(),
});
export type PlanAthleteResult = z.infer<typeof planAthleteResultSchema>;

export const teamPlanSchema = planSchema.extend({ athletes: z.array(planAthleteResultSchema) });
export type TeamPlan = z.infer<typeof teamPlanSchema>;

/** `GET /api/v1/teams/:teamId/plans?from&to`: every plan of the team with each athlete's result. */
export const teamPlansResponseSchema = z.object({
  teamId: uuidSchema,
  from: isoDateSchema,
  to: isoDateSchema,
  today: isoDateSchema,
  plans: z.array(teamPlanSchema),
});
export type TeamPlans = z.infer<typeof teamPlansResponseSchema>;

export const planResponseSchema = z.object({ plan: planSchema });
export const planIdParamsSchema = z.object({ id: uuidSchema });
export const teamPlansParamsSchema = z.object({ teamId: uuidSchema });

/** Planned vs done over one ISO week (Monday … Sunday), for the team readiness table. */
export const planWeekSchema = z.object({
  weekStart: isoDateSchema,
  planned: z.number().int(),
  done: z.number().int(),
  plannedMin: z.number(),
  doneMin: z.number(),
  /** Mean compliance of the week's matched plans; null when none is done yet. */
  compliance: z.number().nullable(),
});
export type PlanWeek = z.infer<typeof planWeekSchema>;

/** The athlete's iCalendar feed: `url` holds the secret and is shown once, when made. */
export const calendarFeedSchema = z.object({
  active: z.boolean(),
  createdAt: isoDateTimeSchema.nullable(),
  /** Only in the answer to `POST` (create or rotate): the server keeps just its SHA-256. */
  url: z.string().optional(),
});
export type CalendarFeed = z.infer<typeof calendarFeedSchema>;
export const calendarFeedResponseSchema = z.object({ feed: calendarFeedSchema });

/** Any token is looked up (by its hash); one that names no live feed is a 404, not a 400. */
export const calendarTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });
