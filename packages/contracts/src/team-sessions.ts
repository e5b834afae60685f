import { z } from 'zod';
import { isoDateTimeSchema, nameSchema, uuidSchema } from './common.ts';
import { alertSchema } from './live.ts';

/** `POST /api/v1/teams/:teamId/team-sessions`: the title is optional ("Team session" + date). */
export const teamSessionStartBodySchema = z.strictObject({
  title: nameSchema(120).optional(),
});
export type TeamSessionStartBody = z.infer<typeof teamSessionStartBodySchema>;

export const teamSessionIdParamsSchema = z.object({ id: uuidSchema });

export const teamSessionSchema = z.object({
  id: uuidSchema,
  teamId: uuidSchema,
  title: z.string(),
  startedAt: isoDateTimeSchema,
  /** Null while the team session is open. */
  endedAt: isoDateTimeSchema.nullable(),
  startedBy: z.object({ id: uuidSchema, name: z.string() }).nullable(),
  /** Athletes with at least one live session grouped under it. */
  athleteCount: z.number().int().nonnegative(),
});
export type TeamSession = z.infer<typeof teamSessionSchema>;

export const teamSessionResponseSchema = z.object({ teamSession: teamSessionSchema });
export type TeamSessionResponse = z.infer<typeof teamSessionResponseSchema>;

/** `POST /api/v1/team-sessions/:id/end`: the ended team session and how many live sessions it closed. */
export const teamSessionEndResponseSchema = z.object({
  teamSession: teamSessionSchema,
  closedSessions: z.number().int().nonnegative(),
});
export type TeamSessionEndResponse = z.infer<typeof teamSessionEndResponseSchema>;

/** `GET /api/v1/teams/:teamId/team-sessions`: newest first; `open` is the one running, if any. */
export const teamSessionListResponseSchema = z.object({
  open: teamSessionSchema.nullable(),
  teamSessions: z.array(teamSessionSchema),
});
export type TeamSessionListResponse = z.infer<typeof teamSessionListResponseSchema>;

/** The figures compared between athletes and with the team average. */
export const teamSessionFiguresSchema = z.object({
  durationS: z.number().nullable(),
  distanceM: z.number().nullable(),
  avgHr: z.number().nullable(),
  /** Highest HR leaving out samples the hr_jump rule flags (see `jumpSamplesExcluded`). */
  maxHr: z.number().nullable(),
  /** Seconds in HR zones 1..5. */
  timeInZonesS: z.array(z.number()).length(5),
  /** Banister TRIMP. */
  trimp: z.number().nullable(),
  /** Session RPE load (Foster): RPE × minutes. */
  srpeLoad: z.number().nullable(),
  alertCount: z.number().nullable(),
});
export type TeamSessionFigures = z.infer<typeof teamSessionFiguresSchema>;

/** One point of an athlete's HR chart: seconds since the team session started. */
export const teamSessionHrPointSchema = z.object({ t: z.number(), hr: z.number() });

export const teamSessionAthleteSchema = z.object({
  athleteId: uuidSchema,
  /** Always shown, whatever the athlete shares. */
  name: z.string(),
  /**
   * False when the athlete does not share sessions data with the team (any more): the row keeps
   * the name, and every figure, alert and chart point is left out.
   */
  visible: z.boolean(),
  sessionIds: z.array(uuidSchema),
  figures: teamSessionFiguresSchema.nullable(),
  /** The session RPE the athlete gave (CR-10), the latest when there are several sessions. */
  rpe: z.number().nullable(),
  /** HR samples left out of max HR as implausible jumps. */
  jumpSamplesExcluded: z.number().int().nonnegative(),
  /** HR max the zones use (for the chart's bands). */
  hrMax: z.number().nullable(),
  alerts: z.array(alertSchema),
  /** Downsampled HR series, implausible jumps left out. */
  hr: z.array(teamSessionHrPointSchema),
});
export type TeamSessionAthlete = z.infer<typeof teamSessionAthleteSchema>;

/** `GET /api/v1/team-sessions/:id`: the review (coaches of the team and admins). */
export const teamSessionReviewResponseSchema = z.object({
  teamSession: teamSessionSchema,
  teamName: z.string(),
  athletes: z.array(teamSessionAthleteSchema),
  /** Mean of each figure over the visible athletes that have it (null when none has). */
  teamAverage: teamSessionFiguresSchema,
});
export type TeamSessionReviewResponse = z.infer<typeof teamSessionReviewResponseSchema>;
