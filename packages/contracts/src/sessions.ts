import { z } from 'zod';
import {
  dateRangeQuerySchema,
  isoDateTimeSchema,
  MAX_PAGE_LIMIT,
  paginationQuerySchema,
  uuidSchema,
} from './common.ts';
import {
  alertRuleSchema,
  alertSchema,
  athleteLiveStateSchema,
  ingestBodySchema,
  SAMPLE_BOUNDS,
  sessionSchema,
  sportNameSchema,
} from './live.ts';
import { sessionRpeBodySchema } from './wellness.ts';

/** Where live samples come from: a real sensor/gateway, or the simulator (stored as the session source). */
export const liveSourceSchema = z.enum(['live', 'simulator']);
export type LiveSource = z.infer<typeof liveSourceSchema>;

/** `POST /api/v1/ingest` body: the contract's `{samples}` plus an optional source. */
export const ingestRequestSchema = ingestBodySchema.extend({ source: liveSourceSchema.optional() });
export type IngestRequest = z.infer<typeof ingestRequestSchema>;

export const athleteIdParamsSchema = z.object({ athleteId: uuidSchema });
export const teamIdParamsSchema = z.object({ teamId: uuidSchema });
export const sessionIdParamsSchema = z.object({ id: uuidSchema });
export const alertIdParamsSchema = z.object({ id: uuidSchema });

/** `POST /api/v1/sessions` (explicit start; athleteId defaults to the caller). */
export const startSessionBodySchema = z
  .object({ athleteId: uuidSchema.optional(), source: liveSourceSchema.optional() })
  .default({});
/** `POST /api/v1/sessions` → 201, `POST /api/v1/sessions/:id/stop` → 200. */
export const sessionEnvelopeSchema = z.object({ session: sessionSchema });

