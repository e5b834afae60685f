import type { UserPrincipal } from '../access/principal.ts';
import { publishAccessChanged } from '../access/publish-access-changed.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { teamAccess } from './team-access.ts';

/** Ends a membership. A team keeps at least one coach. Access loss is announced. */
async function endMembership(deps: Deps, teamId: string, userId: string, role: 'coach' | 'athlete') {
  if (role === 'coach') {
    const coaches = await deps.db.prisma.teamMember.count({ where: { teamId, role: 'coach' } });
    if (coaches <= 1)
      throw new AppError('CONFLICT', 'A team needs at least one coach; add another coach first');
  }
  await deps.db.prisma.teamMember.delete({ where: { teamId_userId: { teamId, userId } } });
  await publishAccessChanged(deps, role === 'athlete' ? { athleteId: userId, teamId } : { userId, teamId });
}

/** The caller leaves a team. */
export async function leaveTeam({
  deps,
  principal,
  teamId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
}) {
  const { myRole } = await teamAccess({ deps, principal, teamId });
  if (myRole === null) throw new AppError('FORBIDDEN', 'You are not a member of this team');
  await endMembership(deps, teamId, principal.userId, myRole);
}

/** A coach of the team (or an admin) removes an athlete from it. */
export async function removeAthlete({
  deps,
  principal,
  teamId,
  athleteId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  athleteId: string;
}) {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const member = await deps.db.prisma.teamMember.findUnique({
    where: { teamId_userId: { teamId, userId: athleteId } },
  });
  if (member?.role !== 'athlete') throw new AppError('NOT_FOUND', 'This athlete is not in the team');
  await endMembership(deps, teamId, athleteId, 'athlete');
}
