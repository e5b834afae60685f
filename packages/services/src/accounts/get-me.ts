import type { Me } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { EMPTY_PROFILE, toProfileView } from './profile-view.ts';
import { toPreferences } from './update-preferences.ts';
import { toUserView } from './user-view.ts';

/** The signed-in user with their profile (athletes) and team memberships. */
export async function getMe({ deps, userId }: { deps: Deps; userId: string }): Promise<Me> {
  const user = await deps.db.prisma.user.findUnique({
    where: { id: userId },
    include: {
      profile: true,
      memberships: { include: { team: { select: { name: true } } }, orderBy: { joinedAt: 'asc' } },
    },
  });
  if (!user) throw new AppError('UNAUTHENTICATED', 'This account no longer exists');
  return {
    ...toUserView(user),
    profile: user.role === 'athlete' ? toProfileView(user.profile ?? EMPTY_PROFILE) : null,
    memberships: user.memberships.map((m) => ({
      teamId: m.teamId,
      teamName: m.team.name,
      role: m.role,
      consent: { live: m.consentLive, sessions: m.consentSessions, wellness: m.consentWellness },
      joinedAt: m.joinedAt.toISOString(),
    })),
    preferences: toPreferences(user),
  };
}
