import { z } from 'zod';
import { uuidSchema } from './common.ts';
import { alertSchema, athleteLiveStateSchema, ingestBodySchema, sessionSchema } from './live.ts';

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

/** `?active=true` keeps alerts that have not cleared yet. */
export const alertsQuerySchema = z.object({ active: booleanQuery.optional() });
export const alertsResponseSchema = z.object({ alerts: z.array(alertSchema) });
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
