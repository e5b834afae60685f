import type { PlanAthleteResult, TeamPlans } from '@athlete/contracts';
import { localDay } from '@athlete/core';
import type { UserPrincipal } from '../access/index.ts';
import { userTimeZone } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { teamAccess } from '../teams/team-access.ts';
import { athletePlanResults } from './athlete-plan-results.ts';
import { planRange } from './plan-range.ts';
import { PLAN_INCLUDE, toPlanOut } from './plan-views.ts';

/**
 * Every plan of a team in a range with each athlete's result. Coaches and admins see every
 * athlete the plan is for, with `done` only from those sharing sessions; an athlete member sees
 * the plans that are theirs (own and whole-team) with only their own result.
 */
export async function listTeamPlans({
  deps,
  principal,
  teamId,
  range,
  now = Date.now(),
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  range: { from?: string; to?: string };
  now?: number;
}): Promise<TeamPlans> {
  const { myRole } = await teamAccess({ deps, principal, teamId });
  // The reader's zone picks the default month and `today`; each athlete's status uses their own.
  const viewerZone = await userTimeZone(deps, principal.userId);
  const { from, to } = planRange(range, now, viewerZone);
  const asAthlete = myRole === 'athlete';
  const [rows, members] = await Promise.all([
    deps.db.prisma.plannedSession.findMany({
      where: {
        teamId,
        date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) },
        ...(asAthlete ? { OR: [{ athleteId: principal.userId }, { athleteId: null }] } : {}),
      },
      orderBy: [{ date: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      include: PLAN_INCLUDE,
      take: 2_000,
    }),
    deps.db.prisma.teamMember.findMany({
      where: { teamId, role: 'athlete', ...(asAthlete ? { userId: principal.userId } : {}) },
      include: { user: { select: { name: true } } },
      orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
    }),
  ]);
  // One athlete at a time, as the readiness table does: the pool stays free for ingest.
  const results = new Map<string, Map<string, PlanAthleteResult>>();
  for (const m of members) {
    const byPlan = new Map<string, PlanAthleteResult>();
    const base = { athleteId: m.userId, name: m.user.name, shared: m.consentSessions || asAthlete };
    if (base.shared) {
      const { plans } = await athletePlanResults({
        deps,
        athleteId: m.userId,
        from,
        to,
        teamIds: [teamId],
        now,
      });
      for (const p of plans) byPlan.set(p.id, { ...base, status: p.status, done: p.done });
    }
    results.set(m.userId, byPlan);
  }
  const plans = rows.map((row) => {
    const plan = toPlanOut(row);
    const forWhom = members.filter((m) => row.athleteId === null || row.athleteId === m.userId);
    return {
      ...plan,
      athletes: forWhom.map(
        (m) =>
          results.get(m.userId)?.get(row.id) ?? {
            athleteId: m.userId,
            name: m.user.name,
            shared: false,
            status: null,
            done: null,
          },
      ),
    };
  });
  return { teamId, from, to, today: localDay(now, viewerZone), plans };
}
