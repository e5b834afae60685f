import type { ThresholdDayOverride } from '@athlete/contracts';

type Row = {
  id: string;
  athleteId: string;
  date: Date;
  previousBpm: number;
  hrAboveBpm: number;
  recommendation: string;
  reason: string;
  formula: string;
  confirmedAt: Date;
  confirmedBy: { id: string; name: string } | null;
};

/** Include for a day-override read, so the log shows who confirmed it. */
export const CONFIRMED_BY = { confirmedBy: { select: { id: true, name: true } } } as const;

/** A stored day override as the API shows it (it is its own log entry). */
export function toThresholdOverrideOut(row: Row): ThresholdDayOverride {
  return {
    id: row.id,
    athleteId: row.athleteId,
    date: row.date.toISOString().slice(0, 10),
    previousBpm: row.previousBpm,
    hrAboveBpm: row.hrAboveBpm,
    recommendation: row.recommendation,
    reason: row.reason,
    formula: row.formula,
    confirmedBy: row.confirmedBy,
    confirmedAt: row.confirmedAt.toISOString(),
  };
}
