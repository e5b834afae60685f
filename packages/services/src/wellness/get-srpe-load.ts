import type { SrpeDay } from '@athlete/contracts';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS } from '../sessions/range.ts';
import { isoDay } from './wellness-views.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 28;
const MAX_DAYS = 366;

/**
 * The sRPE load series (Foster: RPE × minutes) per UTC day from `from` to `to` inclusive
 * (default: the last 28 days), every day present, oldest first, by each session's start day.
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
  const last = to ? to.slice(0, 10) : isoDay(new Date(now));
  const lastMs = Date.parse(`${last}T00:00:00Z`);
  const firstMs = from ? Date.parse(`${from.slice(0, 10)}T00:00:00Z`) : lastMs - (DEFAULT_DAYS - 1) * DAY_MS;
  const start = Math.max(firstMs, lastMs - (MAX_DAYS - 1) * DAY_MS);
  return deps.platform.cache.wrap(
    await athleteCacheKey(deps, athleteId, `srpe:${start}~${lastMs}`),
    READ_CACHE_TTL_MS,
    async () => {
      const rows = await deps.db.query<{ day: string; load: number; rated: number; unrated: number }>(
        `SELECT to_char((s.started_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
                COALESCE(SUM(r.load), 0)::float8 AS load,
                COUNT(r.session_id)::int AS rated,
                (COUNT(*) - COUNT(r.session_id))::int AS unrated
           FROM training_sessions s
           LEFT JOIN session_rpe r ON r.session_id = s.id
          WHERE s.athlete_id = $1::uuid AND s.status = 'closed'
            AND s.started_at >= $2 AND s.started_at < $3
          GROUP BY 1`,
        [athleteId, new Date(start), new Date(lastMs + DAY_MS)],
      );
      const byDay = new Map(rows.map((r) => [r.day, r]));
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
