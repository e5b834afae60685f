import type { SrpeDay } from '@athlete/contracts';
import { localDay, localDayStart } from '@athlete/core';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import { userTimeZone } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS } from '../sessions/range.ts';
import { isoDay } from './wellness-views.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 28;
const MAX_DAYS = 366;

/**
 * The sRPE load series (Foster: RPE × minutes) per day from `from` to `to` inclusive (default:
 * the last 28 days), every day present, oldest first, by each session's start day in the
 * athlete's time zone (UTC without one), as TRIMP load counts it.
 * A second load series beside TRIMP: the training-intelligence views read it from here.
 */
export async function getSrpeLoad({
  deps,
  principal,
  athleteId,
  from,
  to,
  now = Date.now(),
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  /** YYYY-MM-DD (a date-time is cut to its UTC day). */
  from?: string;
  to?: string;
  now?: number;
}): Promise<SrpeDay[]> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'sessions' });
  const timeZone = await userTimeZone(deps, athleteId);
  const last = to ? to.slice(0, 10) : localDay(now, timeZone);
  const lastMs = Date.parse(`${last}T00:00:00Z`);
  const firstMs = from ? Date.parse(`${from.slice(0, 10)}T00:00:00Z`) : lastMs - (DEFAULT_DAYS - 1) * DAY_MS;
  const start = Math.max(firstMs, lastMs - (MAX_DAYS - 1) * DAY_MS);
  return deps.platform.cache.wrap(
    await athleteCacheKey(deps, athleteId, `srpe:${timeZone ?? 'UTC'}:${start}~${lastMs}`),
    READ_CACHE_TTL_MS,
    async () => {
      // Per session, dated here by core localDay: Postgres's zone names need not match Intl's.
      const rows = await deps.db.query<{ started_at: Date; load: number | null }>(
        `SELECT s.started_at, r.load::float8 AS load
           FROM training_sessions s
           LEFT JOIN session_rpe r ON r.session_id = s.id
          WHERE s.athlete_id = $1::uuid AND s.status = 'closed'
            AND s.started_at >= $2 AND s.started_at < $3`,
        [
          athleteId,
          new Date(localDayStart(isoDay(new Date(start)), timeZone)),
          new Date(localDayStart(isoDay(new Date(lastMs + DAY_MS)), timeZone)),
        ],
      );
      const byDay = new Map<string, { load: number; rated: number; unrated: number }>();
      for (const s of rows) {
        const day = localDay(new Date(s.started_at).getTime(), timeZone);
        const d = byDay.get(day) ?? { load: 0, rated: 0, unrated: 0 };
        if (s.load === null) d.unrated += 1;
        else {
          d.load += s.load;
          d.rated += 1;
        }
        byDay.set(day, d);
      }
      const days: SrpeDay[] = [];
      for (let t = start; t <= lastMs; t += DAY_MS) {
        const date = isoDay(new Date(t));
        const r = byDay.get(date);
        days.push({
          date,
          load: r ? Math.round(r.load * 10) / 10 : 0,
          ratedSessions: r?.rated ?? 0,
          unratedSessions: r?.unrated ?? 0,
        });
      }
      return days;
    },
  );
}
