import type { ProfileSummary } from '@athlete/contracts';
import { assertCanViewAthlete, canViewAthlete } from '../access/can-view-athlete.ts';
import type { Principal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { EMPTY_PROFILE, toProfileSummary } from './profile-view.ts';

/**
 * An athlete's HR max and zones for someone allowed to see their live or sessions data (the
 * athlete, an admin, or a coach the athlete shares either with).
 */
export async function getProfileSummary({
  deps,
  principal,
  athleteId,
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
}): Promise<{ athleteId: string; name: string; profile: ProfileSummary }> {
  if (!(await canViewAthlete({ deps, principal, athleteId, scope: 'live' }))) {
    await assertCanViewAthlete({ deps, principal, athleteId, scope: 'sessions' });
  }
  const user = await deps.db.prisma.user.findUnique({ where: { id: athleteId }, include: { profile: true } });
  if (user?.role !== 'athlete') throw new AppError('NOT_FOUND', 'Athlete not found');
  return { athleteId, name: user.name, profile: toProfileSummary(user.profile ?? EMPTY_PROFILE) };
}
