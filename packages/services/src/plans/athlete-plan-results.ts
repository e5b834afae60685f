import type { AthletePlan, UnplannedSession } from '@athlete/contracts';
import { type LoadSession, localDay, localDayStart, matchPlans, sessionLoads } from '@athlete/core';
import { addDays, athleteLoadProfile, dayMs } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { PLAN_INCLUDE, planDay, toPlanOut } from './plan-views.ts';

/**
 * An athlete's plans in [from, to] (their own and their teams' whole-team plans, of the teams
 * they are an athlete of now, optionally only `teamIds`), each matched to the closed session of
 * that day that fulfilled it (core matchPlans), and the sessions no plan claimed. Days are the
 * athlete's (their time zone; UTC without one). No access check: callers check the `sessions`
 * scope first.
 */
export async function athletePlanResults({
  deps,
  athleteId,
  from,
  to,
  teamIds,
  now = Date.now(),
  timeZone,
}: {
  deps: Deps;
  athleteId: string;
  from: string;
  to: string;
  teamIds?: readonly string[];
  now?: number;
  /** The athlete's zone when the caller read it already (else read here). */
  timeZone?: string | null;
}): Promise<{ plans: AthletePlan[]; unplanned: UnplannedSession[] }> {
  const memberships = await deps.db.prisma.teamMember.findMany({
    where: { userId: athleteId, role: 'athlete', ...(teamIds ? { teamId: { in: [...teamIds] } } : {}) },
    select: { teamId: true },
  });
  const profile = await athleteLoadProfile(deps, athleteId, timeZone);
  const [rows, sessions] = await Promise.all([
    deps.db.prisma.plannedSession.findMany({
      where: {
        teamId: { in: memberships.map((m) => m.teamId) },
        OR: [{ athleteId }, { athleteId: null }],
        date: { gte: new Date(dayMs(from)), lte: new Date(dayMs(to)) },
      },
      orderBy: [{ date: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      include: PLAN_INCLUDE,
      take: 2_000,
    }),
    closedSessionsBetween(deps, athleteId, from, to, profile.timeZone),
  ]);
  // The same activity from two sources is one session, as Trends counts it.
  const counted = sessionLoads(sessions, profile.trimp, profile.precedence, profile.timeZone).filter(
    (l) => l.counted,
  );
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const candidates = counted.map((l) => ({
    id: l.id,
    date: l.date,
    startedAt: l.startedAt,
    sport: l.sport,
    durationS: byId.get(l.id)?.durationS ?? null,
    load: l.load === null ? null : Math.round(l.load * 10) / 10,
    source: l.source,
  }));
  const matches = matchPlans(
    rows.map((r) => ({
      id: r.id,
      date: planDay(r.date),
      sport: r.sport,
      durationMin: r.durationMin,
      targetLoad: r.targetLoad,
    })),
    candidates,
  );
  const today = localDay(now, profile.timeZone);
  const claimed = new Set([...matches.values()].map((m) => m.sessionId));
  const candidateById = new Map(candidates.map((c) => [c.id, c]));
  const plans = rows.map((row): AthletePlan => {
    const plan = toPlanOut(row);
    const m = matches.get(row.id);
    const s = m ? candidateById.get(m.sessionId)! : null;
    return {
      ...plan,
      status: m ? 'done' : plan.date < today ? 'missed' : 'planned',
      done:
        m && s
          ? {
              sessionId: m.sessionId,
              source: s.source,
              sport: s.sport,
              startedAt: new Date(s.startedAt).toISOString(),
              durationMin: m.durationMin,
              load: m.load,
              compliance: m.compliance,
              complianceBasis: m.complianceBasis,
            }
          : null,
    };
  });
  const unplanned = candidates
    .filter((c) => !claimed.has(c.id))
    .map((c) => ({
      sessionId: c.id,
      date: c.date,
      source: c.source,
      sport: c.sport,
      startedAt: new Date(c.startedAt).toISOString(),
      durationMin: Math.round((Math.max(0, c.durationS ?? 0) / 60) * 100) / 100,
      load: c.load,
    }));
  return { plans, unplanned };
}

/** Closed sessions that started on the athlete's days from … to. */
async function closedSessionsBetween(
  deps: Deps,
  athleteId: string,
  from: string,
  to: string,
  timeZone: string | null,
): Promise<LoadSession[]> {
  const rows = await deps.db.prisma.trainingSession.findMany({
    where: {
      athleteId,
      status: 'closed',
      startedAt: {
        gte: new Date(localDayStart(from, timeZone)),
        lt: new Date(localDayStart(addDays(to, 1), timeZone)),
      },
    },
    select: {
      id: true,
      source: true,
      startedAt: true,
      endedAt: true,
      durationS: true,
      avgHr: true,
      trimp: true,
      sport: true,
    },
    orderBy: { startedAt: 'asc' },
    take: 5_000,
  });
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    startedAt: r.startedAt.getTime(),
    endedAt: r.endedAt?.getTime() ?? null,
    durationS: r.durationS,
    avgHr: r.avgHr,
    trimp: r.trimp,
    sport: r.sport,
  }));
}
