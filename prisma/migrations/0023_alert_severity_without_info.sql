-- The alert engine never gave 'info' (issue #18): the type now holds exactly the severities
-- core's ALERT_SEVERITIES lists. Any stray 'info' row becomes 'warning' rather than failing.
UPDATE "alerts" SET "severity" = 'warning' WHERE "severity" = 'info';
ALTER TYPE "AlertSeverity" RENAME TO "AlertSeverity_0023";
CREATE TYPE "AlertSeverity" AS ENUM ('warning', 'critical');
ALTER TABLE "alerts"
  ALTER COLUMN "severity" TYPE "AlertSeverity" USING "severity"::text::"AlertSeverity";
DROP TYPE "AlertSeverity_0023";
