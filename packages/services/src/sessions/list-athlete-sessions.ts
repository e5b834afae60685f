import type { Session } from '@athlete/contracts';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS, rangeBounds, rangeKey } from './range.ts';
import { toSessionOut } from './serialize.ts';

/** Most sessions one listing returns (newest first). */
export const MAX_SESSIONS_LISTED = 500;

/** An athlete's training sessions that started in `?from&to`, newest first (cached). */
export async function listAthleteSessions({
  deps,
  principal,
  athleteId,
  from,
  to,
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  from?: string;
  to?: string;
}): Promise<Session[]> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'sessions' });
  return deps.platform.cache.wrap(
    await athleteCacheKey(deps, athleteId, `sessions:${rangeKey({ from, to })}`),
    READ_CACHE_TTL_MS,
    async () => {
      const rows = await deps.db.prisma.trainingSession.findMany({
        where: { athleteId, startedAt: rangeBounds({ from, to }) },
        orderBy: { startedAt: 'desc' },
        take: MAX_SESSIONS_LISTED,
      });
      return rows.map(toSessionOut);
    },
  );
}
