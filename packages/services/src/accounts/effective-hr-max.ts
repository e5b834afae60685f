import { athleteZones, type HrMaxSource } from '@athlete/core';

export type { HrMaxSource };

export interface HrMaxBasis {
  hrMax: number | null;
  birthYear: number | null;
}

/**
 * The HR max every computation uses for an athlete (zones, summaries, live), by core's
 * athleteZones: the stored value, else an estimate from the birth year, else 190. `profile`
 * may be null for an athlete who never saved one.
 */
export function effectiveHrMax(profile: HrMaxBasis | null): { hrMax: number; source: HrMaxSource } {
  const { hrMax, hrMaxSource } = athleteZones(profile);
  return { hrMax, source: hrMaxSource };
}
