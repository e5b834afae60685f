import type { Consent, Membership } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import { publishAccessChanged } from '../access/publish-access-changed.ts';
import { hashSecret } from '../accounts/tokens.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/**
 * An unknown code: mistyped, or an invite deleted after INVITE_RETENTION_DAYS once used,
 * revoked or expired (maintenance.invite-purge). Both read the same to the athlete.
 */
export const unknownInvite = () =>
  new AppError(
    'NOT_FOUND',
    'Invite not found: the link is wrong or the invite no longer exists (used, revoked and expired invites are deleted after a while); ask your coach for a new one',
  );

const inviteRevoked = () =>
  new AppError('INVITE_REVOKED', "This invite was revoked by the team's coach: ask them for a new one");

/**
 * An athlete joins the invite's team. Consent scopes left out are granted (the contract); the
 * invite is consumed atomically so one code makes one membership.
 */
export async function acceptInvite({
  deps,
  principal,
  code,
  consent = {},
}: {
  deps: Deps;
  principal: UserPrincipal;
  code: string;
  consent?: Partial<Consent>;
}): Promise<Membership> {
  if (principal.role !== 'athlete')
    throw new AppError('FORBIDDEN', 'Only athletes can join a team through an invite');
  const { prisma } = deps.db;
  const [invite, user] = await Promise.all([
    prisma.teamInvite.findUnique({
      where: { code: hashSecret(code) },
      include: { team: { select: { name: true } } },
    }),
    prisma.user.findUnique({ where: { id: principal.userId }, select: { email: true } }),
  ]);
  if (!invite) throw unknownInvite();
  if (invite.acceptedAt) throw new AppError('INVITE_USED', 'This invite has already been used');
  if (invite.revokedAt) throw inviteRevoked();
  if (invite.expiresAt.getTime() <= Date.now())
    throw new AppError('INVITE_EXPIRED', 'This invite has expired');
  if (user?.email !== invite.email)
    throw new AppError('FORBIDDEN', 'This invite was sent to another email address');
  const existing = await prisma.teamMember.findUnique({
    where: { teamId_userId: { teamId: invite.teamId, userId: principal.userId } },
  });
  if (existing) throw new AppError('ALREADY_MEMBER', 'You are already a member of this team');

  const c: Consent = {
    live: consent.live ?? true,
    sessions: consent.sessions ?? true,
    wellness: consent.wellness ?? true,
  };
  const member = await prisma.$transaction(async (tx) => {
    const taken = await tx.teamInvite.updateMany({
      where: { id: invite.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date(), acceptedById: principal.userId },
    });
    if (taken.count !== 1) {
      // Revoked by the coach between the read above and now, or taken by a concurrent accept.
      const now = await tx.teamInvite.findUnique({ where: { id: invite.id }, select: { revokedAt: true } });
      if (now?.revokedAt) throw inviteRevoked();
      throw new AppError('INVITE_USED', 'This invite has already been used');
    }
    return tx.teamMember.create({
      data: {
        teamId: invite.teamId,
        userId: principal.userId,
        role: 'athlete',
        consentLive: c.live,
        consentSessions: c.sessions,
        consentWellness: c.wellness,
      },
    });
  });
  // Access gained: the team's open live views add the athlete, gateways drop cached refusals.
  await publishAccessChanged(deps, { athleteId: principal.userId, teamId: member.teamId });
  return {
    teamId: member.teamId,
    teamName: invite.team.name,
    role: 'athlete',
    consent: c,
    joinedAt: member.joinedAt.toISOString(),
  };
}
