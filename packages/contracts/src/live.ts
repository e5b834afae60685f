import { ALERT_RULES, ALERT_SEVERITIES } from '@athlete/core';
import { z } from 'zod';
import {
  dateRangeQuerySchema,
  errorCodeSchema,
  isoDateSchema,
  isoDateTimeSchema,
  MAX_PAGE_LIMIT,
  paginationQuerySchema,
  timestampSchema,
  uuidSchema,
} from './common.ts';

// ---------------------------------------------------------------------------------------------
// Ingest samples

/**
 * Smallest positive normal float4. The samples table keeps speed, cadence, power and alt in
 * `real` columns: Postgres refuses anything nearer to 0 than ~1.4e-45 and blurs what lies below
 * this, so such values (other than 0 itself) are refused before they reach the database.
 */
export const FLOAT4_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * What a stored sample may hold, per field: the one table every sample source checks against
 * (live ingest over HTTP and WS, the ingest fast path, activity-file imports). `real` marks the
 * float4 columns (see {@link FLOAT4_MIN_NORMAL}); every bound lies well inside float4 range.
 */
export const SAMPLE_BOUNDS = {
  hr: { min: 25, max: 250, unit: 'bpm', real: false },
  rr: { min: 200, max: 3000, unit: 'ms', real: false },
  speed: { min: 0, max: 30, unit: 'm/s', real: true },
  cadence: { min: 0, max: 300, unit: '1/min', real: true },
  power: { min: 0, max: 3000, unit: 'W', real: true },
  distance: { min: 0, max: 1e8, unit: 'm', real: false },
  lat: { min: -90, max: 90, unit: 'degrees', real: false },
  lon: { min: -180, max: 180, unit: 'degrees', real: false },
  alt: { min: -500, max: 9000, unit: 'm', real: true },
} as const;
export type SampleField = keyof typeof SAMPLE_BOUNDS;

/** True when `v` is a number the field's column stores as sent (finite, in bounds, not denormal). */
export function sampleValueFits(field: SampleField, v: unknown): v is number {
  const b = SAMPLE_BOUNDS[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < b.min || v > b.max) return false;
  return !b.real || v === 0 || Math.abs(v) >= FLOAT4_MIN_NORMAL;
}

const TOO_SMALL = `must be 0 or at least ${FLOAT4_MIN_NORMAL.toPrecision(3)} away from 0 (too small to store)`;

const range = (field: SampleField) => {
  const { min, max, unit, real } = SAMPLE_BOUNDS[field];
  const between = `must be between ${min} and ${max} ${unit}`;
  const n = z.number(`must be a number (${unit})`).min(min, between).max(max, between);
  return real ? n.refine((v) => v === 0 || Math.abs(v) >= FLOAT4_MIN_NORMAL, TOO_SMALL) : n;
};

const MEASUREMENTS = ['hr', 'rr', 'speed', 'cadence', 'power', 'distance', 'lat', 'alt'] as const;

/** One sample as sent to `POST /api/v1/ingest` or `WS /ws/ingest`; `ts` normalised to epoch ms. */
export const sampleInputSchema = z
  .object({
    athleteId: uuidSchema.optional(),
    ts: timestampSchema,
    seq: z
      .number()
      .int('must be an integer')
      .nonnegative('must be ≥ 0')
      .max(Number.MAX_SAFE_INTEGER)
      .optional(),
    hr: range('hr').optional(),
    rr: z.array(range('rr')).max(20, 'must hold at most 20 intervals').optional(),
    speed: range('speed').optional(),
    cadence: range('cadence').optional(),
    power: range('power').optional(),
    distance: range('distance').optional(),
    lat: range('lat').optional(),
    lon: range('lon').optional(),
    alt: range('alt').optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.lat === undefined) !== (s.lon === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [s.lat === undefined ? 'lat' : 'lon'],
        message: 'lat and lon must be sent together',
      });
    }
    const hasMeasurement = MEASUREMENTS.some((k) =>
      k === 'rr' ? (s.rr?.length ?? 0) > 0 : s[k] !== undefined,
    );
    if (!hasMeasurement) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `must carry at least one measurement (${[...MEASUREMENTS, 'lon'].join(', ')})`,
      });
    }
  });
