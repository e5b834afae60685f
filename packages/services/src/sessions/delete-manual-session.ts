import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { ownManualSession } from './own-manual-session.ts';
import { invalidateAthleteCache } from './range.ts';

/**
 * `DELETE /api/v1/sessions/manual/:id`: the athlete removes a session they entered by hand,
 * with its rating and note thread (the foreign keys cascade). Daily load is computed on read,
 * so the athlete's cached reads are dropped and the next read no longer counts it.
 */
export async function deleteManualSession({
  deps,
  principal,
  sessionId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  sessionId: string;
}): Promise<void> {
  const session = await ownManualSession(deps, principal, sessionId, 'delete');
  await deps.db.prisma.trainingSession.delete({ where: { id: session.id } });
  await invalidateAthleteCache(deps, session.athleteId);
}
