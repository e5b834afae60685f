import { MAX_PAGE_LIMIT, type Session } from '@athlete/contracts';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS, rangeBounds, rangeKey } from './range.ts';
import { toSessionOut } from './serialize.ts';

/**
 * One page of an athlete's training sessions that started in `?from&to`, newest first (cached).
 * Keyset paging on (startedAt, id): `nextCursor` continues after the page's last session, so
 * sessions sharing a start time are neither skipped nor repeated, and sessions added meanwhile
 * do not shift later pages.
 */
export async function listAthleteSessions({
  deps,
  principal,
  athleteId,
  from,
  to,
  limit = MAX_PAGE_LIMIT,
  cursor,
  sport,
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  /** Only sessions of this platform sport. */
  sport?: string;
}): Promise<{ sessions: Session[]; nextCursor: string | null }> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'sessions' });
  const after = cursor === undefined ? null : decodeCursor(cursor);
  return deps.platform.cache.wrap(
    await athleteCacheKey(
      deps,
      athleteId,
      `sessions:${rangeKey({ from, to })}:${limit}:${cursor ?? ''}:${sport ?? ''}`,
    ),
    READ_CACHE_TTL_MS,
    async () => {
      const rows = await deps.db.prisma.trainingSession.findMany({
        where: {
          athleteId,
          ...(sport === undefined ? {} : { sport }),
          startedAt: rangeBounds({ from, to }),
          ...(after
            ? {
                OR: [
                  { startedAt: { lt: new Date(after.at) } },
                  { startedAt: new Date(after.at), id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        sessions: page.map(toSessionOut),
        nextCursor:
          rows.length > limit && last ? encodeCursor({ at: last.startedAt.getTime(), id: last.id }) : null,
      };
    },
  );
}
