import { z } from 'zod';
import { nameSchema, uuidSchema } from './common.ts';

export const deviceKindSchema = z.enum(['personal', 'gateway']);

export const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: deviceKindSchema,
  athleteId: z.string().nullable(),
  teamId: z.string().nullable(),
  /** The first characters of the key, to recognise it; the key itself is shown once. */
  keyPrefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Device = z.infer<typeof deviceSchema>;

export const createDeviceBodySchema = z.object({
  name: nameSchema(100),
  kind: deviceKindSchema.optional().default('personal'),
  /** Personal devices: the athlete written for (only yourself). */
  athleteId: uuidSchema.optional(),
  /** Gateway devices: a team you coach. */
  teamId: uuidSchema.optional(),
});
export type CreateDeviceBody = z.infer<typeof createDeviceBodySchema>;
export const createDeviceResponseSchema = z.object({ device: deviceSchema, key: z.string() });
export const devicesResponseSchema = z.object({ devices: z.array(deviceSchema) });
export const deviceResponseSchema = z.object({ device: deviceSchema });
