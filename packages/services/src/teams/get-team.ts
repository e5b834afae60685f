import type { Team } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { teamAccess } from './team-access.ts';
import { loadTeamViews } from './team-view.ts';

/** One team, for its members and admins. */
export async function getTeam({
  deps,
  principal,
  teamId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
}): Promise<Team> {
  await teamAccess({ deps, principal, teamId });
  const [view] = await loadTeamViews(deps, [teamId], principal.userId);
  if (!view) throw new AppError('NOT_FOUND', 'Team not found');
  return view;
}