/** A validated sample: `ts` is epoch ms. */
export type Sample = z.output<typeof sampleInputSchema>;
export type SampleInput = z.input<typeof sampleInputSchema>;

export interface RejectedSample {
  index: number;
  /** Offending field, e.g. "hr", "rr.3", or "sample" for the sample as a whole. */
  field: string;
  reason: string;
}

export interface SampleWindow {
  /** How far ahead of the server clock a sample may be (default 5 min). */
  maxFutureMs?: number;
  /** How far back a sample may be (default 7 days). */
  maxPastMs?: number;
}

export const DEFAULT_SAMPLE_WINDOW = { maxFutureMs: 5 * 60_000, maxPastMs: 7 * 24 * 3_600_000 } as const;

/**
 * Validates each sample on its own so one bad sample does not sink the batch: good samples are
 * returned parsed (ts in epoch ms), bad ones are named by index and field. A sample with several
 * bad fields gets one entry per field.
 */
export function validateSamples(
  raw: readonly unknown[],
  nowMs: number,
  window: SampleWindow = DEFAULT_SAMPLE_WINDOW,
): { accepted: Sample[]; rejected: RejectedSample[] } {
  const maxFuture = window.maxFutureMs ?? DEFAULT_SAMPLE_WINDOW.maxFutureMs;
  const maxPast = window.maxPastMs ?? DEFAULT_SAMPLE_WINDOW.maxPastMs;
  const accepted: Sample[] = [];
  const rejected: RejectedSample[] = [];
  raw.forEach((item, index) => {
    const parsed = sampleInputSchema.safeParse(item);
    if (!parsed.success) {
      const seen = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'sample';
        if (seen.has(field)) continue;
        seen.add(field);
        rejected.push({ index, field, reason: reasonOf(issue, item) });
      }
      return;
    }
    const ts = parsed.data.ts;
    if (ts > nowMs + maxFuture) {
      rejected.push({
        index,
        field: 'ts',
        reason: `is more than ${Math.round(maxFuture / 1000)} s in the future`,
      });
    } else if (ts < nowMs - maxPast) {
      const hint = ts > 0 && ts < 1e11 ? ' (looks like epoch seconds; ts must be epoch milliseconds)' : '';
      rejected.push({
        index,
        field: 'ts',
        reason: `is more than ${Math.round(maxPast / 3_600_000)} h in the past${hint}`,
      });
    } else accepted.push(parsed.data);
  });
  return { accepted, rejected };
}

