import { athleteZones, type HrZone, parseThresholdOverrides, type Sex, type Thresholds } from '@athlete/core';
import type { Unsubscribe } from '@athlete/platform';
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

/**
 * Pub/sub channel announcing that an athlete's profile changed (HR max, HR rest, zones, alert
 * thresholds), so every API process feeding that athlete's live session re-reads it at once.
 */
export const PROFILE_CHANGED_CHANNEL = 'live.profile-changed';

/**
 * Announces a committed profile change. Best effort like access.changed: a pub/sub outage is
 * logged, and the next session reads the stored profile anyway.
 */
export async function publishProfileChanged(deps: Pick<Deps, 'platform' | 'log'>, athleteId: string) {
  try {
    await deps.platform.pubsub.publish(PROFILE_CHANGED_CHANNEL, JSON.stringify({ athleteId }));
  } catch (err) {
    deps.log.error({ err, athleteId }, 'could not publish live.profile-changed');
  }
}

/** Calls `onChange` with the athlete id of every profile change announced (any process). */
export function subscribeProfileChanged(
  deps: Pick<Deps, 'platform'>,
  onChange: (athleteId: string) => void,
): Promise<Unsubscribe> {
  return deps.platform.pubsub.subscribe(PROFILE_CHANGED_CHANNEL, (message) => {
    let athleteId: unknown;
    try {
      athleteId = (JSON.parse(message.toString()) as { athleteId?: unknown }).athleteId;
    } catch {
      return; // not ours to read; nothing to re-read without an athlete
    }
    if (typeof athleteId === 'string') onChange(athleteId.toLowerCase());
  });
}
