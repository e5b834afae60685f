import type { Consent, Membership } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import { publishAccessChanged } from '../access/publish-access-changed.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/**
 * An athlete sets what a team may see. Withdrawing any scope is announced on `access.changed`
 * so the team's open live subscriptions and gateway keys are re-checked at once.
 */
export async function updateConsent({
  deps,
  principal,
  teamId,
  consent,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  consent: Consent;
}): Promise<Membership> {
  const where = { teamId_userId: { teamId, userId: principal.userId } };
  const before = await deps.db.prisma.teamMember.findUnique({
    where,
    include: { team: { select: { name: true } } },
  });
  if (!before) {
    const team = await deps.db.prisma.team.findUnique({ where: { id: teamId }, select: { id: true } });
    throw team
      ? new AppError('FORBIDDEN', 'You are not a member of this team')
      : new AppError('NOT_FOUND', 'Team not found');
  }
  if (before.role !== 'athlete') throw new AppError('FORBIDDEN', 'Only athletes grant consent');
  const after = await deps.db.prisma.teamMember.update({
    where,
    data: { consentLive: consent.live, consentSessions: consent.sessions, consentWellness: consent.wellness },
  });
  // Withdrawn: open subscriptions re-check and close. Granted: cached refusals (a gateway's
  // "may not write for this athlete") are dropped and the team's live views add the athlete.
  const changed =
    before.consentLive !== after.consentLive ||
    before.consentSessions !== after.consentSessions ||
    before.consentWellness !== after.consentWellness;
  if (changed) await publishAccessChanged(deps, { athleteId: principal.userId, teamId });
  return {
    teamId,
    teamName: before.team.name,
    role: 'athlete',
    consent: { live: after.consentLive, sessions: after.consentSessions, wellness: after.consentWellness },
    joinedAt: after.joinedAt.toISOString(),
  };
}
