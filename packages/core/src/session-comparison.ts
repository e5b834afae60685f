/**
 * A session against the athlete's history of the same sport at a similar duration: efficiency
 * factor (output per heartbeat) and aerobic decoupling (how far HR drifted from output).
 */
import { type RobustBand, robustBand } from './anomaly.ts';
import { DUPLICATE_OVERLAP } from './daily-load.ts';
import { FOOT_SPORTS } from './units.ts';

export const COMPARISON_RULES = {
  /** Sessions compared against: the most recent this many. */
  lastN: 10,
  /** Similar duration: within ± this share of the session's own. */
  durationTolerance: 0.25,
  /** Fewer comparable sessions than this give no verdict. */
  minHistory: 5,
  /** The usual band is the history's median ± k × 1.4826 × MAD (k = 1: about one SD). */
  k: 1,
  /** Paired HR and output readings needed for an EF from samples, and per half for decoupling. */
  minPairs: 60,
  minPairsPerHalf: 20,
} as const;

/** Sports where speed over ground stands for output (swimming and cycling speed do not). */
export const SPEED_EF_SPORTS: readonly string[] = FOOT_SPORTS;

export type EfficiencyBasis = 'power' | 'speed';
export type EfficiencyMethod = 'samples' | 'summary';

export const EFFICIENCY_UNITS: Record<EfficiencyBasis, string> = {
  speed: 'm/min per bpm',
  power: 'W per bpm',
};

export interface EfficiencySample {
  /** Epoch ms. */
  ts: number;
  hr: number | null;
  /** m/s */
  speed: number | null;
  /** W */
  power: number | null;
  /** Cumulative m; stands in for speed where a file (TCX, GPX) recorded none. */
  distance?: number | null;
}

export interface SessionEfficiency {
  basis: EfficiencyBasis;
  method: EfficiencyMethod;
  /** Mean output: m/min for speed, W for power. */
  meanOutput: number;
  meanHr: number;
  /** meanOutput ÷ meanHr. */
  ef: number;
  firstHalfEf: number | null;
  secondHalfEf: number | null;
  /** (first-half EF − second-half EF) ÷ first-half EF × 100; positive = HR drifted up. */
  decouplingPct: number | null;
  /** Readings with both HR and output (samples), or 0 for a summary. */
  pairs: number;
}

