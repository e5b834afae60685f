import { athleteZones, type HrZone, parseThresholdOverrides, type Sex, type Thresholds } from '@athlete/core';
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

type ProfileRow = {
  birthYear: number | null;
  sex: string | null;
  hrMax: number | null;
  hrRest: number | null;
  hrZones: number[];
  thresholds: unknown;
} | null;

/** Derives what live processing needs from a stored profile (zones via athleteZones); tolerant of gaps. */
export function deriveLiveProfile(
  p: ProfileRow,
  log: Pick<Deps['log'], 'warn'>,
  athleteId: string,
): LiveProfile {
  // HR max, HR rest and zones by core's one rule set, as the profile API and the web show them.
  const { hrMax, hrMaxSource, hrRest, zones } = athleteZones(p);
  let thresholds: Partial<Thresholds> | null = null;
  try {
    thresholds = p?.thresholds == null ? null : parseThresholdOverrides(p.thresholds);
  } catch (err) {
    // A bad stored override must not stop live data; the global thresholds apply instead.
    log.warn({ err, athleteId }, 'live: ignoring invalid threshold override');
  }
  return {
    hrMax,
    hrMaxAssumed: hrMaxSource === 'default',
    hrRest,
    sex: (p?.sex as Sex | null | undefined) ?? null,
    zones,
    thresholds,
  };
}

/** Reads one athlete's profile for live processing. */
export async function loadLiveProfile({
  deps,
  athleteId,
}: {
  deps: Pick<Deps, 'db' | 'log'>;
  athleteId: string;
}): Promise<LiveProfile> {
  const p = await deps.db.prisma.athleteProfile.findUnique({ where: { userId: athleteId } });
  return deriveLiveProfile(p, deps.log, athleteId);
}

/** Reads many athletes' profiles in one query. */
export async function loadLiveProfiles({
  deps,
  athleteIds,
}: {
  deps: Pick<Deps, 'db' | 'log'>;
  athleteIds: string[];
}): Promise<Map<string, LiveProfile>> {
  const rows = await deps.db.prisma.athleteProfile.findMany({ where: { userId: { in: athleteIds } } });
  const byId = new Map(rows.map((r) => [r.userId, r]));
  return new Map(athleteIds.map((id) => [id, deriveLiveProfile(byId.get(id) ?? null, deps.log, id)]));
}
