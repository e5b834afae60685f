import type { WellnessList } from '@athlete/contracts';
import { localDay } from '@athlete/core';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import { userTimeZone } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { rangeBounds } from '../sessions/range.ts';
import { isoDay, toWellnessOut } from './wellness-views.ts';

const DEFAULT_DAYS = 28;

/**
 * An athlete's wellness answers in `?from&to` (default: the last 28 days), oldest first, and
 * whether today's form is still missing. Scope wellness, like the daily summaries.
 */
export async function listWellness({
  deps,
  principal,
  athleteId,
  from,
  to,
  now = Date.now(),
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  from?: string;
  to?: string;
  now?: number;
}): Promise<WellnessList> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'wellness' });
  const effectiveFrom = from ?? (to ? undefined : isoDay(new Date(now - DEFAULT_DAYS * 86_400_000)));
  // The form's day is the athlete's today (their time zone; UTC without one).
  const today = localDay(now, await userTimeZone(deps, athleteId));
  const [rows, todays] = await Promise.all([
    deps.db.prisma.wellnessEntry.findMany({
      where: { athleteId, date: rangeBounds({ from: effectiveFrom, to }) },
      orderBy: { date: 'asc' },
      take: 1_000,
    }),
    deps.db.prisma.wellnessEntry.count({ where: { athleteId, date: new Date(`${today}T00:00:00Z`) } }),
  ]);
  return { entries: rows.map(toWellnessOut), today: { date: today, missing: todays === 0 } };
}
