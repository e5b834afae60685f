import { hashSecret } from '../accounts/tokens.ts';
import type { Deps } from '../deps.ts';
import { unknownInvite } from './accept-invite.ts';

/** What an invite link shows before accepting: team, coach, expiry and whether it is still open. */
export async function previewInvite({ deps, code }: { deps: Deps; code: string }) {
  const invite = await deps.db.prisma.teamInvite.findUnique({
    where: { code: hashSecret(code) },
    include: { team: { select: { id: true, name: true } }, createdBy: { select: { name: true } } },
  });
  if (!invite) throw unknownInvite();
  const status = invite.acceptedAt
    ? 'accepted'
    : invite.revokedAt
      ? 'revoked'
      : invite.expiresAt.getTime() <= Date.now()
        ? 'expired'
        : 'pending';
  return {
    teamId: invite.team.id,
    teamName: invite.team.name,
    coachName: invite.createdBy.name,
    expiresAt: invite.expiresAt.toISOString(),
    status,
  } as const;
}
