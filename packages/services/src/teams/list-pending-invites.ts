import type { PendingInvite } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { teamAccess } from './team-access.ts';

/**
 * A team's invites still waiting for their athlete (not accepted, revoked or expired), newest
 * first, for its coaches and admins. The codes are stored hashed and are not part of this.
 */
export async function listPendingInvites({
  deps,
  principal,
  teamId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
}): Promise<PendingInvite[]> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const rows = await deps.db.prisma.teamInvite.findMany({
    where: { teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    include: { createdBy: { select: { id: true, name: true } } },
  });
  return rows.map((i) => ({
    id: i.id,
    email: i.email,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    createdBy: i.createdBy,
  }));
}
