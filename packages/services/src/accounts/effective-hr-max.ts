import { estimateHrMax } from '@athlete/core';

/** Used when the profile has neither HR max nor a birth year. */
const DEFAULT_HR_MAX = 190;

export type HrMaxSource = 'profile' | 'estimated' | 'default';

export interface HrMaxBasis {
  hrMax: number | null;
  birthYear: number | null;
}

/**
 * The HR max every computation should use for an athlete (zones, summaries, live): the stored
 * value, else an estimate from the birth year, else a population default. `profile` may be
 * null for an athlete who never saved one.
 */
export function effectiveHrMax(profile: HrMaxBasis | null): { hrMax: number; source: HrMaxSource } {
  if (profile?.hrMax != null) return { hrMax: profile.hrMax, source: 'profile' };
  if (profile?.birthYear != null) return { hrMax: estimateHrMax(profile.birthYear), source: 'estimated' };
  return { hrMax: DEFAULT_HR_MAX, source: 'default' };
}
