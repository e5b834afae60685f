/** Planned sessions against what was trained: matching and compliance (docs/ANALYTICS.md). */

export interface PlanToMatch {
  id: string;
  /** UTC day, YYYY-MM-DD. */
  date: string;
  sport: string;
  durationMin: number;
  targetLoad: number | null;
}

export interface SessionToMatch {
  id: string;
  /** UTC day the session started, YYYY-MM-DD. */
  date: string;
  startedAt: number;
  /** Null when the source did not say (a live recording): it may fulfil a plan of any sport. */
  sport: string | null;
  durationS: number | null;
  /** TRIMP, null without heart rate. */
  load: number | null;
}

export interface PlanFulfilment {
  sessionId: string;
  durationMin: number;
  load: number | null;
  compliance: number;
  complianceBasis: 'load' | 'duration';
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Compliance of one done session against its plan: done load / target load when the plan sets a
 * target load and the session has a load, else done minutes / planned minutes.
 */
export function planCompliance(
  plan: Pick<PlanToMatch, 'durationMin' | 'targetLoad'>,
  session: Pick<SessionToMatch, 'durationS' | 'load'>,
): Pick<PlanFulfilment, 'compliance' | 'complianceBasis' | 'durationMin'> {
  const durationMin = round2(Math.max(0, session.durationS ?? 0) / 60);
  if (plan.targetLoad !== null && plan.targetLoad > 0 && session.load !== null)
    return { durationMin, compliance: round2(session.load / plan.targetLoad), complianceBasis: 'load' };
  return { durationMin, compliance: round2(durationMin / plan.durationMin), complianceBasis: 'duration' };
}

/**
 * Matches each plan to at most one session of the same day, each session to at most one plan.
 * Plans are taken in the order given (the caller's: oldest first). A plan takes the earliest
 * free session of its sport; plans still open then take the earliest free session whose sport is
 * unknown. Returns the fulfilment by plan id (plans without a session are absent).
 */
export function matchPlans(
  plans: readonly PlanToMatch[],
  sessions: readonly SessionToMatch[],
): Map<string, PlanFulfilment> {
  const byDay = new Map<string, SessionToMatch[]>();
  for (const s of [...sessions].sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id))) {
    const day = byDay.get(s.date) ?? [];
    day.push(s);
    byDay.set(s.date, day);
  }
  const used = new Set<string>();
  const result = new Map<string, PlanFulfilment>();
  const pass = (fits: (plan: PlanToMatch, s: SessionToMatch) => boolean) => {
    for (const plan of plans) {
      if (result.has(plan.id)) continue;
      const s = byDay.get(plan.date)?.find((c) => !used.has(c.id) && fits(plan, c));
      if (!s) continue;
      used.add(s.id);
      result.set(plan.id, { sessionId: s.id, load: s.load, ...planCompliance(plan, s) });
    }
  };
  pass((plan, s) => s.sport === plan.sport);
  pass((_, s) => s.sport === null);
  return result;
}

export interface PlanWeekSummary {
  planned: number;
  done: number;
  plannedMin: number;
  doneMin: number;
  /** Mean compliance of the done plans, null when none is done. */
  compliance: number | null;
}

/** Planned vs done over a set of plans (the team table's week column). */
export function summarisePlans(
  plans: readonly { durationMin: number; done: { durationMin: number; compliance: number | null } | null }[],
): PlanWeekSummary {
  const done = plans.filter((p) => p.done !== null);
  const rated = done.map((p) => p.done!.compliance).filter((c): c is number => c !== null);
  return {
    planned: plans.length,
    done: done.length,
    plannedMin: plans.reduce((s, p) => s + p.durationMin, 0),
    doneMin: round2(done.reduce((s, p) => s + p.done!.durationMin, 0)),
    compliance: rated.length ? round2(rated.reduce((s, c) => s + c, 0) / rated.length) : null,
  };
}
