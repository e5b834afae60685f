-- Issue #17 item 5: how a person wants numbers and times shown. On the user rather than the
-- athlete profile because coaches read distances, paces and times too (live tiles, plans).
-- Every existing account keeps today's display: metric, and the browser's own time zone (NULL).
CREATE TYPE "UnitSystem" AS ENUM ('metric', 'imperial');
ALTER TABLE "users"
  ADD COLUMN "units"     "UnitSystem" NOT NULL DEFAULT 'metric',
  ADD COLUMN "time_zone" TEXT;
