import { z } from 'zod';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const csv = z.union([z.array(z.string()), z.string()]).transform((v) =>
  Array.isArray(v)
    ? v
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
);

const int = (def: number) => z.coerce.number().int().default(def);
const optionalUrl = z.url().optional();

/**
 * Every setting of every process. Keys are the environment variable names; config.yaml may hold
 * the same keys (environment wins). Documented one by one in .env.example.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL of the web app/API, used for OAuth redirects and invite links. */
  PUBLIC_URL: optionalUrl,
  /** Where embedded data lives: PGlite database, objects, secrets generated on first start. */
  DATA_DIR: z.string().default('./.data'),

  /** Unset: embedded PGlite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: int(10),
  /** Unset: in-process cache, queue, locks, rate limits and pub/sub. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Prefix for every Redis key and queue name, so several deployments can share a server. */
  REDIS_PREFIX: z.string().default('ap'),
  /** Unset: objects stored as files under DATA_DIR/objects. */
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: optionalUrl,
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),

  /** Serve the built web app from the API (single-node mode). */
  SERVE_WEB: bool.default(true),
  WEB_DIST_DIR: z.string().optional(),
  CORS_ORIGINS: csv.default([]),
  /**
   * Which peers may set X-Forwarded-For/-Proto/-Host (client address for throttles, scheme for
   * cookies): "true", "false", or comma-separated addresses/CIDRs (also `loopback`,
   * `linklocal`, `uniquelocal`). The default trusts proxies on private networks (nginx beside
   * the API, a Kubernetes ingress) so a client on the internet cannot forge its address.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback,linklocal,uniquelocal')
    .transform((v): boolean | string => (v === 'true' || v === 'false' ? v === 'true' : v)),
  BODY_LIMIT_BYTES: int(1_048_576),
  UPLOAD_LIMIT_BYTES: int(50 * 1_048_576),
  /**
   * A bulk import's ZIP (POST /imports/bulk), streamed to the object store, never held in
   * memory: a Strava export of many years is 1–5 GB. Each file in it keeps UPLOAD_LIMIT_BYTES.
   */
  BULK_UPLOAD_LIMIT_BYTES: int(4 * 1_073_741_824),
  /** Run background job handlers inside the API process (default in embedded mode). */
  RUN_WORKER_IN_API: bool.optional(),

  SESSION_TTL_HOURS: int(24 * 14),
  /** Sign-ups allowed per client address per hour (a brake on scripted account creation). */
  REGISTER_LIMIT_PER_HOUR: int(20),
  COOKIE_SECURE: bool.optional(),
  /** Minutes a password reset link works (0 makes every link expire at once: tests only). */
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().min(0).default(30),
  /** Minutes an email change confirmation link works. */
  EMAIL_CHANGE_TTL_MINUTES: z.coerce
    .number()
    .min(0)
    .default(24 * 60),
  /**
   * `on`: POST /auth/register answers 202 alike for new and taken addresses and mails a link that
   * creates the account when followed (a taken address is told someone tried). `off` (default):
   * 201 with a signed-in session, and 409 for a taken address. Use `on` in production with SMTP.
   */
  SIGNUP_EMAIL_VERIFICATION: z.enum(['off', 'on']).default('off'),
  /** Minutes a sign-up link works (0 makes every link expire at once: tests only). */
  SIGNUP_LINK_TTL_MINUTES: z.coerce
    .number()
    .min(0)
    .default(24 * 60),

  /**
   * Outgoing mail, e.g. smtps://user:pass@smtp.example.com:465 or smtp://host:587 (STARTTLS when
   * offered). Unset: every message is written as an .eml file to DATA_DIR/outbox, readable by
   * admins in the app.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Sender of every mail, an address or "Name <address>". */
  MAIL_FROM: z.string().min(3).default('Athlete Platform <no-reply@athlete-platform.local>'),
  /** Base64 of 32 bytes, or "keyId:base64,keyId:base64" (first encrypts, all decrypt). */
  TOKEN_ENCRYPTION_KEYS: z.string().optional(),

  /** Seconds between samples streamed by the simulator (the seeds' name; 1 = 1 Hz). */
  DATA_FREQUENCY: z.coerce.number().positive().default(1),
  /** Run a demo team streaming simulated data inside the server. */
  SIMULATION_MODE: bool.default(false),
  SIMULATION_ATHLETES: int(8),
  /**
   * Alert thresholds, JSON, e.g. {"hrAbovePctMax":0.92,"hrAboveSeconds":10,"hrBelow":40,
   * "dropoutSeconds":15,"jumpBpm":40}. Per-athlete overrides live in the profile.
   */
  THRESHOLDS: z.string().optional(),
  LIVE_SESSION_IDLE_SECONDS: int(300),
  LIVE_FLUSH_INTERVAL_MS: int(250),
  LIVE_BUFFER_MAX_SAMPLES: int(200_000),
  /** /readyz reports not ready once the oldest uncommitted live sample is older than this. */
  LIVE_WRITER_STALL_SECONDS: int(30),

  WHOOP_CLIENT_ID: z.string().optional(),
  WHOOP_CLIENT_SECRET: z.string().optional(),
  WHOOP_API_URL: z.url().default('https://api.prod.whoop.com/developer'),
  WHOOP_OAUTH_URL: z.url().default('https://api.prod.whoop.com/oauth/oauth2'),
  /**
   * Where the browser is sent for WHOOP's consent page, when it reaches WHOOP by another address
   * than this server does (the dev compose sandbox: localhost for the browser, `sandbox` inside).
   */
  WHOOP_AUTHORIZE_URL: z.url().optional(),
  GARMIN_CLIENT_ID: z.string().optional(),
  GARMIN_CLIENT_SECRET: z.string().optional(),
  /** Secret path segment of the Garmin notification URL (default: derived from the client secret). */
  GARMIN_WEBHOOK_TOKEN: z.string().min(20).optional(),
  /** Largest Garmin notification body, checked before it is read (nginx allows the same). */
  GARMIN_WEBHOOK_BODY_LIMIT_BYTES: int(10 * 1_048_576),
  GARMIN_API_URL: z.url().default('https://apis.garmin.com'),
  GARMIN_OAUTH_URL: z.url().default('https://connect.garmin.com/oauth2Confirm'),
  GARMIN_TOKEN_URL: z.url().default('https://diauth.garmin.com/di-oauth2-service/oauth/token'),
  /** Run the local provider sandbox inside the server and point the providers at it (demo). */
  PROVIDER_SANDBOX: bool.default(false),
  /** Days of history the in-process sandbox serves per user (a year: the demo's backfill). */
  PROVIDER_SANDBOX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  SYNC_INTERVAL_MINUTES: int(60),
  /** A Garmin backfill is done once its data has stopped arriving for this long. */
  GARMIN_BACKFILL_QUIET_SECONDS: z.coerce.number().int().positive().default(120),
  /** …or, at the latest, this long after its requests were accepted (Garmin may send nothing). */
  GARMIN_BACKFILL_MAX_WAIT_SECONDS: z.coerce.number().int().positive().default(3600),
  /** "Sync now" requests per user and hour, all providers together (429 with Retry-After beyond). */
  SYNC_NOW_PER_HOUR: z.coerce.number().int().positive().default(10),
  /** Per-user hourly budgets of the expensive operations (429 with Retry-After beyond). */
  EXPORTS_PER_HOUR: z.coerce.number().int().positive().default(10),
  IMPORTS_PER_HOUR: z.coerce.number().int().positive().default(300),
  DEVICES_PER_HOUR: z.coerce.number().int().positive().default(30),
  INVITES_PER_HOUR: z.coerce.number().int().positive().default(100),

  /** Sample partitions older than this many whole months are archived to the object store and dropped (0 = keep). */
  SAMPLE_RETENTION_MONTHS: z.coerce.number().int().min(0).default(24),
  /** Raw provider JSON older than this many days is deleted from the object store (0 = keep). */
  RAW_RETENTION_DAYS: z.coerce.number().int().min(0).default(180),
  /** Team invites revoked, accepted or expired more than this many days ago are deleted (0 = keep). */
  INVITE_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  METRICS_ENABLED: bool.default(true),
  /**
   * Serve the API's /metrics to any address. Off: only to loopback and private-network peers
   * (Prometheus beside the API, the compose network), a 404 for everyone else.
   */
  METRICS_PUBLIC: bool.default(false),
  /** Serve /docs (OpenAPI UI and JSON) without signing in. Default: yes except in production. */
  API_DOCS_PUBLIC: bool.optional(),
  /** Port of the worker's /metrics and /healthz endpoint (0 = none). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
});

export type Config = z.infer<typeof configSchema>;
