import type { LoadSettings } from '@athlete/contracts';
import {
  athleteZones,
  DEFAULT_ATL_DAYS,
  DEFAULT_CTL_DAYS,
  type LoadSession,
  localDay,
  localDayStart,
  type TrimpProfile,
} from '@athlete/core';
import type { Deps } from '../deps.ts';
import { sourcePrecedence } from '../sync/daily.ts';

export const DAY_MS = 86_400_000;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const addDays = (day: string, n: number) => isoDay(dayMs(day) + n * DAY_MS);
export const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY_MS);

export interface AthleteLoadProfile {
  trimp: TrimpProfile;
  settings: LoadSettings;
  /** Session sources in counting order (daily precedence, 'live' covering the simulator). */
  precedence: string[];
  /** The athlete's IANA zone (null → UTC): which calendar day a session counts on. */
  timeZone: string | null;
}

/** A person's time zone from Settings → Units & time; null (UTC days) when unset. */
export async function userTimeZone(deps: Pick<Deps, 'db'>, userId: string): Promise<string | null> {
  const u = await deps.db.prisma.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  return u?.timeZone ?? null;
}

/** Today's date in the athlete's time zone (UTC without one): the default day of readiness views. */
export async function athleteToday(
  deps: Pick<Deps, 'db'>,
  athleteId: string,
  now = Date.now(),
): Promise<string> {
  return localDay(now, await userTimeZone(deps, athleteId));
}

/**
 * What load needs about the athlete: HR profile (core's athleteZones), time constants,
 * precedence, time zone (pass `timeZone` when the caller read it already).
 */
export async function athleteLoadProfile(
  deps: Pick<Deps, 'db'>,
  athleteId: string,
  knownTimeZone?: string | null,
): Promise<AthleteLoadProfile> {
  const [p, timeZone] = await Promise.all([
    deps.db.prisma.athleteProfile.findUnique({ where: { userId: athleteId } }),
    knownTimeZone !== undefined ? knownTimeZone : userTimeZone(deps, athleteId),
  ]);
  const { hrMax, hrRest } = athleteZones(p);
  const precedence = (await sourcePrecedence(deps, athleteId)).flatMap((s) =>
    s === 'live' ? ['live', 'simulator'] : [s],
  );
  return {
    trimp: { hrMax, hrRest: hrRest ?? 60, sex: p?.sex ?? null },
    settings: {
      ctlDays: p?.ctlDays ?? DEFAULT_CTL_DAYS,
      atlDays: p?.atlDays ?? DEFAULT_ATL_DAYS,
      ctlDaysCustom: p?.ctlDays != null,
      atlDaysCustom: p?.atlDays != null,
    },
    precedence,
    timeZone,
  };
}

/** Every closed session of the athlete that started before the end of their day `to`, oldest first. */
export async function closedSessionsUntil(
  deps: Pick<Deps, 'db'>,
  athleteId: string,
  to: string,
  timeZone: string | null,
): Promise<LoadSession[]> {
  const rows = await deps.db.query<{
    id: string;
    source: string;
    started_at: Date;
    ended_at: Date | null;
    duration_s: number | null;
    avg_hr: number | null;
    trimp: number | null;
    sport: string | null;
  }>(
    `SELECT id, source::text AS source, started_at, ended_at, duration_s, avg_hr, trimp, sport
       FROM training_sessions
      WHERE athlete_id = $1::uuid AND status = 'closed' AND started_at < $2::timestamptz
      ORDER BY started_at`,
    [athleteId, new Date(localDayStart(addDays(to, 1), timeZone)).toISOString()],
  );
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    startedAt: new Date(r.started_at).getTime(),
    endedAt: r.ended_at === null ? null : new Date(r.ended_at).getTime(),
    durationS: r.duration_s,
    avgHr: r.avg_hr,
    trimp: r.trimp,
    sport: r.sport,
  }));
}
