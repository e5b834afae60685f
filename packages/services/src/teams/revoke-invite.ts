import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { teamAccess } from './team-access.ts';

/**
 * A coach (or admin) revokes one of the team's invites so its link can no longer be accepted.
 * Revoking a revoked invite again changes nothing; an accepted one cannot be revoked (remove
 * the athlete instead).
 */
export async function revokeInvite({
  deps,
  principal,
  teamId,
  inviteId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  inviteId: string;
}): Promise<void> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const { prisma } = deps.db;
  const revoked = await prisma.teamInvite.updateMany({
    where: { id: inviteId, teamId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date(), revokedById: principal.userId },
  });
  if (revoked.count === 1) {
    deps.log.info({ teamId, inviteId, revokedBy: principal.userId }, 'team invite revoked');
    return;
  }
  const invite = await prisma.teamInvite.findFirst({
    where: { id: inviteId, teamId },
    select: { acceptedAt: true },
  });
  if (!invite) throw new AppError('NOT_FOUND', 'Invite not found');
  if (invite.acceptedAt)
    throw new AppError('INVITE_USED', 'This invite has already been accepted: remove the athlete instead');
}
