import type { Plan, PlanPatch } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { checkPlanWrite } from './check-plan.ts';
import { findCoachedPlan } from './find-plan.ts';
import { PLAN_INCLUDE, planDay, toPlanOut } from './plan-views.ts';

/** Changes a plan; the result passes the same checks as a new plan (not in the past, in the team). */
export async function updatePlan({
  deps,
  principal,
  planId,
  patch,
  now,
}: {
  deps: Deps;
  principal: UserPrincipal;
  planId: string;
  patch: PlanPatch;
  now?: number;
}): Promise<Plan> {
  const current = await findCoachedPlan({ deps, principal, planId });
  const athleteId = patch.athleteId === undefined ? current.athleteId : patch.athleteId;
  const date = patch.date ?? planDay(current.date);
  await checkPlanWrite({ deps, principal, teamId: current.teamId, athleteId, date, now });
  const row = await deps.db.prisma.plannedSession.update({
    where: { id: planId },
    data: {
      athleteId,
      date: new Date(`${date}T00:00:00Z`),
      sport: patch.sport,
      durationMin: patch.durationMin,
      targetLoad: patch.targetLoad,
      targetZone: patch.targetZone,
      description: patch.description === undefined ? undefined : patch.description || null,
    },
    include: PLAN_INCLUDE,
  });
  return toPlanOut(row);
}
