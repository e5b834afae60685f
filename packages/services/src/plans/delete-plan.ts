import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { findCoachedPlan } from './find-plan.ts';

/** Removes a plan (past ones too: a coach may tidy the calendar). */
export async function deletePlan({
  deps,
  principal,
  planId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  planId: string;
}): Promise<void> {
  await findCoachedPlan({ deps, principal, planId });
  await deps.db.prisma.plannedSession.delete({ where: { id: planId } });
}
