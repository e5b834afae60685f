import { z } from 'zod';

/** Error codes are SCREAMING_SNAKE_CASE strings, e.g. VALIDATION_ERROR, NOT_FOUND. */
export const errorCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_SNAKE_CASE code');

/** The one error envelope every 4xx/5xx response uses. */
export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** One offending field in a VALIDATION_ERROR's details. */
export const fieldIssueSchema = z.object({
  field: z.string(),
  reason: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/**
 * A UUID anywhere in the API (ids in paths, queries and bodies). UUIDs are case-insensitive, so
 * `9F3C…` names the row stored as `9f3c…`: ids leave validation in lower case, as Postgres prints
 * them, and everything keyed by id (sessions, fan-out, caches, access checks) sees one spelling.
 */
export const uuidSchema = z.uuid('must be a UUID').toLowerCase();
export const idParamSchema = z.object({ id: uuidSchema });
export type IdParam = z.infer<typeof idParamSchema>;

/**
 * The calendar a query date may name. Postgres has no year 0 and JS dates end in year 275760;
 * nothing the platform stores lies outside these years, so a query outside them is a mistake.
 */
export const QUERY_DATE_BOUNDS = { from: '1900-01-01', to: '9999-12-31' } as const;
const QUERY_DATE_MIN_MS = Date.parse(`${QUERY_DATE_BOUNDS.from}T00:00:00Z`);
const QUERY_DATE_MAX_MS = Date.parse(`${QUERY_DATE_BOUNDS.to}T23:59:59.999Z`);

/** Calendar date `YYYY-MM-DD` (UTC days) within {@link QUERY_DATE_BOUNDS}. */
export const isoDateSchema = z.iso.date().refine((s) => {
  const ms = Date.parse(`${s}T00:00:00Z`);
  return ms >= QUERY_DATE_MIN_MS && ms <= QUERY_DATE_MAX_MS;
}, `must be between ${QUERY_DATE_BOUNDS.from} and ${QUERY_DATE_BOUNDS.to}`);
/** ISO-8601 date-time with `Z` or an explicit offset. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** Start of the UTC day for a date, or the instant of a date-time, as epoch ms. */
export function toEpochMs(dateOrDateTime: string): number {
  return Date.parse(
    /^\d{4}-\d{2}-\d{2}$/.test(dateOrDateTime) ? `${dateOrDateTime}T00:00:00Z` : dateOrDateTime,
  );
}

/**
 * Text any request may carry into the database. Postgres `text` cannot hold U+0000 (the query
 * fails, a 500), so it is refused here, at the one place every string field passes through.
 */
export const textSchema = z
  .string()
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL (\\u0000) characters');

/** A name shown to people (team, device, person): one trimmed line with no control characters. */
export const nameSchema = (max = 100) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters (such as NUL or line breaks)');

/** An ISO date or date-time within {@link QUERY_DATE_BOUNDS}, kept as the caller wrote it. */
export const queryDateSchema = z.union([isoDateSchema, isoDateTimeSchema]).refine((s) => {
  const ms = toEpochMs(s);
  return ms >= QUERY_DATE_MIN_MS && ms <= QUERY_DATE_MAX_MS;
}, `must be between ${QUERY_DATE_BOUNDS.from} and ${QUERY_DATE_BOUNDS.to}`);

/** Whether epoch ms lie within {@link QUERY_DATE_BOUNDS} (cursors carry such times). */
export const isQueryTime = (ms: number): boolean =>
  Number.isSafeInteger(ms) && ms >= QUERY_DATE_MIN_MS && ms <= QUERY_DATE_MAX_MS;

/**
 * `?from&to` for range queries: ISO dates or date-times, both optional, `from` ≤ `to`.
 * A bare date in `to` is inclusive of that whole day for the caller's reading; servers should
 * compare dates by day.
 */
export const dateRangeQuerySchema = z
  .object({
    from: queryDateSchema.optional(),
    to: queryDateSchema.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || toEpochMs(q.from) <= toEpochMs(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });
export type DateRangeQuery = z.infer<typeof dateRangeQuerySchema>;

/** `?from&to` as bare days (YYYY-MM-DD), both optional, `from` ≤ `to`, at most `maxDays` apart. */
export const dayRangeQuerySchema = (maxDays: number, tooLong = `a range covers at most ${maxDays} days`) =>
  z
    .object({ from: isoDateSchema.optional(), to: isoDateSchema.optional() })
    .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
      message: 'from must not be after to',
      path: ['from'],
    })
    .refine(
      (q) =>
        q.from === undefined ||
        q.to === undefined ||
        Date.parse(q.to) - Date.parse(q.from) <= maxDays * 86_400_000,
      { message: tooLong, path: ['from'] },
    );

/** Page size when `?limit` is left out. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest `?limit` a list accepts. */
export const MAX_PAGE_LIMIT = 500;

/** `?limit&cursor` cursor pagination; query strings are coerced to numbers. */
export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[\w-]+$/, 'is not a cursor this list gave out')
    .optional(),
});
export type PaginationQuery = z.infer<typeof paginationQuerySchema>;

/** Wraps a page of items with the cursor for the next page (null on the last page). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A point in time as epoch ms, accepted as a number (epoch ms) or an ISO-8601 date-time string
 * with `Z`/offset, and normalised to epoch ms.
 */
export const timestampSchema = z.union([
  z.number().nonnegative('must be epoch milliseconds'),
  isoDateTimeSchema.transform((s) => Date.parse(s)),
]);

/** `GET /api/v1/config`: what the web app needs to know about this server, public. */
export const publicConfigSchema = z.object({
  /** The demo: simulated athletes stream, and the simulator may take readiness checks. */
  simulationMode: z.boolean(),
});
export type PublicConfig = z.infer<typeof publicConfigSchema>;
