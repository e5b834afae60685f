-- Initial schema: everything prisma/schema.prisma declares. Constraint and index names follow
-- Prisma's conventions (<table>_pkey, <table>_<cols>_key, <table>_<cols>_idx, <table>_<col>_fkey)
-- so errors surfaced by Prisma name the same objects. Scalar lists are NOT NULL DEFAULT '{}'
-- because Prisma types them as non-null arrays.

CREATE TYPE "Role" AS ENUM ('athlete', 'coach', 'admin');
CREATE TYPE "Sex" AS ENUM ('female', 'male', 'other');
CREATE TYPE "TeamRole" AS ENUM ('coach', 'athlete');
CREATE TYPE "DeviceKind" AS ENUM ('personal', 'gateway');
CREATE TYPE "Provider" AS ENUM ('whoop', 'garmin');
CREATE TYPE "ConnectionStatus" AS ENUM ('active', 'error', 'disconnected', 'revoked');
CREATE TYPE "SyncKind" AS ENUM ('scheduled', 'manual', 'webhook', 'backfill');
CREATE TYPE "SyncStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');
CREATE TYPE "SessionSource" AS ENUM ('live', 'simulator', 'garmin', 'whoop', 'file');
CREATE TYPE "SessionStatus" AS ENUM ('open', 'closed');
CREATE TYPE "DataSource" AS ENUM ('whoop', 'garmin', 'live', 'file', 'merged');
CREATE TYPE "AlertSeverity" AS ENUM ('info', 'warning', 'critical');

