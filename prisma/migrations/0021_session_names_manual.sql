-- Issue #13: activity names (from the file or given, editable) and manual sessions (no file,
-- no samples: sport, start, duration, distance and RPE as the athlete entered them).
ALTER TYPE "SessionSource" ADD VALUE IF NOT EXISTS 'manual';
ALTER TABLE "training_sessions" ADD COLUMN "name" TEXT;
CREATE INDEX "training_sessions_athlete_id_sport_started_at_idx"
  ON "training_sessions" ("athlete_id", "sport", "started_at" DESC);