const booleanQuery = z
  .enum(['true', 'false', '1', '0'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1');

/** What `?state=` keeps: not cleared yet, cleared, acknowledged, not acknowledged. */
export const ALERT_STATES = ['active', 'cleared', 'acknowledged', 'unacknowledged'] as const;
export const alertStateSchema = z.enum(ALERT_STATES, `must be one of ${ALERT_STATES.join(', ')}`);
export type AlertState = z.infer<typeof alertStateSchema>;

/**
 * `GET /api/v1/athletes/:athleteId/alerts`: alerts that started in `?from&to`, newest first,
 * paged by `?limit&cursor`. `?active=true` is `?state=active` (kept for the live view). Without
 * `?limit` a page holds up to 500, what the list answered before it was paged.
 */
export const alertsQuerySchema = dateRangeQuerySchema.safeExtend({
  ...paginationQuerySchema.shape,
  limit: z.coerce
    .number('must be a number')
    .int('must be a whole number')
    .min(1, `must be from 1 to ${MAX_PAGE_LIMIT}`)
    .max(MAX_PAGE_LIMIT, `must be from 1 to ${MAX_PAGE_LIMIT}`)
    .default(MAX_PAGE_LIMIT),
  active: booleanQuery.optional(),
  state: alertStateSchema.optional(),
  rule: z.enum(alertRuleSchema.options, `must be one of ${alertRuleSchema.options.join(', ')}`).optional(),
  sessionId: uuidSchema.optional(),
});
export type AlertsQuery = z.infer<typeof alertsQuerySchema>;
/** `GET /api/v1/teams/:teamId/alerts`: the same, plus `?athleteId` for one athlete of the team. */
export const teamAlertsQuerySchema = alertsQuerySchema.safeExtend({ athleteId: uuidSchema.optional() });
export type TeamAlertsQuery = z.infer<typeof teamAlertsQuerySchema>;
/** Newest first; `nextCursor` fetches the next (older) page, null on the last one. */
export const alertsResponseSchema = z.object({
  alerts: z.array(alertSchema),
  nextCursor: z.string().nullable(),
});
export const alertResponseSchema = z.object({ alert: alertSchema });

/** `GET /api/v1/athletes/:athleteId/live` */
export const athleteLiveResponseSchema = z.object({ athlete: athleteLiveStateSchema });

/** `WS /ws/live?athleteId=…` or `?teamId=…` (exactly one); `token` for browsers that cannot set headers. */
export const liveQuerySchema = z
  .object({
    athleteId: uuidSchema.optional(),
    teamId: uuidSchema.optional(),
    token: z.string().optional(),
  })
  .refine((q) => (q.athleteId === undefined) !== (q.teamId === undefined), {
    message: 'give exactly one of athleteId or teamId',
    path: ['athleteId'],
  });
export type LiveQuery = z.infer<typeof liveQuerySchema>;

/** `GET /api/v1/sessions/:id/export?format=`: the session as a file, or the file it came from. */
export const exportFormatSchema = z.enum(['fit', 'gpx', 'tcx', 'original']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;
export const sessionExportQuerySchema = z.object({ format: exportFormatSchema });

const sessionNameSchema = z
  .string('must be text')
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters');

const hrSchema = z
  .number('must be a number in bpm')
  .int('must be a whole number of bpm')
  .min(SAMPLE_BOUNDS.hr.min, `must be from ${SAMPLE_BOUNDS.hr.min} to ${SAMPLE_BOUNDS.hr.max} bpm`)
  .max(SAMPLE_BOUNDS.hr.max, `must be from ${SAMPLE_BOUNDS.hr.min} to ${SAMPLE_BOUNDS.hr.max} bpm`);

/** Longest manual session: a day. */
export const MANUAL_SESSION_MAX_S = 86_400;

/**
 * `POST /api/v1/sessions/manual`: a session entered by hand (no file, no samples). Its load is
 * RPE × minutes (sRPE) and, when an average HR is given, Banister TRIMP on it.
 */
export const manualSessionBodySchema = z
  .object({
    sport: sportNameSchema,
    startedAt: isoDateTimeSchema,
    durationS: z
      .number('must be a number of seconds')
      .positive('must be more than 0 seconds')
      .max(MANUAL_SESSION_MAX_S, 'must be at most 24 hours (86400 s)'),
    distanceM: z
      .number('must be a number of metres')
      .min(0, 'must not be negative')
      .max(1_000_000, 'must be at most 1000 km')
      .optional(),
    rpe: sessionRpeBodySchema.shape.rpe.optional(),
    avgHr: hrSchema.optional(),
    maxHr: hrSchema.optional(),
    name: sessionNameSchema.optional(),
    note: z.string('must be text').trim().min(1, 'must not be empty').max(2000).optional(),
  })
  .strict()
  .refine((b) => b.avgHr === undefined || b.maxHr === undefined || b.maxHr >= b.avgHr, {
    message: 'must not be below the average HR',
    path: ['maxHr'],
  });
export type ManualSessionBody = z.infer<typeof manualSessionBodySchema>;

/**
 * `PATCH /api/v1/sessions/manual/:id`: correct a session entered by hand. Only the fields sent
 * change; null clears an optional one (distance, RPE, HR, name). The note thread has its own
 * endpoints. The merged session obeys the same rules as a new one (ended by now, max ≥ avg HR).
 */
export const manualSessionPatchBodySchema = z
  .object({
    sport: manualSessionBodySchema.shape.sport.optional(),
    startedAt: isoDateTimeSchema.optional(),
    durationS: manualSessionBodySchema.shape.durationS.optional(),
    distanceM: manualSessionBodySchema.shape.distanceM.unwrap().nullable().optional(),
    rpe: manualSessionBodySchema.shape.rpe.unwrap().nullable().optional(),
    avgHr: hrSchema.nullable().optional(),
    maxHr: hrSchema.nullable().optional(),
    name: sessionNameSchema.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' });
export type ManualSessionPatchBody = z.infer<typeof manualSessionPatchBodySchema>;

/** `PATCH /api/v1/sessions/:id`: rename a session (null clears the name). */
export const sessionPatchBodySchema = z.object({ name: sessionNameSchema.nullable() }).strict();
export type SessionPatchBody = z.infer<typeof sessionPatchBodySchema>;
