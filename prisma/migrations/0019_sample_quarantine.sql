-- Live samples the database refused (issue #12.1): the write-behind splits a refused batch until
-- the offending rows are alone, commits the rest and keeps each refused row here with the
-- database's reason, instead of retrying it forever (which once stopped all ingest). Kept for
-- an operator to inspect or repair; an account erasure deletes its rows. No foreign keys: a
-- row may name an athlete or session that no longer exists (that may be why it was refused).
CREATE TABLE "sample_quarantine" (
  "id"             BIGSERIAL      NOT NULL,
  "athlete_id"     UUID           NOT NULL,
  "ts"             TIMESTAMPTZ(3) NOT NULL,
  "session_id"     UUID,
  -- The row as the write-behind held it (SampleRow, ts as ISO-8601, numbers as sent).
  "sample"         JSONB          NOT NULL,
  "reason"         TEXT           NOT NULL,
  -- SQLSTATE of the refusal (class 22 data exception or 23 integrity constraint).
  "code"           TEXT,
  "quarantined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "sample_quarantine_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "sample_quarantine_athlete_id_ts_idx" ON "sample_quarantine" ("athlete_id", "ts");
