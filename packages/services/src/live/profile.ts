import {
  defaultHrZones,
  estimateHrMax,
  type HrZone,
  parseThresholdOverrides,
  type Sex,
  type Thresholds,
  zonesFromUpperBounds,
} from '@athlete/core';
import type { Deps } from '../deps.ts';

/** What live processing needs to know about an athlete: zones, summary basis, alert overrides. */
export interface LiveProfile {
  hrMax: number;
  /** True when hrMax is a guess (no profile value and no birth year). */
  hrMaxAssumed: boolean;
  hrRest: number | null;
  sex: Sex | null;
  zones: HrZone[];
  thresholds: Partial<Thresholds> | null;
}

/** Used when the profile has neither HR max nor a birth year. */
export const FALLBACK_HR_MAX = 190;

/** Reads the athlete's profile and derives what live processing needs; tolerant of gaps. */
export async function loadLiveProfile({
  deps,
  athleteId,
}: {
  deps: Pick<Deps, 'db' | 'log'>;
  athleteId: string;
}): Promise<LiveProfile> {
  const p = await deps.db.prisma.athleteProfile.findUnique({ where: { userId: athleteId } });
  const estimated = p?.birthYear ? estimateHrMax(p.birthYear) : null;
  const hrMax = p?.hrMax ?? estimated ?? FALLBACK_HR_MAX;
  const hrRest = p?.hrRest != null && p.hrRest > 0 && p.hrRest < hrMax ? p.hrRest : null;
  let zones: HrZone[];
  try {
    zones = p?.hrZones?.length === 5 ? zonesFromUpperBounds(p.hrZones) : defaultHrZones({ hrMax, hrRest });
  } catch {
    zones = defaultHrZones({ hrMax, hrRest });
  }
  let thresholds: Partial<Thresholds> | null = null;
  try {
    thresholds = p?.thresholds == null ? null : parseThresholdOverrides(p.thresholds);
  } catch (err) {
    // A bad stored override must not stop live data; the global thresholds apply instead.
    deps.log.warn({ err, athleteId }, 'live: ignoring invalid threshold override');
  }
  return {
    hrMax,
    hrMaxAssumed: p?.hrMax == null && estimated === null,
    hrRest,
    sex: (p?.sex as Sex | null | undefined) ?? null,
    zones,
    thresholds,
  };
}
