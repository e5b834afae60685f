import { addDays, dayMs } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';

/**
 * Target TRIMP per day for the `days` days after `after` (index 0 = the next day), summed over
 * the athlete's plans with a target load in teams they are an athlete of; null for a day with
 * none. Feeds the form projection of Trends.
 */
export async function plannedLoadsAfter({
  deps,
  athleteId,
  after,
  days = 14,
}: {
  deps: Pick<Deps, 'db'>;
  athleteId: string;
  after: string;
  days?: number;
}): Promise<(number | null)[]> {
  const rows = await deps.db.query<{ day: string; load: number }>(
    `SELECT to_char(p.date, 'YYYY-MM-DD') AS day, SUM(p.target_load)::float8 AS load
       FROM planned_sessions p
       JOIN team_members m ON m.team_id = p.team_id AND m.user_id = $1::uuid AND m.role = 'athlete'
      WHERE (p.athlete_id = $1::uuid OR p.athlete_id IS NULL)
        AND p.target_load IS NOT NULL
        AND p.date > $2::date AND p.date <= $3::date
      GROUP BY p.date`,
    [athleteId, after, addDays(after, days)],
  );
  const out: (number | null)[] = Array.from({ length: days }, () => null);
  for (const r of rows) out[Math.round((dayMs(r.day) - dayMs(after)) / 86_400_000) - 1] = r.load;
  return out;
}
