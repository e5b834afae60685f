import type { Team } from '@athlete/contracts';
import type { Deps } from '../deps.ts';

interface TeamRow {
  id: string;
  name: string;
  created_at: Date;
  coach_id: string;
  coach_name: string;
  my_role: 'coach' | 'athlete' | null;
  athlete_count: number;
}

/** Teams by id as seen by `viewerId`, in the order of the ids. */
export async function loadTeamViews(deps: Deps, teamIds: string[], viewerId: string): Promise<Team[]> {
  if (teamIds.length === 0) return [];
  const rows = await deps.db.query<TeamRow>(
    `SELECT t.id, t.name, t.created_at, c.id AS coach_id, c.name AS coach_name,
            (SELECT role::text FROM team_members WHERE team_id = t.id AND user_id = $2::uuid) AS my_role,
            (SELECT count(*)::int FROM team_members WHERE team_id = t.id AND role = 'athlete') AS athlete_count
       FROM teams t JOIN users c ON c.id = t.created_by_id
      WHERE t.id = ANY($1::uuid[])`,
    [teamIds, viewerId],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return teamIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        name: r.name,
        createdAt: r.created_at.toISOString(),
        coach: { id: r.coach_id, name: r.coach_name },
        myRole: r.my_role,
        athleteCount: Number(r.athlete_count),
      },
    ];
  });
}
