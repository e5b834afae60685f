import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

export interface TeamAccess {
  /** The caller's role in the team, null for an admin who is not a member. */
  myRole: 'coach' | 'athlete' | null;
}

/**
 * Loads the caller's standing in a team: 404 when the team does not exist, 403 when the caller
 * is neither a member nor an admin, or lacks the role asked for.
 */
export async function teamAccess({
  deps,
  principal,
  teamId,
  need = 'member',
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  /** member: any member or admin; coach: a coach of the team or admin. */
  need?: 'member' | 'coach';
}): Promise<TeamAccess> {
  const [row] = await deps.db.query<{ role: 'coach' | 'athlete' | null }>(
    `SELECT m.role::text AS role FROM teams t
       LEFT JOIN team_members m ON m.team_id = t.id AND m.user_id = $2::uuid
      WHERE t.id = $1::uuid`,
    [teamId, principal.userId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'Team not found');
  const admin = principal.role === 'admin';
  if (need === 'coach' && row.role !== 'coach' && !admin)
    throw new AppError('FORBIDDEN', 'Only a coach of this team can do this');
  if (row.role === null && !admin) throw new AppError('FORBIDDEN', 'You are not a member of this team');
  return { myRole: row.role };
}
