import type { TeamSessionListResponse } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { teamAccess } from '../teams/team-access.ts';
import { teamSessionsOf } from './team-session-view.ts';

/** How many past team sessions the list answers (newest first). */
export const TEAM_SESSION_LIST_LIMIT = 100;

/** A team's team sessions, for its coaches and admins; `open` is the running one, if any. */
export async function listTeamSessions({
  deps,
  principal,
  teamId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
}): Promise<TeamSessionListResponse> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const teamSessions = await teamSessionsOf(deps, teamId, TEAM_SESSION_LIST_LIMIT);
  return { open: teamSessions.find((t) => t.endedAt === null) ?? null, teamSessions };
}
