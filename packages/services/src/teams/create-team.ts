import type { Team } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { loadTeamViews } from './team-view.ts';

/** Creates a team with the caller as its coach. */
export async function createTeam({
  deps,
  principal,
  name,
}: {
  deps: Deps;
  principal: UserPrincipal;
  name: string;
}): Promise<Team> {
  const team = await deps.db.prisma.team.create({
    data: {
      name,
      createdById: principal.userId,
      members: { create: { userId: principal.userId, role: 'coach' } },
    },
    select: { id: true },
  });
  const [view] = await loadTeamViews(deps, [team.id], principal.userId);
  return view!;
}
