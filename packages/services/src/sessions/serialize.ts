import type {
  Alert as AlertOut,
  DailySummary as DailyOut,
  SessionLap as SessionLapOut,
  Session as SessionOut,
  SessionSummary,
} from '@athlete/contracts';
import type { Alert, DailySummary, SessionLap, TrainingSession } from '@athlete/db';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A stored training session in the contract's shape. */
export function toSessionOut(s: TrainingSession): SessionOut {
  return {
    id: s.id,
    athleteId: s.athleteId,
    source: s.source,
    sport: s.sport,
    name: s.name,
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
    movingTimeS: s.movingTimeS,
    totalAscentM: s.totalAscentM,
    file: fileInfoOut(s),
  };
}

/** What an imported file said about itself (migration 0010), null for other sessions. */
function fileInfoOut(s: TrainingSession): SessionOut['file'] {
  const info = s.importInfo as {
    format?: 'fit' | 'gpx' | 'tcx';
    leg?: { index: number; of: number };
    incomplete?: boolean;
    notes?: string[];
    creditRule?: { recordingIntervalS: number; maxCreditS: number };
  } | null;
  if (s.source !== 'file' || info === null || typeof info !== 'object' || info.format === undefined)
    return null;
  return {
    format: info.format,
    sourceSport: s.sourceSport,
    sourceSubSport: s.sourceSubSport,
    device: s.deviceName,
    leg: info.leg ?? { index: 1, of: 1 },
    incomplete: info.incomplete ?? false,
    notes: info.notes ?? [],
    creditRule: info.creditRule ?? { recordingIntervalS: 0, maxCreditS: 10 },
  };
}

/** A stored lap in the contract's shape. */
export function toLapOut(l: SessionLap): SessionLapOut {
  return {
    index: l.lapIndex,
    startedAt: l.startedAt.toISOString(),
    elapsedS: l.elapsedS,
    movingTimeS: l.movingTimeS,
    distanceM: l.distanceM,
    avgHr: l.avgHr,
    maxHr: l.maxHr,
    avgSpeed: l.avgSpeed,
    maxSpeed: l.maxSpeed,
    avgPower: l.avgPower,
    avgCadence: l.avgCadence,
    totalAscentM: l.totalAscentM,
    calories: l.calories,
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
    respiratoryRate: d.respiratoryRate,
    skinTempC: d.skinTempC,
    skinTempDeviationC: d.skinTempDeviationC,
    sources: (d.sources as DailyOut['sources']) ?? null,
  };
}
