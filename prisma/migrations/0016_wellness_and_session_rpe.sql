-- The athlete's one-minute morning form (issue #15): five 1-5 answers and an optional note per
-- athlete and day; saving the same day again replaces the answers.
CREATE TABLE "wellness_entries" (
  "athlete_id"    UUID NOT NULL,
  "date"          DATE NOT NULL,
  "sleep_quality" SMALLINT NOT NULL,
  "fatigue"       SMALLINT NOT NULL,
  "soreness"      SMALLINT NOT NULL,
  "stress"        SMALLINT NOT NULL,
  "mood"          SMALLINT NOT NULL,
  "note"          TEXT,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "wellness_entries_pkey" PRIMARY KEY ("athlete_id", "date"),
  CONSTRAINT "wellness_entries_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "wellness_entries_answers_range" CHECK (
    "sleep_quality" BETWEEN 1 AND 5 AND "fatigue" BETWEEN 1 AND 5 AND "soreness" BETWEEN 1 AND 5
    AND "stress" BETWEEN 1 AND 5 AND "mood" BETWEEN 1 AND 5)
);

-- Session RPE (CR-10, 0-10) and its Foster load, RPE x minutes, kept with the minutes it was
-- computed from so the figure stays explainable if the session is re-summarised later.
CREATE TABLE "session_rpe" (
  "session_id"   UUID NOT NULL,
  "athlete_id"   UUID NOT NULL,
  "rpe"          DOUBLE PRECISION NOT NULL,
  "duration_min" DOUBLE PRECISION NOT NULL,
  "load"         DOUBLE PRECISION NOT NULL,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "session_rpe_pkey" PRIMARY KEY ("session_id"),
  CONSTRAINT "session_rpe_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_sessions" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "session_rpe_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "session_rpe_rpe_range" CHECK ("rpe" >= 0 AND "rpe" <= 10)
);
CREATE INDEX "session_rpe_athlete_id_idx" ON "session_rpe" ("athlete_id");
