import type { ThresholdDayOverride } from '@athlete/contracts';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { CONFIRMED_BY, toThresholdOverrideOut } from './threshold-override-view.ts';

/** The log of an athlete's confirmed day overrides, newest first (the last 60). */
export async function listThresholdOverrides(options: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
}): Promise<ThresholdDayOverride[]> {
  const { deps, athleteId } = options;
  await assertCanViewAthlete({ deps, principal: options.principal, athleteId, scope: 'wellness' });
  const rows = await deps.db.prisma.thresholdDayOverride.findMany({
    where: { athleteId },
    orderBy: { date: 'desc' },
    take: 60,
    include: CONFIRMED_BY,
  });
  return rows.map(toThresholdOverrideOut);
}
