import {
  athleteZones,
  type HrZone,
  type LocalDayRange,
  localDayRange,
  mergeTeamDefaults,
  parseThresholdOverrides,
  type Sex,
  type Thresholds,
} from '@athlete/core';
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
  /** Over the server's THRESHOLDS: the athlete's teams' defaults, then the athlete's own overrides. */
  thresholds: Partial<Thresholds> | null;
  /**
   * Coach-confirmed day overrides (readiness-gated, 0028) by the athlete's calendar day, each
   * already merged over `thresholds`; a sample of that day uses it. Same objects until the
   * profile is re-read, so the engine merges once per day, not per sample.
   */
  dayThresholds: ReadonlyMap<string, Partial<Thresholds>>;
  /** The athlete's IANA zone (null → UTC): which day a sample, and a session's load, falls on. */
  timeZone: string | null;
  /** The local day of the last sample thresholdsAt placed, so the next ones cost a comparison. */
  lastDay?: LocalDayRange;
}

/** A day override as live processing needs it. */
export interface DayOverrideRow {
  date: Date;
  hrAboveBpm: number;
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
  dayOverrides: readonly DayOverrideRow[] = [],
  teamDefaults: readonly unknown[] = [],
  timeZone: string | null = null,
): LiveProfile {
  // HR max, HR rest and zones by core's one rule set, as the profile API and the web show them.
  const { hrMax, hrMaxSource, hrRest, zones } = athleteZones(p);
  // A bad stored value must not stop live data; the level under it applies instead.
  const parsed = (value: unknown, what: string): Partial<Thresholds> | null => {
    if (value == null) return null;
    try {
      return parseThresholdOverrides(value);
    } catch (err) {
      log.warn({ err, athleteId }, `live: ignoring invalid ${what}`);
      return null;
    }
  };
  const team = mergeTeamDefaults(
    teamDefaults.map((t) => parsed(t, 'team alert defaults')).filter((t) => t !== null),
  );
  const own = parsed(p?.thresholds, 'threshold override');
  const thresholds = own === null && Object.keys(team).length === 0 ? null : { ...team, ...own };
  return {
    hrMax,
    hrMaxAssumed: hrMaxSource === 'default',
    hrRest,
    sex: (p?.sex as Sex | null | undefined) ?? null,
    zones,
    thresholds,
    dayThresholds: new Map(
      dayOverrides.map((o) => [
        o.date.toISOString().slice(0, 10),
        { ...thresholds, hrAboveBpm: o.hrAboveBpm } as Partial<Thresholds>,
      ]),
    ),
    timeZone,
  };
}

/**
 * Thresholds for a sample at `ts`: the override of its day in the athlete's zone when one was
 * confirmed, else the profile's. Runs per sample: the day's bounds are kept on the profile.
 */
export function thresholdsAt(profile: LiveProfile, ts: number): Partial<Thresholds> | null {
  if (profile.dayThresholds.size === 0) return profile.thresholds;
  let range = profile.lastDay;
  if (!range || ts < range.startMs || ts >= range.endMs) {
    range = localDayRange(ts, profile.timeZone);
    profile.lastDay = range;
  }
  return profile.dayThresholds.get(range.day) ?? profile.thresholds;
}

/** The IANA zone of each athlete (null when unset), read once with the profile. */
async function timeZonesOf(
  deps: Pick<Deps, 'db'>,
  athleteIds: string[],
): Promise<Map<string, string | null>> {
  const rows = await deps.db.prisma.user.findMany({
    where: { id: { in: athleteIds } },
    select: { id: true, timeZone: true },
  });
  return new Map(rows.map((r) => [r.id, r.timeZone]));
}

/**
 * Day overrides that can still apply: from two UTC days back (yesterday in a zone behind UTC,
 * for a session across midnight) on.
 */
const recentOverrides = (deps: Pick<Deps, 'db'>, athleteIds: string[]) =>
  deps.db.prisma.thresholdDayOverride.findMany({
    where: {
      athleteId: { in: athleteIds },
      date: { gte: new Date(Date.parse(new Date().toISOString().slice(0, 10)) - 2 * 86_400_000) },
    },
    select: { athleteId: true, date: true, hrAboveBpm: true },
  });

/** The stored alert defaults of each athlete's teams (raw, parsed by deriveLiveProfile). */
async function teamDefaultsOf(deps: Pick<Deps, 'db'>, athleteIds: string[]): Promise<Map<string, unknown[]>> {
  const rows = await deps.db.prisma.teamMember.findMany({
    where: { userId: { in: athleteIds }, role: 'athlete', team: { alertDefaults: { isNot: null } } },
    select: { userId: true, team: { select: { alertDefaults: { select: { thresholds: true } } } } },
  });
  const out = new Map<string, unknown[]>();
  for (const r of rows) {
    const t = r.team.alertDefaults?.thresholds;
    if (t === undefined) continue;
    const list = out.get(r.userId);
    if (list) list.push(t);
    else out.set(r.userId, [t]);
  }
  return out;
}

/** Reads one athlete's profile for live processing. */
export async function loadLiveProfile({
  deps,
  athleteId,
}: {
  deps: Pick<Deps, 'db' | 'log'>;
  athleteId: string;
}): Promise<LiveProfile> {
  const [p, overrides, teams, zones] = await Promise.all([
    deps.db.prisma.athleteProfile.findUnique({ where: { userId: athleteId } }),
    recentOverrides(deps, [athleteId]),
    teamDefaultsOf(deps, [athleteId]),
    timeZonesOf(deps, [athleteId]),
  ]);
  return deriveLiveProfile(p, deps.log, athleteId, overrides, teams.get(athleteId), zones.get(athleteId));
}

/** Reads many athletes' profiles in one query. */
export async function loadLiveProfiles({
  deps,
  athleteIds,
}: {
  deps: Pick<Deps, 'db' | 'log'>;
  athleteIds: string[];
}): Promise<Map<string, LiveProfile>> {
  const [rows, overrides, teams, zones] = await Promise.all([
    deps.db.prisma.athleteProfile.findMany({ where: { userId: { in: athleteIds } } }),
    recentOverrides(deps, athleteIds),
    teamDefaultsOf(deps, athleteIds),
    timeZonesOf(deps, athleteIds),
  ]);
  const byId = new Map(rows.map((r) => [r.userId, r]));
  return new Map(
    athleteIds.map((id) => [
      id,
      deriveLiveProfile(
        byId.get(id) ?? null,
        deps.log,
        id,
        overrides.filter((o) => o.athleteId === id),
        teams.get(id),
        zones.get(id),
      ),
    ]),
  );
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
