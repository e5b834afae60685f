import type { Team } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { loadTeamViews } from './team-view.ts';

/** Teams the caller belongs to (as coach or athlete), oldest membership first. */
export async function listTeams({
  deps,
  principal,
}: {
  deps: Deps;
  principal: UserPrincipal;
}): Promise<Team[]> {
  const rows = await deps.db.query<{ team_id: string }>(
    'SELECT team_id FROM team_members WHERE user_id = $1::uuid ORDER BY joined_at, team_id',
    [principal.userId],
  );
  return loadTeamViews(
    deps,
    rows.map((r) => r.team_id),
    principal.userId,
  );
}
