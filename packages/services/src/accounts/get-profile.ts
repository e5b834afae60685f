import type { Profile } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { EMPTY_PROFILE, toProfileView } from './profile-view.ts';

/** The athlete's profile with HR max and zones in effect (an empty profile when none is stored). */
export async function getProfile({ deps, userId }: { deps: Deps; userId: string }): Promise<Profile> {
  const row = await deps.db.prisma.athleteProfile.findUnique({ where: { userId } });
  return toProfileView(row ?? EMPTY_PROFILE);
}
