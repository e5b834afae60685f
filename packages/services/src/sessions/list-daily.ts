import type { DailySummary } from '@athlete/contracts';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS, rangeBounds, rangeKey } from './range.ts';
import { toDailyOut } from './serialize.ts';

const DEFAULT_DAYS = 90;

/**
 * An athlete's daily summaries in `?from&to` (default: the last 90 days), every source
 * including the 'merged' row, oldest first (cached; writers invalidate `athlete:{id}:`).
 */
export async function listDailySummaries({
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
}): Promise<DailySummary[]> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'wellness' });
  const effectiveFrom =
    from ?? (to ? undefined : new Date(Date.now() - DEFAULT_DAYS * 86_400_000).toISOString().slice(0, 10));
  const bounds = rangeBounds({ from: effectiveFrom, to });
  return deps.platform.cache.wrap(
    await athleteCacheKey(deps, athleteId, `daily:${rangeKey({ from: effectiveFrom, to })}`),
    READ_CACHE_TTL_MS,
    async () => {
      const rows = await deps.db.prisma.dailySummary.findMany({
        where: { athleteId, date: bounds },
        orderBy: [{ date: 'asc' }, { source: 'asc' }],
        take: 5_000,
      });
      return rows.map(toDailyOut);
    },
  );
}
