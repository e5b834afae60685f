-- Readiness-gated thresholds (issue #15.7): a coach confirmed a lower hr_high threshold for one
-- athlete on one day (UTC) because the morning readiness was low. One row per athlete and day; the
-- row is also the log entry: who confirmed, when, the threshold before and after, and why.
CREATE TABLE "threshold_day_overrides" (
  "id"              UUID NOT NULL DEFAULT gen_random_uuid(),
  "athlete_id"      UUID NOT NULL,
  "date"            DATE NOT NULL,
  "previous_bpm"    DOUBLE PRECISION NOT NULL,
  "hr_above_bpm"    DOUBLE PRECISION NOT NULL,
  "recommendation"  TEXT NOT NULL,
  "reason"          TEXT NOT NULL,
  "formula"         TEXT NOT NULL,
  "confirmed_by_id" UUID,
  "confirmed_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "threshold_day_overrides_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "threshold_day_overrides_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "threshold_day_overrides_confirmed_by_id_fkey" FOREIGN KEY ("confirmed_by_id") REFERENCES "users" ("id")
    ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "threshold_day_overrides_lower" CHECK ("hr_above_bpm" < "previous_bpm")
);
CREATE UNIQUE INDEX "threshold_day_overrides_athlete_id_date_key" ON "threshold_day_overrides" ("athlete_id", "date");
