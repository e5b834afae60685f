-- Garmin stress and body composition as first-class daily metrics. Until now the Garmin sync
-- kept them only in the day's `data` JSON ({"stress": {"avgStressLevel"}, "bodyComp":
-- {"weightKg", "bodyFatPercent", "bodyMassIndex"}}); they become columns every source may fill,
-- merged by the athlete's source precedence like the others.
ALTER TABLE "daily_summaries"
  ADD COLUMN "stress_avg"   DOUBLE PRECISION,
  ADD COLUMN "weight_kg"    DOUBLE PRECISION,
  ADD COLUMN "body_fat_pct" DOUBLE PRECISION;

-- Backfill the source rows from the JSON they already hold (only JSON numbers: anything else
-- stays NULL rather than failing the migration).
UPDATE "daily_summaries" d
   SET "stress_avg" = CASE WHEN jsonb_typeof(d."data" #> '{stress,avgStressLevel}') = 'number'
                           THEN (d."data" #>> '{stress,avgStressLevel}')::double precision END,
       "weight_kg" = CASE WHEN jsonb_typeof(d."data" #> '{bodyComp,weightKg}') = 'number'
                          THEN (d."data" #>> '{bodyComp,weightKg}')::double precision END,
       "body_fat_pct" = CASE WHEN jsonb_typeof(d."data" #> '{bodyComp,bodyFatPercent}') = 'number'
                             THEN (d."data" #>> '{bodyComp,bodyFatPercent}')::double precision END
 WHERE d."source" <> 'merged' AND (d."data" ? 'stress' OR d."data" ? 'bodyComp');

-- The merged rows: no source had these columns before this migration, so the only value of a
-- day is the one just backfilled (Garmin's), whatever the athlete's precedence; `sources` names
-- it as it does for the other metrics.
UPDATE "daily_summaries" m
   SET "stress_avg" = g."stress_avg",
       "weight_kg" = g."weight_kg",
       "body_fat_pct" = g."body_fat_pct",
       "sources" = COALESCE(m."sources", '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object(
         'stressAvg', CASE WHEN g."stress_avg" IS NOT NULL THEN g."source"::text END,
         'weightKg', CASE WHEN g."weight_kg" IS NOT NULL THEN g."source"::text END,
         'bodyFatPct', CASE WHEN g."body_fat_pct" IS NOT NULL THEN g."source"::text END))
  FROM "daily_summaries" g
 WHERE m."source" = 'merged' AND g."source" = 'garmin'
   AND g."athlete_id" = m."athlete_id" AND g."date" = m."date"
   AND (g."stress_avg" IS NOT NULL OR g."weight_kg" IS NOT NULL OR g."body_fat_pct" IS NOT NULL);
