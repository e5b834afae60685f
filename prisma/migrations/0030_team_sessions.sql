-- Team sessions (issue #15.5): a coach opens one for a team from the live view; every athlete's
-- live session that runs inside it points at it, and ending it closes them. At most one open
-- team session per team (the partial unique index the start route turns into a 409).
CREATE TABLE "team_sessions" (
  "id"            UUID NOT NULL DEFAULT gen_random_uuid(),
  "team_id"       UUID NOT NULL,
  "title"         TEXT NOT NULL,
  "started_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "ended_at"      TIMESTAMPTZ(3),
  "started_by_id" UUID,
  CONSTRAINT "team_sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "team_sessions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "team_sessions_started_by_id_fkey" FOREIGN KEY ("started_by_id") REFERENCES "users" ("id")
    ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "team_sessions_order" CHECK ("ended_at" IS NULL OR "ended_at" >= "started_at")
);
CREATE INDEX "team_sessions_team_id_started_at_idx" ON "team_sessions" ("team_id", "started_at" DESC);
CREATE UNIQUE INDEX "team_sessions_one_open_key" ON "team_sessions" ("team_id") WHERE "ended_at" IS NULL;

-- An athlete's live session grouped under a team session; deleting the team session ungroups it.
ALTER TABLE "training_sessions" ADD COLUMN "team_session_id" UUID;
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_team_session_id_fkey"
  FOREIGN KEY ("team_session_id") REFERENCES "team_sessions" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "training_sessions_team_session_id_idx" ON "training_sessions" ("team_session_id");
