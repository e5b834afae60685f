-- Training intelligence (#14). Per-athlete fitness/fatigue time constants (null = the defaults,
-- 42 and 7 days), and resting HRV checks taken with a strap: every check is kept, a refused one
-- with its reason, so a bad reading is never silently averaged into the baseline.
ALTER TABLE "athlete_profiles"
  ADD COLUMN "ctl_days" INTEGER,
  ADD COLUMN "atl_days" INTEGER,
  ADD CONSTRAINT "athlete_profiles_ctl_days_range" CHECK ("ctl_days" BETWEEN 7 AND 120),
  ADD CONSTRAINT "athlete_profiles_atl_days_range" CHECK ("atl_days" BETWEEN 2 AND 21);

CREATE TABLE "readiness_checks" (
  "id"            UUID           NOT NULL DEFAULT gen_random_uuid(),
  "athlete_id"    UUID           NOT NULL,
  "date"          DATE           NOT NULL,
  "measured_at"   TIMESTAMPTZ(3) NOT NULL,
  "source"        TEXT           NOT NULL,
  "status"        TEXT           NOT NULL,
  "quality"       TEXT           NOT NULL,
  "reason"        TEXT,
  "duration_s"    DOUBLE PRECISION NOT NULL,
  "beats"         INTEGER        NOT NULL,
  "artefacts"     INTEGER        NOT NULL,
  "artefact_rate" DOUBLE PRECISION NOT NULL,
  "rmssd_ms"      DOUBLE PRECISION,
  "ln_rmssd"      DOUBLE PRECISION,
  "resting_hr"    DOUBLE PRECISION,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "readiness_checks_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "readiness_checks_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "readiness_checks_status" CHECK ("status" IN ('accepted', 'rejected')),
  CONSTRAINT "readiness_checks_source" CHECK ("source" IN ('strap', 'simulator'))
);
CREATE INDEX "readiness_checks_athlete_id_date_idx" ON "readiness_checks"("athlete_id", "date");
