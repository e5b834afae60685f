-- Coach workflow (issue #15), part two.

-- Notes: a thread about one athlete's session or day. Coaches write, the athlete replies; a row
-- goes with its athlete, its author or its session.
CREATE TABLE "notes" (
  "id"         UUID NOT NULL DEFAULT gen_random_uuid(),
  "athlete_id" UUID NOT NULL,
  "session_id" UUID,
  "date"       DATE,
  "author_id"  UUID NOT NULL,
  "body"       TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "notes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "notes_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "notes_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_sessions" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "notes_one_subject" CHECK (("session_id" IS NULL) <> ("date" IS NULL))
);
CREATE INDEX "notes_athlete_id_date_idx" ON "notes" ("athlete_id", "date");
CREATE INDEX "notes_session_id_idx" ON "notes" ("session_id");
CREATE INDEX "notes_author_id_idx" ON "notes" ("author_id");

-- Planned sessions: for one athlete of a team, or (athlete_id NULL) for every athlete of it.
CREATE TABLE "planned_sessions" (
  "id"            UUID NOT NULL DEFAULT gen_random_uuid(),
  "team_id"       UUID NOT NULL,
  "athlete_id"    UUID,
  "date"          DATE NOT NULL,
  "sport"         TEXT NOT NULL,
  "duration_min"  INTEGER NOT NULL,
  "target_load"   DOUBLE PRECISION,
  "target_zone"   SMALLINT,
  "description"   TEXT,
  "created_by_id" UUID,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "planned_sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "planned_sessions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "planned_sessions_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "planned_sessions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id")
    ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "planned_sessions_duration" CHECK ("duration_min" > 0),
  CONSTRAINT "planned_sessions_zone" CHECK ("target_zone" IS NULL OR "target_zone" BETWEEN 1 AND 5)
);
CREATE INDEX "planned_sessions_team_id_date_idx" ON "planned_sessions" ("team_id", "date");
CREATE INDEX "planned_sessions_athlete_id_date_idx" ON "planned_sessions" ("athlete_id", "date");

-- An athlete's iCalendar feed: only the SHA-256 of the secret in its URL is kept; deleting the
-- row revokes the URL.
CREATE TABLE "calendar_feeds" (
  "athlete_id" UUID NOT NULL,
  "token_hash" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "calendar_feeds_pkey" PRIMARY KEY ("athlete_id"),
  CONSTRAINT "calendar_feeds_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "calendar_feeds_token_hash_key" ON "calendar_feeds" ("token_hash");

-- A team's alert thresholds: between the global THRESHOLDS and the athlete's own override.
CREATE TABLE "team_alert_defaults" (
  "team_id"       UUID NOT NULL,
  "thresholds"    JSONB NOT NULL,
  "updated_by_id" UUID,
  "updated_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "team_alert_defaults_pkey" PRIMARY KEY ("team_id"),
  CONSTRAINT "team_alert_defaults_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "team_alert_defaults_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "users" ("id")
    ON DELETE SET NULL ON UPDATE CASCADE
);
