import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';

/** The live pipeline's own SQL (beyond the sessions' rows and the samples insert). */

export interface LatestSampleRow {
  athlete_id: string;
  session_id: string | null;
  ts: Date;
  hr: number | null;
  speed: number | null;
  distance: number | null;
  lat: number | null;
  lon: number | null;
  cadence: number | null;
  power: number | null;
}

/** Each athlete's newest stored sample after `since`. */
export function latestStoredSamples(
  deps: Pick<Deps, 'db'>,
  athleteIds: string[],
  since: Date,
): Promise<LatestSampleRow[]> {
  return deps.db.query<LatestSampleRow>(
    `SELECT DISTINCT ON (athlete_id) athlete_id, session_id, ts, hr, speed, distance, lat, lon, cadence, power
       FROM samples WHERE athlete_id = ANY($1::uuid[]) AND ts > $2 ORDER BY athlete_id, ts DESC`,
    [athleteIds, since.toISOString()],
  );
}

/** Which of these ids no longer have a user row (deleted accounts). */
export async function deletedUserIds(deps: Pick<Deps, 'db'>, ids: string[]): Promise<string[]> {
  const gone = await deps.db.query<{ id: string }>(
    `SELECT c.id::text AS id FROM unnest($1::uuid[]) AS c(id)
      WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.id)`,
    [ids],
  );
  return gone.map((g) => g.id);
}

export async function teamExists(deps: Pick<Deps, 'db'>, teamId: string): Promise<boolean> {
  const rows = await deps.db.query('SELECT 1 FROM teams WHERE id = $1::uuid', [teamId]);
  return rows.length > 0;
}

/** Whether the principal may watch the team at all (a member of it, or an admin). */
export async function isTeamMember(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  teamId: string,
): Promise<boolean> {
  if (principal.kind !== 'user') return false;
  if (principal.role === 'admin') return teamExists(deps, teamId);
  const rows = await deps.db.query(
    'SELECT 1 FROM team_members WHERE team_id = $1::uuid AND user_id = $2::uuid',
    [teamId, principal.userId],
  );
  return rows.length > 0;
}
