import type { TeamSession as TeamSessionOut } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { teamAccess } from '../teams/team-access.ts';

/** A team_sessions row with who started it and how many athletes it groups, as the API answers it. */
interface TeamSessionRow {
  id: string;
  teamId: string;
  title: string;
  startedAt: Date;
  endedAt: Date | null;
  startedById: string | null;
  startedByName: string | null;
  athleteCount: number;
}

const SELECT_TEAM_SESSIONS = `
  SELECT ts.id, ts.team_id AS "teamId", ts.title, ts.started_at AS "startedAt", ts.ended_at AS "endedAt",
         ts.started_by_id AS "startedById", u.name AS "startedByName",
         (SELECT count(DISTINCT s.athlete_id)::int FROM training_sessions s WHERE s.team_session_id = ts.id)
           AS "athleteCount"
    FROM team_sessions ts LEFT JOIN users u ON u.id = ts.started_by_id`;

export function toTeamSessionOut(r: TeamSessionRow): TeamSessionOut {
  return {
    id: r.id,
    teamId: r.teamId,
    title: r.title,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    startedBy:
      r.startedById && r.startedByName !== null ? { id: r.startedById, name: r.startedByName } : null,
    athleteCount: r.athleteCount,
  };
}

/** One team session by id, null when there is none. */
export async function findTeamSession(deps: Pick<Deps, 'db'>, id: string): Promise<TeamSessionOut | null> {
  const [row] = await deps.db.query<TeamSessionRow>(`${SELECT_TEAM_SESSIONS} WHERE ts.id = $1::uuid`, [id]);
  return row ? toTeamSessionOut(row) : null;
}

/** A team's team sessions, newest first (at most `limit`). */
export async function teamSessionsOf(
  deps: Pick<Deps, 'db'>,
  teamId: string,
  limit: number,
): Promise<TeamSessionOut[]> {
  const rows = await deps.db.query<TeamSessionRow>(
    `${SELECT_TEAM_SESSIONS} WHERE ts.team_id = $1::uuid ORDER BY ts.started_at DESC, ts.id LIMIT $2`,
    [teamId, limit],
  );
  return rows.map(toTeamSessionOut);
}

/**
 * A team session its team's coach (or an admin) may end or review: 404 when there is none, or
 * when the caller is not even a member of its team (an id is not a way to learn a team exists).
 */
export async function findCoachedTeamSession(
  deps: Deps,
  principal: UserPrincipal,
  id: string,
): Promise<TeamSessionOut> {
  const found = await findTeamSession(deps, id);
  if (!found) throw new AppError('NOT_FOUND', 'Team session not found');
  const { myRole } = await teamAccess({ deps, principal, teamId: found.teamId }).catch(() => {
    throw new AppError('NOT_FOUND', 'Team session not found');
  });
  if (myRole !== 'coach' && principal.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only a coach of this team can do this with its team sessions');
  return found;
}
