import type { TeamAthlete } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import { EMPTY_PROFILE, toProfileSummary } from '../accounts/profile-view.ts';
import type { Deps } from '../deps.ts';
import { teamAccess } from './team-access.ts';

/**
 * The team's athletes with their consent, for its coaches and admins. The profile summary (HR
 * max, zones) is shown only for athletes who share live or sessions data with the team.
 */
export async function listTeamAthletes({
  deps,
  principal,
  teamId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
}): Promise<TeamAthlete[]> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const members = await deps.db.prisma.teamMember.findMany({
    where: { teamId, role: 'athlete' },
    include: { user: { select: { id: true, name: true, email: true, profile: true } } },
    orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
  });
  return members.map((m) => ({
    id: m.user.id,
    name: m.user.name,
    email: m.user.email,
    consent: { live: m.consentLive, sessions: m.consentSessions, wellness: m.consentWellness },
    joinedAt: m.joinedAt.toISOString(),
    profile: m.consentLive || m.consentSessions ? toProfileSummary(m.user.profile ?? EMPTY_PROFILE) : null,
  }));
}