function valueAt(item: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = item;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function reasonOf(issue: z.core.$ZodIssue, item: unknown): string {
  if (issue.path.length === 0 && (typeof item !== 'object' || item === null || Array.isArray(item))) {
    return 'must be an object';
  }
  if (issue.code !== 'custom' && issue.path.length > 0 && valueAt(item, issue.path) === undefined) {
    return 'is required';
  }
  if (issue.code === 'invalid_union' && issue.path[0] === 'ts') {
    return 'must be epoch milliseconds or an ISO-8601 date-time with Z or an offset';
  }
  return issue.message;
}

export const MAX_SAMPLES_PER_REQUEST = 5000;

/** `POST /api/v1/ingest` body; samples are validated one by one with {@link validateSamples}. */
export const ingestBodySchema = z.object({
  samples: z
    .array(z.unknown())
    .min(1, 'must hold at least one sample')
    .max(MAX_SAMPLES_PER_REQUEST, `must hold at most ${MAX_SAMPLES_PER_REQUEST} samples`),
});
export type IngestBody = z.infer<typeof ingestBodySchema>;

export const rejectedSampleSchema = z.object({
  index: z.number().int().nonnegative(),
  field: z.string(),
  reason: z.string(),
});

/** `POST /api/v1/ingest` → 202. */
export const ingestResponseSchema = z.object({
  /** Newly stored samples. */
  accepted: z.number().int().nonnegative(),
  /** Samples already stored before (resends), not stored again. */
  duplicates: z.number().int().nonnegative(),
  rejected: z.array(rejectedSampleSchema),
  /**
   * Samples that passed validation but the database refused: kept aside with the reason
   * (sample_quarantine) for an operator, not stored as samples; resending does not help.
   */
  quarantined: z.number().int().nonnegative().optional(),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Sessions, summaries, alerts, daily

/** The platform's sports (providers' names map onto these; see providers normaliseSport). */
export const PLATFORM_SPORTS = [
  'running',
  'cycling',
  'swimming',
  'walking',
  'hiking',
  'rowing',
  'skiing',
  'strength',
  'yoga',
  'team_sport',
  'other',
] as const;

/** A platform sport name as sessions store it: lower-case words joined by "_". */
export const sportNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z_]{0,39}$/, 'must be a sport name such as running, cycling or strength');

export const sessionSourceSchema = z.enum(['live', 'simulator', 'garmin', 'whoop', 'file', 'manual']);
export const dataSourceSchema = z.enum(['whoop', 'garmin', 'live', 'file', 'merged']);
export const alertRuleSchema = z.enum(ALERT_RULES);
export const alertSeveritySchema = z.enum(ALERT_SEVERITIES);

/** Summary of a session (the shape core's summariseSession/SessionAccumulator produce). */
export const sessionSummarySchema = z.object({
  startTs: z.number().nullable(),
  endTs: z.number().nullable(),
  durationS: z.number().nonnegative(),
  distanceM: z.number().nonnegative(),
  avgHr: z.number().nullable(),
  maxHr: z.number().nullable(),
  avgSpeed: z.number().nullable(),
  maxSpeed: z.number().nullable(),
  avgCadence: z.number().nullable(),
  avgPower: z.number().nullable(),
  maxPower: z.number().nullable(),
  /** Seconds in HR zones 1..5. */
  timeInZonesS: z.array(z.number().nonnegative()).length(5),
  timeBelowZonesS: z.number().nonnegative(),
  trimp: z.number().nullable(),
  elevationGainM: z.number().nonnegative(),
  sampleCount: z.number().int().nonnegative(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const sessionSchema = z.object({
  id: uuidSchema,
  athleteId: uuidSchema,
  source: sessionSourceSchema,
  sport: z.string().nullable(),
  /** The activity's name: from the file (GPX/TCX name, FIT sport profile) or given; editable. */
  name: z.string().nullable().optional(),
  status: z.enum(['open', 'closed']),
  startedAt: isoDateTimeSchema,
  endedAt: isoDateTimeSchema.nullable(),
  lastSampleAt: isoDateTimeSchema.nullable().optional(),
  durationS: z.number().nullable(),
  distanceM: z.number().nullable(),
  avgHr: z.number().nullable(),
  maxHr: z.number().nullable(),
  avgSpeed: z.number().nullable(),
  maxSpeed: z.number().nullable(),
  timeInZonesS: z.array(z.number()),
  trimp: z.number().nullable(),
  calories: z.number().nullable().optional(),
  summary: sessionSummarySchema.nullable().optional(),
  /** Timer (moving) time in s as the file recorded it; `durationS` is elapsed time. */
  movingTimeS: z.number().nullable().optional(),
  /** Total ascent in m as the device recorded it (else from samples, see `summary`). */
  totalAscentM: z.number().nullable().optional(),
  /** Set for sessions imported from a file: what the file said and how the import went. */
  file: z
    .object({
      format: z.enum(['fit', 'gpx', 'tcx']),
      /** The file's own sport and sub-sport names (e.g. "rowing" / "indoor_rowing"). */
      sourceSport: z.string().nullable(),
      sourceSubSport: z.string().nullable(),
      device: z.string().nullable(),
      /** Leg of a multisport file: 1-based index of how many legs the file holds. */
      leg: z.object({ index: z.number().int().positive(), of: z.number().int().positive() }),
      /** True when the file was damaged or unfinished and only what could be read is stored. */
      incomplete: z.boolean(),
      /** Plain-words notes: what could not be read, what was repaired or dropped, and why. */
      notes: z.array(z.string()),
      /** How long each sample counts for time in zones and TRIMP (see docs/ARCHITECTURE.md). */
      creditRule: z.object({
        recordingIntervalS: z.number().nonnegative(),
        maxCreditS: z.number().positive(),
      }),
    })
    .nullable()
    .optional(),
});
export type Session = z.infer<typeof sessionSchema>;

/** A lap as the activity file recorded it; times in s, speeds m/s. */
export const sessionLapSchema = z.object({
  index: z.number().int().nonnegative(),
  startedAt: isoDateTimeSchema,
  elapsedS: z.number().nullable(),
  movingTimeS: z.number().nullable(),
  distanceM: z.number().nullable(),
  avgHr: z.number().nullable(),
  maxHr: z.number().nullable(),
  avgSpeed: z.number().nullable(),
  maxSpeed: z.number().nullable(),
  avgPower: z.number().nullable(),
  avgCadence: z.number().nullable(),
  totalAscentM: z.number().nullable(),
  calories: z.number().nullable(),
});
export type SessionLap = z.infer<typeof sessionLapSchema>;

/** `GET /api/v1/sessions/:id`; `laps` is empty for sessions without recorded laps. */
export const sessionResponseSchema = z.object({
  session: sessionSchema,
  laps: z.array(sessionLapSchema).optional(),
});
/**
 * `GET /api/v1/athletes/:id/sessions?from&to&limit&cursor`. Without `?limit` a page holds up to
 * the largest page (500): what this endpoint answered before it was paged, so clients reading a
 * date range in one call (trends, outside checks) still get all of it.
 */
export const sessionsQuerySchema = dateRangeQuerySchema.safeExtend({
  ...paginationQuerySchema.shape,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(MAX_PAGE_LIMIT),
  /** Only sessions of this platform sport (e.g. "running"). */
  sport: sportNameSchema.optional(),
});
export type SessionsQuery = z.infer<typeof sessionsQuerySchema>;
/** Newest first; `nextCursor` fetches the next (older) page, null on the last one. */
export const sessionsResponseSchema = z.object({
  sessions: z.array(sessionSchema),
  nextCursor: z.string().nullable(),
});

/** A stored sample as returned to charts: ts in epoch ms, absent measurements null. */
export const storedSampleSchema = z.object({
  ts: z.number(),
  hr: z.number().nullable(),
  rr: z.array(z.number()).optional(),
  speed: z.number().nullable(),
  cadence: z.number().nullable(),
  power: z.number().nullable(),
  distance: z.number().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  alt: z.number().nullable(),
});
export type StoredSample = z.infer<typeof storedSampleSchema>;

/** `GET /api/v1/sessions/:id/samples?maxPoints=` */
export const samplesQuerySchema = z.object({
  maxPoints: z.coerce.number().int().min(2).max(20_000).default(1000),
});
export const samplesResponseSchema = z.object({
  sessionId: uuidSchema,
  /** Number of stored samples before downsampling. */
  total: z.number().int().nonnegative(),
  downsampled: z.boolean(),
  samples: z.array(storedSampleSchema),
});
export type SamplesResponse = z.infer<typeof samplesResponseSchema>;

export const alertSchema = z.object({
  id: uuidSchema,
  athleteId: uuidSchema,
  sessionId: uuidSchema.nullable().optional(),
  rule: alertRuleSchema,
  severity: alertSeveritySchema,
  message: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  startedAt: isoDateTimeSchema,
  clearedAt: isoDateTimeSchema.nullable().optional(),
  acknowledgedAt: isoDateTimeSchema.nullable().optional(),
  /**
   * Who acknowledged it (null once that account is deleted, and for an athlete when it was not
   * one of their coaches); left out where not looked up.
   */
  acknowledgedBy: z.object({ id: uuidSchema, name: z.string() }).nullable().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

export const dailySummarySchema = z.object({
  athleteId: uuidSchema,
  date: isoDateSchema,
  source: dataSourceSchema,
  restingHr: z.number().nullable(),
  hrvRmssdMs: z.number().nullable(),
  sleepDurationS: z.number().nullable(),
  sleepScore: z.number().nullable(),
  recoveryScore: z.number().nullable(),
  strain: z.number().nullable(),
  steps: z.number().int().nullable(),
  caloriesKcal: z.number().nullable(),
  trainingLoad: z.number().nullable(),
  /** Average stress level of the day, 1–100 (Garmin). */
  stressAvg: z.number().nullable().optional(),
  weightKg: z.number().nullable().optional(),
  bodyFatPct: z.number().nullable().optional(),
  /** Breaths per minute (WHOOP: during sleep; Garmin: the day's all-day readings). */
  respiratoryRate: z.number().nullable().optional(),
  /** Absolute skin temperature, °C (WHOOP). */
  skinTempC: z.number().nullable().optional(),
  /** Skin temperature against the device's own baseline, °C (Garmin). */
  skinTempDeviationC: z.number().nullable().optional(),
  /** Merged rows: which source supplied each metric. */
  sources: z.record(z.string(), dataSourceSchema).nullable().optional(),
  /** Acute/chronic load on that day, when computed. */
  load: z
    .object({ acute: z.number(), chronic: z.number(), acwr: z.number().nullable() })
    .nullable()
    .optional(),
});
export type DailySummary = z.infer<typeof dailySummarySchema>;

/** `GET /api/v1/athletes/:id/daily?from&to` */
export const dailyResponseSchema = z.object({ daily: z.array(dailySummarySchema) });

// ---------------------------------------------------------------------------------------------
// WebSocket messages

/** `WS /ws/ingest`, client → server. */
export const wsIngestClientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('samples'),
    samples: z.array(z.unknown()).min(1).max(MAX_SAMPLES_PER_REQUEST),
  }),
  z.object({
    type: z.literal('session'),
    action: z.enum(['start', 'stop']),
    athleteId: uuidSchema.optional(),
  }),
  z.object({ type: z.literal('ping') }),
]);
export type WsIngestClientMessage = z.infer<typeof wsIngestClientMessageSchema>;

/** An error on `/ws/ingest`; a BACKPRESSURE error's details follow {@link wsBackpressureDetailsSchema}. */
export const wsErrorMessageSchema = z.object({
  type: z.literal('error'),
  code: errorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type WsErrorMessage = z.infer<typeof wsErrorMessageSchema>;

const wsPongSchema = z.object({ type: z.literal('pong') });

const seqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * Details of `{type:'error', code:'BACKPRESSURE'}` on `/ws/ingest`: none of the message's
 * samples was taken; the client sends those with seqs seqFrom..seqTo again after retryAfterMs.
 */
export const wsBackpressureDetailsSchema = z.object({
  buffered: z.number().int().nonnegative(),
  capacity: z.number().int().nonnegative(),
  retryAfterMs: z.number().int().positive(),
  seqFrom: seqSchema.optional(),
  seqTo: seqSchema.optional(),
});
export type WsBackpressureDetails = z.infer<typeof wsBackpressureDetailsSchema>;

/**
 * `WS /ws/ingest` acknowledgement: exactly the samples whose seq lies in one of the inclusive
 * ranges are done with (committed, or rejected/quarantined, where resending would not help);
 * the client drops those and nothing else. Never cumulative: a sample refused with
 * BACKPRESSURE is not covered by a later ack, even when its seq is lower (issue #12.2).
 */
export const wsIngestAckSchema = z.object({
  type: z.literal('ack'),
  ranges: z.array(z.tuple([seqSchema, seqSchema])).min(1),
});
export type WsIngestAck = z.infer<typeof wsIngestAckSchema>;

/** The seqs as sorted, merged inclusive ranges ([[1,3],[7,7]] for 3,1,2,7). */
export function seqRanges(seqs: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const q of sorted) {
    const last = out[out.length - 1];
    if (last && q === last[1] + 1) last[1] = q;
    else out.push([q, q]);
  }
  return out;
}

/** Whether `seq` lies in one of the ranges of an ack. */
export function seqAcked(ranges: ReadonlyArray<readonly [number, number]>, seq: number): boolean {
  for (const [from, to] of ranges) if (seq >= from && seq <= to) return true;
  return false;
}

/** Samples of one ingest message that failed validation, with the client's seq where it gave one. */
export const wsIngestRejectedSchema = z.object({
  type: z.literal('rejected'),
  items: z.array(rejectedSampleSchema.extend({ seq: seqSchema.optional() })),
});

/**
 * A session started or stopped: to an athlete's viewers on `/ws/live`, and on `/ws/ingest` as
 * the answer to a `session` message. `summary` comes with a live stop.
 */
export const wsSessionEventSchema = z.object({
  type: z.literal('session'),
  event: z.enum(['started', 'stopped']),
  athleteId: uuidSchema,
  sessionId: uuidSchema,
  session: sessionSchema,
  summary: sessionSummarySchema.optional(),
});
export type WsSessionEvent = z.infer<typeof wsSessionEventSchema>;

/** `WS /ws/ingest`, server → client. */
export const wsIngestServerMessageSchema = z.discriminatedUnion('type', [
  wsIngestAckSchema,
  wsErrorMessageSchema,
  wsIngestRejectedSchema,
  wsSessionEventSchema,
  wsPongSchema,
]);
export type WsIngestServerMessage = z.infer<typeof wsIngestServerMessageSchema>;

/**
 * One sample in a live `samples` frame (absent measurements null) with the athlete's HR zone.
 * One frame per tick carries the tick's samples of every athlete the viewer watches, so each
 * sample names its athlete and session.
 */
export const liveSampleSchema = z.object({
  athleteId: uuidSchema,
  sessionId: uuidSchema.nullable(),
  ts: z.number(),
  hr: z.number().nullable(),
  speed: z.number().nullable(),
  distance: z.number().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  cadence: z.number().nullable(),
  power: z.number().nullable(),
  /** 1..5, 0 below zone 1, null without HR. */
  zone: z.number().int().min(0).max(5).nullable(),
});
export type LiveSample = z.infer<typeof liveSampleSchema>;

/** Latest state of one athlete, sent on subscribe. */
export const athleteLiveStateSchema = z.object({
  athleteId: uuidSchema,
  name: z.string().optional(),
  sessionId: uuidSchema.nullable(),
  latest: liveSampleSchema.nullable(),
  summary: sessionSummarySchema.nullable().optional(),
  alerts: z.array(alertSchema),
});
export type AthleteLiveState = z.infer<typeof athleteLiveStateSchema>;

/** `WS /ws/live` samples frame; `coalesced` marks a catch-up frame after the viewer fell behind. */
export const wsLiveSamplesFrameSchema = z.object({
  type: z.literal('samples'),
  samples: z.array(liveSampleSchema),
  coalesced: z.literal(true).optional(),
});

/** An alert raised, cleared or acknowledged (the whole alert as it is now). */
export const wsAlertEventSchema = z.object({ type: z.literal('alert'), alert: alertSchema });

/**
 * The first frame on `/ws/live`: every watched athlete's latest state. A team view gets it again
 * whenever who it may show changes (consent given or withdrawn, an athlete joined or left): an
 * athlete missing from it is no longer watched.
 */
export const wsSnapshotSchema = z.object({
  type: z.literal('snapshot'),
  athletes: z.array(athleteLiveStateSchema),
});

/** What the hub sends an athlete's viewers as it happens (not batched per tick). */
export type WsLiveEvent = z.infer<typeof wsAlertEventSchema> | WsSessionEvent;

/** `WS /ws/live`, server → client (refusals are HTTP answers to the upgrade or close codes). */
export const wsLiveServerMessageSchema = z.discriminatedUnion('type', [
  wsLiveSamplesFrameSchema,
  wsAlertEventSchema,
  wsSessionEventSchema,
  wsSnapshotSchema,
  wsPongSchema,
]);
export type WsLiveServerMessage = z.infer<typeof wsLiveServerMessageSchema>;

/** `WS /ws/live`, client → server (subscription is chosen by the URL query). */
export const wsLiveClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
]);
export type WsLiveClientMessage = z.infer<typeof wsLiveClientMessageSchema>;
