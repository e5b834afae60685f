import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common.ts';
import { sessionSchema } from './live.ts';

export const providerSchema = z.enum(['whoop', 'garmin']);
export type ProviderName = z.infer<typeof providerSchema>;

/** `:provider` in /api/v1/integrations/:provider/... */
export const providerParamsSchema = z.object({ provider: providerSchema });

export const syncRunKindSchema = z.enum(['scheduled', 'manual', 'webhook', 'backfill']);
/** `waiting`: a Garmin backfill whose requests were accepted and whose data is still arriving. */
export const syncRunStatusSchema = z.enum(['queued', 'running', 'waiting', 'succeeded', 'failed']);

/** What a run has done so far; backfills report `done` of `total` in `unit`. */
export const syncProgressSchema = z.object({
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  unit: z.string(),
  items: z.number(),
  /**
   * A Garmin run waiting for its data: since when, when data last came, and the rule that ends
   * the wait (nothing more for `quietS` after data came, or `maxWaitS` after the requests).
   */
  wait: z
    .object({
      since: isoDateTimeSchema,
      lastDataAt: isoDateTimeSchema.nullable(),
      quietS: z.number(),
      maxWaitS: z.number(),
      endedBecause: z.enum(['quiet', 'timeout']).nullable(),
    })
    .optional(),
});

export const syncRunSchema = z.object({
  id: uuidSchema,
  kind: syncRunKindSchema,
  status: syncRunStatusSchema,
  progress: syncProgressSchema.nullable(),
  itemsFetched: z.number().int(),
  error: z.string().nullable(),
  createdAt: isoDateTimeSchema,
  startedAt: isoDateTimeSchema.nullable(),
  finishedAt: isoDateTimeSchema.nullable(),
});
export type SyncRunView = z.infer<typeof syncRunSchema>;

/** One provider as the settings page shows it. Tokens never leave the server. */
export const integrationSchema = z.object({
  provider: providerSchema,
  /** The server has client credentials for this provider. */
  configured: z.boolean(),
  status: z.enum(['not_connected', 'active', 'error', 'disconnected', 'revoked']),
  providerUserId: z.string().nullable(),
  scopes: z.array(z.string()),
  connectedAt: isoDateTimeSchema.nullable(),
  lastSyncAt: isoDateTimeSchema.nullable(),
  lastError: z.string().nullable(),
  /** The run queued or in progress, if any. */
  currentRun: syncRunSchema.nullable(),
  lastRun: syncRunSchema.nullable(),
});
export type Integration = z.infer<typeof integrationSchema>;

/** `GET /api/v1/integrations` */
export const integrationsResponseSchema = z.object({ integrations: z.array(integrationSchema) });

/** `GET /api/v1/integrations/:provider/callback` (the provider's redirect). */
export const oauthCallbackQuerySchema = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/** `POST /api/v1/integrations/:provider/sync` → 202 */
export const syncRequestResponseSchema = z.object({ run: syncRunSchema });

/**
 * `POST /api/v1/imports` → 201. `sessions` holds one session per activity in the file (a
 * multisport FIT or TCX gives several); `session` is the first of them.
 */
export const importResponseSchema = z.object({
  session: sessionSchema,
  sessions: z.array(sessionSchema).min(1),
});

/** What became of one file of a bulk import. */
export const bulkImportFileSchema = z.object({
  /** Path inside the ZIP. */
  file: z.string(),
  status: z.enum(['imported', 'duplicate', 'failed']),
  /** The sessions it became (imported) or the stored session it repeats (duplicate). */
  sessionIds: z.array(uuidSchema),
  /** The name given in the export's activities.csv, when there was one. */
  name: z.string().nullable(),
  /** Why it was a duplicate or failed, in a sentence. */
  message: z.string().nullable(),
});
export type BulkImportFile = z.infer<typeof bulkImportFileSchema>;

/**
 * A ZIP of activity files (or a Strava bulk export: `activities/*.fit.gz|gpx.gz|tcx.gz` with
 * `activities.csv` for names) imported as a background job. `total` is known once the ZIP was
 * read; `results` grows as files are done, in the ZIP's order.
 */
export const bulkImportSchema = z.object({
  id: uuidSchema,
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  filename: z.string().nullable(),
  createdAt: isoDateTimeSchema,
  finishedAt: isoDateTimeSchema.nullable(),
  total: z.number().int().nonnegative().nullable(),
  done: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Entries of the ZIP that are not activity files (photos, other CSVs), left alone. */
  skipped: z.number().int().nonnegative(),
  /** Why the whole job failed (an unreadable ZIP), else null. */
  error: z.string().nullable(),
  results: z.array(bulkImportFileSchema),
});
export type BulkImport = z.infer<typeof bulkImportSchema>;
/** `POST /api/v1/imports/bulk` → 202, `GET /api/v1/imports/bulk/:id` → 200. */
export const bulkImportResponseSchema = z.object({ bulkImport: bulkImportSchema });
export const bulkImportIdParamsSchema = z.object({ id: uuidSchema });

/** `GET /api/v1/admin/jobs/failed` */
export const failedJobSchema = z.object({
  id: z.string(),
  name: z.string(),
  data: z.unknown(),
  attemptsMade: z.number().int(),
  failedReason: z.string().nullable(),
  createdAt: isoDateTimeSchema,
  finishedAt: isoDateTimeSchema.nullable(),
});
export const failedJobsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const failedJobsResponseSchema = z.object({ jobs: z.array(failedJobSchema) });
export const jobIdParamsSchema = z.object({ id: z.string().min(1).max(200) });
export const jobRetryResponseSchema = z.object({ retried: z.string() });
