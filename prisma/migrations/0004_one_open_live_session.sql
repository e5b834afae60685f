-- At most one open live (or simulator) session per athlete, guaranteed by the database: API
-- processes opening sessions for the same athlete at the same moment share one row
-- (INSERT … ON CONFLICT DO NOTHING, then read the row that exists) instead of taking a lock
-- per athlete.

-- Open duplicates left by earlier races (two processes opening at once while the per-athlete
-- lock was unavailable) are resolved first: the newest open row per athlete stays open; older
-- ones are closed where their last sample was written. They get no summary (summaries need each
-- athlete's profile, which lives in application code); their samples stay stored.
UPDATE "training_sessions" t
   SET "status" = 'closed',
       "ended_at" = COALESCE(t."last_sample_at", t."started_at"),
       "duration_s" = GREATEST(0, EXTRACT(EPOCH FROM COALESCE(t."last_sample_at", t."started_at") - t."started_at")),
       "updated_at" = CURRENT_TIMESTAMP
 WHERE t."status" = 'open' AND t."source" IN ('live', 'simulator')
   AND EXISTS (
     SELECT 1 FROM "training_sessions" n
      WHERE n."athlete_id" = t."athlete_id" AND n."status" = 'open' AND n."source" IN ('live', 'simulator')
        AND (n."started_at", n."id") > (t."started_at", t."id"));

CREATE UNIQUE INDEX "training_sessions_one_open_live_key" ON "training_sessions" ("athlete_id")
  WHERE "status" = 'open' AND "source" IN ('live', 'simulator');
