import type { ActivitySample } from './types.ts';

export interface SampleSummary {
  startedAt: Date | null;
  endedAt: Date | null;
  durationS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
}

/** Totals computed from samples, for files without (or with incomplete) summary records. */
export function summariseSamples(samples: readonly ActivitySample[]): SampleSummary {
  if (samples.length === 0) {
    return { startedAt: null, endedAt: null, durationS: null, distanceM: null, avgHr: null, maxHr: null };
  }
  let minTs = Number.POSITIVE_INFINITY;
  let maxTs = Number.NEGATIVE_INFINITY;
  let maxDistance: number | null = null;
  let hrSum = 0;
  let hrCount = 0;
  let maxHr: number | null = null;
  for (const sample of samples) {
    minTs = Math.min(minTs, sample.ts);
    maxTs = Math.max(maxTs, sample.ts);
    if (sample.distance !== undefined) maxDistance = Math.max(maxDistance ?? 0, sample.distance);
    if (sample.hr !== undefined && sample.hr > 0) {
      hrSum += sample.hr;
      hrCount += 1;
      maxHr = Math.max(maxHr ?? 0, sample.hr);
    }
  }
  return {
    startedAt: new Date(minTs),
    endedAt: new Date(maxTs),
    durationS: Math.round((maxTs - minTs) / 1000),
    distanceM: maxDistance,
    avgHr: hrCount === 0 ? null : Math.round(hrSum / hrCount),
    maxHr,
  };
}

export function finiteOrUndefined(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
