import type { AthletePlans } from '@athlete/contracts';
import { localDay } from '@athlete/core';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import { userTimeZone } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { athletePlanResults } from './athlete-plan-results.ts';
import { planRange } from './plan-range.ts';

/**
 * An athlete's plans and done sessions for a range. Scope `sessions`: each plan carries the
 * session that fulfilled it. A coach sees only the plans of teams they coach; the athlete and
 * admins see all of them.
 */
export async function listAthletePlans({
  deps,
  principal,
  athleteId,
  range,
  now = Date.now(),
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  range: { from?: string; to?: string };
  now?: number;
}): Promise<AthletePlans> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'sessions' });
  // The athlete's zone decides "today", the default month and which day a session counts on.
  const timeZone = await userTimeZone(deps, athleteId);
  const { from, to } = planRange(range, now, timeZone);
  let teamIds: string[] | undefined;
  if (principal?.kind === 'user' && principal.userId !== athleteId && principal.role !== 'admin') {
    const coached = await deps.db.prisma.teamMember.findMany({
      where: { userId: principal.userId, role: 'coach' },
      select: { teamId: true },
    });
    teamIds = coached.map((c) => c.teamId);
  }
  const { plans, unplanned } = await athletePlanResults({
    deps,
    athleteId,
    from,
    to,
    teamIds,
    now,
    timeZone,
  });
  return { athleteId, from, to, today: localDay(now, timeZone), plans, unplanned };
}
