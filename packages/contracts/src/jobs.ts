import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common.ts';

/**
 * An account export built in the background (the same pattern as a bulk import: a report
 * replaced whole as the job goes). `done` of `total` counts parts of the ZIP: each record file,
 * each month of samples, each stored object; `total` is known once the job has counted them.
 */
export const accountExportSchema = z.object({
  id: uuidSchema,
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  createdAt: isoDateTimeSchema,
  finishedAt: isoDateTimeSchema.nullable(),
  total: z.number().int().nonnegative().nullable(),
  done: z.number().int().nonnegative(),
  /** What is being written now, in words ("samples of 2026-03"). */
  phase: z.string(),
  /** Size of the finished ZIP. */
  bytes: z.number().int().nonnegative().nullable(),
  /** Why the job failed, else null. */
  error: z.string().nullable(),
});
export type AccountExport = z.infer<typeof accountExportSchema>;
/** `POST /api/v1/me/exports` → 202, `GET /api/v1/me/exports/:id` → 200. */
export const accountExportResponseSchema = z.object({ export: accountExportSchema });
export const accountExportIdParamsSchema = z.object({ id: uuidSchema });

/**
 * One background job the user started, as "Background work" lists it: an export, a bulk import
 * or a provider sync/backfill. `waiting` is a backfill whose requests were accepted and whose
 * data the provider is still sending. `progress` is there when the job knows how far it is.
 */
export const backgroundWorkSchema = z.object({
  id: z.string(),
  kind: z.enum(['export', 'bulk-import', 'sync', 'backfill']),
  title: z.string(),
  status: z.enum(['queued', 'running', 'waiting', 'succeeded', 'failed']),
  /** The state in a sentence ("12 of 40 files", "waiting for Garmin to send 30 days"). */
  detail: z.string(),
  progress: z
    .object({
      done: z.number().nonnegative(),
      total: z.number().nonnegative(),
      unit: z.string(),
      /** floor(100 · done / total); null when total is 0. */
      percent: z.number().int().min(0).max(100).nullable(),
    })
    .nullable(),
  createdAt: isoDateTimeSchema,
  finishedAt: isoDateTimeSchema.nullable(),
  error: z.string().nullable(),
  /** Where the result is fetched (a finished export), else null. */
  downloadUrl: z.string().nullable(),
});
export type BackgroundWork = z.infer<typeof backgroundWorkSchema>;
/** `GET /api/v1/me/background-work`: newest first. */
export const backgroundWorkResponseSchema = z.object({ work: z.array(backgroundWorkSchema) });
