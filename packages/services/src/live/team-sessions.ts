import type { TeamSession, TeamSessionEndResponse } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { findCoachedTeamSession, findTeamSession } from '../team-sessions/team-session-view.ts';
import { teamAccess } from '../teams/team-access.ts';
import type { LiveParts } from './parts.ts';

/**
 * Opens a team session (coaches of the team, admins): 409 while one is open. Live sessions of
 * the team's athletes sharing live data that are open now are grouped under it at once; those
 * opening later are grouped when their row is inserted (LiveSessions).
 */
export async function startTeamSession({
  parts,
  principal,
  teamId,
  title,
  now = new Date(),
}: {
  parts: LiveParts;
  principal: UserPrincipal;
  teamId: string;
  title?: string;
  now?: Date;
}): Promise<TeamSession> {
  const { deps } = parts;
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const id = await deps.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO team_sessions (team_id, title, started_at, started_by_id)
       VALUES ($1::uuid, $2, $3, $4::uuid)
       ON CONFLICT (team_id) WHERE ended_at IS NULL DO NOTHING RETURNING id`,
      [
        teamId,
        title ?? `Team session ${now.toISOString().slice(0, 10)}`,
        now.toISOString(),
        principal.userId,
      ],
    );
    if (!row) return null;
    // Only sessions not grouped yet: one an athlete's other team already runs stays there.
    await tx.query(
      `UPDATE training_sessions s SET team_session_id = $1::uuid
         FROM team_members m
        WHERE m.team_id = $2::uuid AND m.user_id = s.athlete_id AND m.role = 'athlete' AND m.consent_live
          AND s.status = 'open' AND s.source IN ('live', 'simulator') AND s.team_session_id IS NULL`,
      [row.id, teamId],
    );
    return row.id;
  });
  if (!id) throw new AppError('CONFLICT', 'A team session is already running for this team; end it first');
  return (await findTeamSession(deps, id))!;
}

/**
 * Ends a team session (coaches of its team, admins) and closes every live session grouped
 * under it that is still open (summary, daily load), wherever it is fed. 409 once ended.
 */
export async function endTeamSession({
  parts,
  principal,
  teamSessionId,
  now = new Date(),
}: {
  parts: LiveParts;
  principal: UserPrincipal;
  teamSessionId: string;
  now?: Date;
}): Promise<TeamSessionEndResponse> {
  const { deps } = parts;
  await findCoachedTeamSession(deps, principal, teamSessionId);
  const ended = await deps.db.query<{ id: string }>(
    `UPDATE team_sessions SET ended_at = GREATEST($2::timestamptz, started_at)
      WHERE id = $1::uuid AND ended_at IS NULL RETURNING id`,
    [teamSessionId, now.toISOString()],
  );
  if (ended.length === 0) throw new AppError('CONFLICT', 'This team session has already ended');
  // From now on no new live session joins it; close the ones still running.
  const open = await deps.db.query<{ id: string; athleteId: string }>(
    `SELECT id, athlete_id AS "athleteId" FROM training_sessions
      WHERE team_session_id = $1::uuid AND status = 'open' AND source IN ('live', 'simulator')`,
    [teamSessionId],
  );
  const closed = await Promise.allSettled(open.map((s) => parts.sessions.close(s.id, s.athleteId)));
  for (const r of closed) {
    if (r.status === 'rejected')
      deps.log.warn(
        { err: r.reason, teamSessionId },
        'live: closing a grouped session failed; the sweep will',
      );
  }
  return {
    teamSession: (await findTeamSession(deps, teamSessionId))!,
    closedSessions: closed.filter((r) => r.status === 'fulfilled' && r.value !== null).length,
  };
}
