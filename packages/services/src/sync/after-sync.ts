import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { listAthleteSessions } from '../sessions/list-athlete-sessions.ts';
import { listDailySummaries } from '../sessions/list-daily.ts';

/**
 * New data landed for an athlete: drop their cached dashboard reads (`athlete:{id}:`), then warm
 * the default dashboard queries (daily summaries and sessions) so the next page load is a hit.
 */
export async function refreshAthleteCache(deps: Deps, athleteId: string): Promise<void> {
  await deps.platform.cache.deletePrefix(`athlete:${athleteId}:`);
  const self: UserPrincipal = {
    kind: 'user',
    userId: athleteId,
    role: 'athlete',
    sessionId: 'sync-cache-warm',
    via: 'bearer',
  };
  try {
    await Promise.all([
      listDailySummaries({ deps, principal: self, athleteId }),
      listAthleteSessions({ deps, principal: self, athleteId }),
    ]);
  } catch (err) {
    deps.log.warn({ err, athleteId }, 'sync: cache warm-up failed');
  }
}
