import type {
  Alert as AlertOut,
  DailySummary as DailyOut,
  Session as SessionOut,
  SessionSummary,
} from '@athlete/contracts';
import type { Alert, DailySummary, TrainingSession } from '@athlete/db';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A stored training session in the contract's shape. */
export function toSessionOut(s: TrainingSession): SessionOut {
  return {
    id: s.id,
    athleteId: s.athleteId,
    source: s.source,
    sport: s.sport,
    status: s.status,
    startedAt: s.startedAt.toISOString(),
    endedAt: iso(s.endedAt),
    lastSampleAt: iso(s.lastSampleAt),
    durationS: s.durationS,
    distanceM: s.distanceM,
    avgHr: s.avgHr,
    maxHr: s.maxHr,
    avgSpeed: s.avgSpeed,
    maxSpeed: s.maxSpeed,
    timeInZonesS: s.timeInZonesS,
    trimp: s.trimp,
    calories: s.calories,
    summary: isSummary(s.summary) ? s.summary : null,
  };
}

function isSummary(v: unknown): v is SessionSummary {
  return typeof v === 'object' && v !== null && 'durationS' in v && 'timeInZonesS' in v;
}

/** `acknowledgedBy` is answered when the row was read with it (see {@link WITH_ACKNOWLEDGER}). */
export function toAlertOut(a: Alert & { acknowledgedBy?: { id: string; name: string } | null }): AlertOut {
  return {
    id: a.id,
    athleteId: a.athleteId,
    sessionId: a.sessionId,
    rule: a.rule as AlertOut['rule'],
    severity: a.severity,
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    startedAt: a.startedAt.toISOString(),
    clearedAt: iso(a.clearedAt),
    acknowledgedAt: iso(a.acknowledgedAt),
    ...(a.acknowledgedBy === undefined ? {} : { acknowledgedBy: a.acknowledgedBy }),
  };
}

/** Prisma `include` reading an alert with who acknowledged it, for {@link toAlertOut}. */
export const WITH_ACKNOWLEDGER = { acknowledgedBy: { select: { id: true, name: true } } } as const;

export function toDailyOut(d: DailySummary): DailyOut {
  return {
    athleteId: d.athleteId,
    date: d.date.toISOString().slice(0, 10),
    source: d.source,
    restingHr: d.restingHr,
    hrvRmssdMs: d.hrvRmssdMs,
    sleepDurationS: d.sleepDurationS,
    sleepScore: d.sleepScore,
    recoveryScore: d.recoveryScore,
    strain: d.strain,
    steps: d.steps,
    caloriesKcal: d.caloriesKcal,
    trainingLoad: d.trainingLoad,
    stressAvg: d.stressAvg,
    weightKg: d.weightKg,
    bodyFatPct: d.bodyFatPct,
    sources: (d.sources as DailyOut['sources']) ?? null,
  };
}
