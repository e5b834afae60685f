import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { teamAccess } from '../teams/team-access.ts';
import { PLAN_INCLUDE, type PlanRow } from './plan-views.ts';

/**
 * A plan its team's coach (or an admin) may change: 404 when there is none, or when the caller
 * is not even a member of its team (a plan id is not a way to learn that a team exists).
 */
export async function findCoachedPlan({
  deps,
  principal,
  planId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  planId: string;
}): Promise<PlanRow> {
  const row = await deps.db.prisma.plannedSession.findUnique({
    where: { id: planId },
    include: PLAN_INCLUDE,
  });
  if (!row) throw new AppError('NOT_FOUND', 'Plan not found');
  const { myRole } = await teamAccess({ deps, principal, teamId: row.teamId }).catch(() => {
    throw new AppError('NOT_FOUND', 'Plan not found');
  });
  if (myRole !== 'coach' && principal.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only a coach of this team can change its plans');
  return row;
}
