-- Respiratory rate and skin temperature as daily metrics, so they get personal bands and flags
-- like resting HR and HRV. WHOOP reports the sleep's respiratory rate and an absolute skin
-- temperature; Garmin reports breaths per minute through the day and skin temperature only as a
-- deviation from its own baseline, so the deviation is a column of its own (never mixed with an
-- absolute temperature in one series). No stored JSON holds them yet: the columns start empty
-- and fill on the next sync or backfill.
ALTER TABLE "daily_summaries"
  ADD COLUMN "respiratory_rate"      DOUBLE PRECISION,
  ADD COLUMN "skin_temp_c"           DOUBLE PRECISION,
  ADD COLUMN "skin_temp_deviation_c" DOUBLE PRECISION;