/** The basis a session's EF uses: power when it has any, speed for foot sports, else none. */
export function efficiencyBasis(sport: string | null, hasPower: boolean): EfficiencyBasis | null {
  if (hasPower) return 'power';
  return sport !== null && SPEED_EF_SPORTS.includes(sport) ? 'speed' : null;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Readings in time order, each without a speed given the distance covered since the one before. */
function withSpeed(samples: readonly EfficiencySample[]): EfficiencySample[] {
  const sorted = [...samples].sort((a, b) => a.ts - b.ts);
  let previous: EfficiencySample | null = null;
  return sorted.map((s) => {
    let speed = s.speed;
    if (speed == null && s.distance != null && previous?.distance != null && s.ts > previous.ts)
      speed = (s.distance - previous.distance) / ((s.ts - previous.ts) / 1000);
    if (s.distance != null) previous = s;
    return { ...s, speed };
  });
}

/**
 * EF and decoupling from a session's readings. Only readings with HR > 0 and output > 0 count
 * (a stop or coasting is not aerobic work); a reading without speed takes the distance covered
 * since the previous one over the time between them. The halves split the time between the
 * first and last such reading at its midpoint. Null when the sport has no basis or there are
 * too few readings.
 */
export function sessionEfficiency(
  samples: readonly EfficiencySample[],
  sport: string | null,
): SessionEfficiency | null {
  const hasPower = samples.some((s) => (s.power ?? 0) > 0 && (s.hr ?? 0) > 0);
  const basis = efficiencyBasis(sport, hasPower);
  if (basis === null) return null;
  const output = (s: EfficiencySample) => (basis === 'power' ? (s.power ?? 0) : (s.speed ?? 0) * 60);
  const pairs = withSpeed(samples).filter((s) => (s.hr ?? 0) > 0 && output(s) > 0);
  if (pairs.length < COMPARISON_RULES.minPairs) return null;
  const ef = (list: readonly EfficiencySample[]) => mean(list.map(output)) / mean(list.map((s) => s.hr!));
  const mid = (pairs[0]!.ts + pairs.at(-1)!.ts) / 2;
  const first = pairs.filter((s) => s.ts < mid);
  const second = pairs.filter((s) => s.ts >= mid);
  const halves =
    first.length >= COMPARISON_RULES.minPairsPerHalf && second.length >= COMPARISON_RULES.minPairsPerHalf;
  const firstHalfEf = halves ? ef(first) : null;
  const secondHalfEf = halves ? ef(second) : null;
  const meanOutput = mean(pairs.map(output));
  const meanHr = mean(pairs.map((s) => s.hr!));
  return {
    basis,
    method: 'samples',
    meanOutput,
    meanHr,
    ef: meanOutput / meanHr,
    firstHalfEf,
    secondHalfEf,
    decouplingPct:
      firstHalfEf !== null && secondHalfEf !== null
        ? ((firstHalfEf - secondHalfEf) / firstHalfEf) * 100
        : null,
    pairs: pairs.length,
  };
}

/**
 * EF of a session known only by its summary (a provider workout): average speed ÷ average HR,
 * for foot sports; no halves, so no decoupling.
 */
export function summaryEfficiency(s: {
  sport: string | null;
  avgHr: number | null;
  avgSpeed: number | null;
  distanceM: number | null;
  durationS: number | null;
}): SessionEfficiency | null {
  if (efficiencyBasis(s.sport, false) !== 'speed' || s.avgHr === null || s.avgHr <= 0) return null;
  const speed =
    s.avgSpeed ??
    (s.distanceM !== null && s.durationS !== null && s.durationS > 0 ? s.distanceM / s.durationS : null);
  if (speed === null || speed <= 0) return null;
  return {
    basis: 'speed',
    method: 'summary',
    meanOutput: speed * 60,
    meanHr: s.avgHr,
    ef: (speed * 60) / s.avgHr,
    firstHalfEf: null,
    secondHalfEf: null,
    decouplingPct: null,
    pairs: 0,
  };
}

export interface ComparableSession {
  id: string;
  sport: string | null;
  /** Epoch ms. */
  startedAt: number;
  durationS: number | null;
}

/** Whether `other` is the same sport at a similar duration and started before `session`. */
export function isComparable(session: ComparableSession, other: ComparableSession): boolean {
  if (other.id === session.id || session.sport === null || other.sport !== session.sport) return false;
  if (other.startedAt >= session.startedAt) return false;
  const d = session.durationS;
  if (d === null || d <= 0 || other.durationS === null) return false;
  return Math.abs(other.durationS - d) <= COMPARISON_RULES.durationTolerance * d;
}

/**
 * True when two sessions are one activity from two sources (overlap ≥ 50 % of the shorter, as
 * load counts them), so the history never holds the same run twice or the session itself.
 */
export function sameActivity(a: ComparableSession, b: ComparableSession): boolean {
  const end = (s: ComparableSession) => s.startedAt + Math.max(0, s.durationS ?? 0) * 1000;
  const overlap = Math.min(end(a), end(b)) - Math.max(a.startedAt, b.startedAt);
  const shorter = Math.min(end(a) - a.startedAt, end(b) - b.startedAt);
  return shorter > 0 && overlap >= DUPLICATE_OVERLAP * shorter;
}

export type ComparisonVerdict = 'better' | 'usual' | 'worse';

export interface HistoryComparison {
  verdict: ComparisonVerdict;
  band: RobustBand;
}

/**
 * "better / usual / worse than your last N": outside the history's band (median ± k × 1.4826 ×
 * MAD, k = COMPARISON_RULES.k) in the good or bad direction; null with too little history.
 */
export function compareToHistory(
  value: number | null,
  history: readonly (number | null)[],
  higherIsBetter: boolean,
): HistoryComparison | null {
  if (value === null || !Number.isFinite(value)) return null;
  const band = robustBand(history, { k: COMPARISON_RULES.k, minDays: COMPARISON_RULES.minHistory });
  if (band === null) return null;
  const above = value > band.upper;
  const below = value < band.lower;
  const verdict: ComparisonVerdict =
    !above && !below ? 'usual' : above === higherIsBetter ? 'better' : 'worse';
  return { verdict, band };
}