CREATE TABLE "users" (
  "id"            UUID NOT NULL DEFAULT gen_random_uuid(),
  "email"         TEXT NOT NULL,
  "password_hash" TEXT NOT NULL,
  "name"          TEXT NOT NULL,
  "role"          "Role" NOT NULL,
  "disabled_at"   TIMESTAMPTZ(3),
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");

CREATE TABLE "auth_sessions" (
  "id"           UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id"      UUID NOT NULL,
  "token_hash"   TEXT NOT NULL,
  "user_agent"   TEXT,
  "ip"           TEXT,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at"   TIMESTAMPTZ(3) NOT NULL,
  "revoked_at"   TIMESTAMPTZ(3),
  CONSTRAINT "auth_sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "auth_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "auth_sessions_token_hash_key" ON "auth_sessions" ("token_hash");
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" ("user_id");

CREATE TABLE "athlete_profiles" (
  "user_id"           UUID NOT NULL,
  "birth_year"        INTEGER,
  "sex"               "Sex",
  "weight_kg"         DOUBLE PRECISION,
  "hr_max"            INTEGER,
  "hr_rest"           INTEGER,
  "hr_zones"          INTEGER[] NOT NULL DEFAULT '{}',
  "thresholds"        JSONB,
  "source_precedence" "DataSource"[] NOT NULL DEFAULT '{}',
  "updated_at"        TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "athlete_profiles_pkey" PRIMARY KEY ("user_id"),
  CONSTRAINT "athlete_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "teams" (
  "id"            UUID NOT NULL DEFAULT gen_random_uuid(),
  "name"          TEXT NOT NULL,
  "created_by_id" UUID NOT NULL,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "teams_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "teams_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "teams_created_by_id_idx" ON "teams" ("created_by_id");

CREATE TABLE "team_members" (
  "team_id"          UUID NOT NULL,
  "user_id"          UUID NOT NULL,
  "role"             "TeamRole" NOT NULL,
  "consent_live"     BOOLEAN NOT NULL DEFAULT false,
  "consent_sessions" BOOLEAN NOT NULL DEFAULT false,
  "consent_wellness" BOOLEAN NOT NULL DEFAULT false,
  "joined_at"        TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "team_members_pkey" PRIMARY KEY ("team_id", "user_id"),
  CONSTRAINT "team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "team_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "team_members_user_id_idx" ON "team_members" ("user_id");

CREATE TABLE "team_invites" (
  "id"             UUID NOT NULL DEFAULT gen_random_uuid(),
  "team_id"        UUID NOT NULL,
  "code"           TEXT NOT NULL,
  "email"          TEXT NOT NULL,
  "created_by_id"  UUID NOT NULL,
  "created_at"     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at"     TIMESTAMPTZ(3) NOT NULL,
  "accepted_at"    TIMESTAMPTZ(3),
  "accepted_by_id" UUID,
  CONSTRAINT "team_invites_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "team_invites_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "team_invites_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "team_invites_code_key" ON "team_invites" ("code");
CREATE INDEX "team_invites_team_id_idx" ON "team_invites" ("team_id");

CREATE TABLE "devices" (
  "id"           UUID NOT NULL DEFAULT gen_random_uuid(),
  "owner_id"     UUID NOT NULL,
  "name"         TEXT NOT NULL,
  "kind"         "DeviceKind" NOT NULL,
  "athlete_id"   UUID,
  "team_id"      UUID,
  "key_hash"     TEXT NOT NULL,
  "key_prefix"   TEXT NOT NULL,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "last_used_at" TIMESTAMPTZ(3),
  "revoked_at"   TIMESTAMPTZ(3),
  CONSTRAINT "devices_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "devices_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "devices_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "devices_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "devices_key_hash_key" ON "devices" ("key_hash");
CREATE INDEX "devices_owner_id_idx" ON "devices" ("owner_id");

CREATE TABLE "provider_connections" (
  "id"                UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id"           UUID NOT NULL,
  "provider"          "Provider" NOT NULL,
  "provider_user_id"  TEXT,
  "status"            "ConnectionStatus" NOT NULL DEFAULT 'active',
  "scopes"            TEXT[] NOT NULL DEFAULT '{}',
  "access_token_enc"  TEXT,
  "refresh_token_enc" TEXT,
  "token_key_id"      TEXT,
  "expires_at"        TIMESTAMPTZ(3),
  "last_sync_at"      TIMESTAMPTZ(3),
  "last_error"        TEXT,
  "state"             JSONB,
  "created_at"        TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"        TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "provider_connections_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "provider_connections_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "provider_connections_user_id_provider_key" ON "provider_connections" ("user_id", "provider");
CREATE INDEX "provider_connections_provider_provider_user_id_idx"
  ON "provider_connections" ("provider", "provider_user_id");

CREATE TABLE "oauth_states" (
  "state"         TEXT NOT NULL,
  "user_id"       UUID NOT NULL,
  "provider"      "Provider" NOT NULL,
  "code_verifier" TEXT,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at"    TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("state"),
  CONSTRAINT "oauth_states_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "sync_runs" (
  "id"            UUID NOT NULL DEFAULT gen_random_uuid(),
  "connection_id" UUID NOT NULL,
  "kind"          "SyncKind" NOT NULL,
  "status"        "SyncStatus" NOT NULL DEFAULT 'queued',
  "progress"      JSONB,
  "items_fetched" INTEGER NOT NULL DEFAULT 0,
  "error"         TEXT,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "started_at"    TIMESTAMPTZ(3),
  "finished_at"   TIMESTAMPTZ(3),
  CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "sync_runs_connection_id_fkey" FOREIGN KEY ("connection_id")
    REFERENCES "provider_connections" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "sync_runs_connection_id_created_at_idx" ON "sync_runs" ("connection_id", "created_at" DESC);

CREATE TABLE "training_sessions" (
  "id"              UUID NOT NULL DEFAULT gen_random_uuid(),
  "athlete_id"      UUID NOT NULL,
  "source"          "SessionSource" NOT NULL,
  "external_id"     TEXT,
  "sport"           TEXT,
  "status"          "SessionStatus" NOT NULL DEFAULT 'open',
  "started_at"      TIMESTAMPTZ(3) NOT NULL,
  "ended_at"        TIMESTAMPTZ(3),
  "last_sample_at"  TIMESTAMPTZ(3),
  "duration_s"      DOUBLE PRECISION,
  "distance_m"      DOUBLE PRECISION,
  "avg_hr"          DOUBLE PRECISION,
  "max_hr"          INTEGER,
  "avg_speed"       DOUBLE PRECISION,
  "max_speed"       DOUBLE PRECISION,
  "time_in_zones_s" DOUBLE PRECISION[] NOT NULL DEFAULT '{}',
  "trimp"           DOUBLE PRECISION,
  "calories"        DOUBLE PRECISION,
  "summary"         JSONB,
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "training_sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "training_sessions_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "training_sessions_athlete_id_source_external_id_key"
  ON "training_sessions" ("athlete_id", "source", "external_id");
CREATE INDEX "training_sessions_athlete_id_started_at_idx"
  ON "training_sessions" ("athlete_id", "started_at" DESC);
CREATE INDEX "training_sessions_status_last_sample_at_idx"
  ON "training_sessions" ("status", "last_sample_at");

-- 1 Hz samples, declaratively range-partitioned by month. No default partition: a row for a
-- month without a partition fails loudly instead of landing somewhere that blocks creating
-- that month's partition later. Partitions are created by ensure_sample_partitions().
CREATE TABLE "samples" (
  "athlete_id" UUID NOT NULL,
  "ts"         TIMESTAMPTZ(3) NOT NULL,
  "session_id" UUID,
  "seq"        BIGINT,
  "hr"         SMALLINT,
  "rr"         INTEGER[] NOT NULL DEFAULT '{}',
  "speed"      REAL,
  "cadence"    REAL,
  "power"      REAL,
  "distance"   DOUBLE PRECISION,
  "lat"        DOUBLE PRECISION,
  "lon"        DOUBLE PRECISION,
  "alt"        REAL,
  CONSTRAINT "samples_pkey" PRIMARY KEY ("athlete_id", "ts")
) PARTITION BY RANGE ("ts");
CREATE INDEX "samples_session_id_ts_idx" ON "samples" ("session_id", "ts");

CREATE TABLE "daily_summaries" (
  "athlete_id"       UUID NOT NULL,
  "date"             DATE NOT NULL,
  "source"           "DataSource" NOT NULL,
  "resting_hr"       DOUBLE PRECISION,
  "hrv_rmssd_ms"     DOUBLE PRECISION,
  "sleep_duration_s" DOUBLE PRECISION,
  "sleep_score"      DOUBLE PRECISION,
  "recovery_score"   DOUBLE PRECISION,
  "strain"           DOUBLE PRECISION,
  "steps"            INTEGER,
  "calories_kcal"    DOUBLE PRECISION,
  "training_load"    DOUBLE PRECISION,
  "sources"          JSONB,
  "data"             JSONB,
  "updated_at"       TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "daily_summaries_pkey" PRIMARY KEY ("athlete_id", "date", "source"),
  CONSTRAINT "daily_summaries_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "daily_summaries_athlete_id_source_date_idx"
  ON "daily_summaries" ("athlete_id", "source", "date");

CREATE TABLE "alerts" (
  "id"                 UUID NOT NULL DEFAULT gen_random_uuid(),
  "athlete_id"         UUID NOT NULL,
  "session_id"         UUID,
  "rule"               TEXT NOT NULL,
  "severity"           "AlertSeverity" NOT NULL,
  "message"            TEXT NOT NULL,
  "value"              DOUBLE PRECISION,
  "threshold"          DOUBLE PRECISION,
  "started_at"         TIMESTAMPTZ(3) NOT NULL,
  "cleared_at"         TIMESTAMPTZ(3),
  "acknowledged_at"    TIMESTAMPTZ(3),
  "acknowledged_by_id" UUID,
  "created_at"         TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "alerts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "alerts_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "alerts_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_sessions" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "alerts_acknowledged_by_id_fkey" FOREIGN KEY ("acknowledged_by_id") REFERENCES "users" ("id")
    ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "alerts_athlete_id_started_at_idx" ON "alerts" ("athlete_id", "started_at" DESC);
CREATE INDEX "alerts_session_id_idx" ON "alerts" ("session_id");

CREATE TABLE "raw_objects" (
  "id"           UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id"      UUID NOT NULL,
  "source"       "DataSource" NOT NULL,
  "key"          TEXT NOT NULL,
  "kind"         TEXT NOT NULL,
  "external_id"  TEXT,
  "content_type" TEXT NOT NULL,
  "bytes"        INTEGER NOT NULL,
  "sha256"       TEXT NOT NULL,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "raw_objects_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "raw_objects_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "raw_objects_key_key" ON "raw_objects" ("key");
CREATE INDEX "raw_objects_user_id_source_created_at_idx" ON "raw_objects" ("user_id", "source", "created_at");
CREATE INDEX "raw_objects_source_external_id_idx" ON "raw_objects" ("source", "external_id");
