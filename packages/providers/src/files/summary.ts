import type { ActivitySample, ParsedActivity, ParsedLap } from './types.ts';

export interface SampleTotals {
  startedAt: Date | null;
  endedAt: Date | null;
  durationS: number | null;
  movingTimeS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  avgSpeed: number | null;
  maxSpeed: number | null;
}

/**
 * Totals computed from samples, for files without (or with incomplete) summary records. Moving
 * time adds the intervals between records up to `maxGapS`; an interval ending at an index in
 * `pauseBefore` (a new GPX segment) is a pause whatever its length.
 */
export function summariseSamples(
  samples: readonly ActivitySample[],
  {
    maxGapS = Number.POSITIVE_INFINITY,
    pauseBefore,
  }: { maxGapS?: number; pauseBefore?: ReadonlySet<number> } = {},
): SampleTotals {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) {
    return {
      startedAt: null,
      endedAt: null,
      durationS: null,
      movingTimeS: null,
      distanceM: null,
      avgHr: null,
      maxHr: null,
      avgSpeed: null,
      maxSpeed: null,
    };
  }
  let maxDistance: number | null = null;
  let hrSum = 0;
  let hrCount = 0;
  let maxHr: number | null = null;
  let maxSpeed: number | null = null;
  let movingMs = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    if (i > 0 && !pauseBefore?.has(i)) {
      const gap = sample.ts - samples[i - 1]!.ts;
      if (gap <= maxGapS * 1000) movingMs += gap;
    }
    if (sample.distance !== undefined) maxDistance = Math.max(maxDistance ?? 0, sample.distance);
    if (sample.speed !== undefined) maxSpeed = Math.max(maxSpeed ?? 0, sample.speed);
    if (sample.hr !== undefined && sample.hr > 0) {
      hrSum += sample.hr;
      hrCount += 1;
      maxHr = Math.max(maxHr ?? 0, sample.hr);
    }
  }
  const movingTimeS = movingMs / 1000;
  return {
    startedAt: new Date(first.ts),
    endedAt: new Date(last.ts),
    durationS: (last.ts - first.ts) / 1000,
    movingTimeS,
    distanceM: maxDistance,
    avgHr: hrCount === 0 ? null : Math.round(hrSum / hrCount),
    maxHr,
    avgSpeed: maxDistance !== null && movingTimeS > 0 ? maxDistance / movingTimeS : null,
    maxSpeed,
  };
}

/** What a file's own summary says about an activity; anything missing is computed from samples. */
export interface DeclaredTotals {
  name?: string | null;
  sourceSport?: string | null;
  sourceSubSport?: string | null;
  startedAt?: Date;
  durationS?: number;
  movingTimeS?: number;
  distanceM?: number;
  avgHr?: number;
  maxHr?: number;
  avgSpeed?: number;
  maxSpeed?: number;
  totalAscentM?: number;
  calories?: number;
}

/** One activity: the file's declared totals where present, else those of its samples. */
export function finishActivity(
  sport: string,
  declared: DeclaredTotals,
  samples: ActivitySample[],
  laps: ParsedLap[],
  computed: SampleTotals,
  pausesAt: number[] = [],
): ParsedActivity | null {
  const startedAt = declared.startedAt ?? computed.startedAt;
  if (startedAt === null) return null;
  const durationS =
    declared.durationS ??
    (computed.endedAt === null ? 0 : Math.max(0, (computed.endedAt.getTime() - startedAt.getTime()) / 1000));
  const movingTimeS = declared.movingTimeS ?? computed.movingTimeS;
  const distanceM = declared.distanceM ?? computed.distanceM;
  return {
    name: activityName(declared.name),
    sport,
    sourceSport: declared.sourceSport ?? null,
    sourceSubSport: declared.sourceSubSport ?? null,
    startedAt,
    endedAt: new Date(startedAt.getTime() + durationS * 1000),
    durationS,
    movingTimeS,
    distanceM,
    avgHr: declared.avgHr ?? computed.avgHr,
    maxHr: declared.maxHr ?? computed.maxHr,
    avgSpeed:
      declared.avgSpeed ??
      (distanceM !== null && movingTimeS !== null && movingTimeS > 0 ? distanceM / movingTimeS : null),
    maxSpeed: declared.maxSpeed ?? computed.maxSpeed,
    totalAscentM: declared.totalAscentM ?? null,
    calories: declared.calories ?? null,
    samples,
    pausesAt,
    laps,
  };
}

/** A file's name field as a session name: first line, trimmed, at most 120 characters. */
export function activityName(raw: string | null | undefined): string | null {
  const line = raw?.split(/\r?\n/)[0]?.trim() ?? '';
  return line === '' ? null : line.slice(0, 120);
}

export function finiteOrUndefined(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export const orNull = (value: unknown): number | null => finiteOrUndefined(value) ?? null;

/** " (what was dropped; …)" for a refusal whose cause is in the cleaning notes, else "". */
export const becauseOf = (notes: readonly string[]): string =>
  notes.length === 0 ? '' : ` (${notes.join('; ')})`;
