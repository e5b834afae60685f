-- What an imported activity file says about itself (issue #13): moving (timer) time and total
-- ascent as the device recorded them, the device's own sport names and name, and how the import
-- went (incomplete file, values repaired or dropped, the time-credit rule used). One session per
-- FIT session message / TCX activity; a multisport file's legs share `file_group` (the file's
-- SHA-256) and are ordered by `file_leg`.
ALTER TABLE "training_sessions"
  ADD COLUMN "moving_time_s" DOUBLE PRECISION,
  ADD COLUMN "total_ascent_m" DOUBLE PRECISION,
  ADD COLUMN "source_sport" TEXT,
  ADD COLUMN "source_sub_sport" TEXT,
  ADD COLUMN "device_name" TEXT,
  ADD COLUMN "file_group" TEXT,
  ADD COLUMN "file_leg" INTEGER,
  ADD COLUMN "import_info" JSONB;

-- Laps as the file recorded them (FIT lap messages, TCX <Lap>), shown as a table and chart markers.
CREATE TABLE "session_laps" (
  "session_id" UUID NOT NULL REFERENCES "training_sessions"("id") ON DELETE CASCADE,
  "lap_index" INTEGER NOT NULL,
  "started_at" TIMESTAMPTZ(3) NOT NULL,
  "elapsed_s" DOUBLE PRECISION,
  "moving_time_s" DOUBLE PRECISION,
  "distance_m" DOUBLE PRECISION,
  "avg_hr" DOUBLE PRECISION,
  "max_hr" INTEGER,
  "avg_speed" DOUBLE PRECISION,
  "max_speed" DOUBLE PRECISION,
  "avg_power" DOUBLE PRECISION,
  "avg_cadence" DOUBLE PRECISION,
  "total_ascent_m" DOUBLE PRECISION,
  "calories" DOUBLE PRECISION,
  PRIMARY KEY ("session_id", "lap_index")
);
