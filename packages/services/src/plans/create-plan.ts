import type { Plan, PlanBody } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { checkPlanWrite } from './check-plan.ts';
import { PLAN_INCLUDE, toPlanOut } from './plan-views.ts';

/** A coach plans a session for one athlete of the team or (no athleteId) the whole team. */
export async function createPlan({
  deps,
  principal,
  teamId,
  input,
  now,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  input: PlanBody;
  now?: number;
}): Promise<Plan> {
  const athleteId = input.athleteId ?? null;
  await checkPlanWrite({ deps, principal, teamId, athleteId, date: input.date, now });
  const row = await deps.db.prisma.plannedSession.create({
    data: {
      teamId,
      athleteId,
      date: new Date(`${input.date}T00:00:00Z`),
      sport: input.sport,
      durationMin: input.durationMin,
      targetLoad: input.targetLoad ?? null,
      targetZone: input.targetZone ?? null,
      description: input.description || null,
      createdById: principal.userId,
    },
    include: PLAN_INCLUDE,
  });
  return toPlanOut(row);
}
