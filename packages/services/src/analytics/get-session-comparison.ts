import type { SessionComparison } from '@athlete/contracts';
import {
  COMPARISON_RULES,
  type ComparableSession,
  compareToHistory,
  EFFICIENCY_UNITS,
  efficiencyBasis,
  isComparable,
  type SessionEfficiency,
  SPEED_EF_SPORTS,
  sameActivity,
  sessionEfficiency,
  summaryEfficiency,
} from '@athlete/core';
import type { TrainingSession } from '@athlete/db';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { findViewableSession } from '../sessions/get-session.ts';
import { readSessionSampleRows } from '../sessions/read-sample-rows.ts';

/** Candidates read per request: enough for N after duplicates and sessions without an EF. */
const CANDIDATES = 40;

type SessionRow = Pick<
  TrainingSession,
  | 'id'
  | 'athleteId'
  | 'sport'
  | 'startedAt'
  | 'durationS'
  | 'avgHr'
  | 'avgSpeed'
  | 'distanceM'
  | 'name'
  | 'source'
>;

const comparable = (s: SessionRow): ComparableSession => ({
  id: s.id,
  sport: s.sport,
  startedAt: s.startedAt.getTime(),
  durationS: s.durationS,
});

/** EF from the session's readings when it has enough of them, else from its summary. */
async function efficiencyOf(deps: Deps, s: SessionRow): Promise<SessionEfficiency | null> {
  const rows = await readSessionSampleRows(deps, s);
  const fromSamples = sessionEfficiency(
    rows.map((r) => ({
      ts: new Date(r.ts).getTime(),
      hr: r.hr,
      speed: r.speed,
      power: r.power,
      distance: r.distance,
    })),
    s.sport,
  );
  return fromSamples ?? summaryEfficiency(s);
}

function noComparisonReason(s: SessionRow): string {
  if (s.sport === null)
    return 'The session has no sport, so there is nothing of the same sport to compare it with.';
  if (efficiencyBasis(s.sport, false) === null)
    return `Efficiency needs power, or speed in a foot sport (${SPEED_EF_SPORTS.join(', ')}); this ${s.sport.replace(/_/g, ' ')} session has no power.`;
  return `Efficiency needs heart rate with speed or power: at least ${COMPARISON_RULES.minPairs} readings with both, or an average HR and distance.`;
}

/**
 * `GET /sessions/:id/comparison`: the session's efficiency factor and aerobic decoupling against
 * the athlete's last N sessions of the same sport within ±25 % of its duration (core
 * session-comparison.ts), with "better / usual / worse" from the band of that history.
 */
export async function getSessionComparison(options: {
  deps: Deps;
  principal: Principal | null;
  sessionId: string;
}): Promise<SessionComparison> {
  const { deps } = options;
  const session = await findViewableSession(options);
  const base: SessionComparison = {
    sessionId: session.id,
    sport: session.sport,
    basis: null,
    unit: null,
    efficiency: null,
    reason: null,
    history: [],
    ef: null,
    decoupling: null,
    rules: {
      lastN: COMPARISON_RULES.lastN,
      durationTolerance: COMPARISON_RULES.durationTolerance,
      minHistory: COMPARISON_RULES.minHistory,
      k: COMPARISON_RULES.k,
    },
  };
  if (session.status !== 'closed')
    return { ...base, reason: 'The session is still being recorded: it is compared once it ends.' };
  const efficiency = await efficiencyOf(deps, session);
  if (efficiency === null) return { ...base, reason: noComparisonReason(session) };

  const d = session.durationS ?? 0;
  const candidates =
    session.sport === null || d <= 0
      ? []
      : await deps.db.prisma.trainingSession.findMany({
          where: {
            athleteId: session.athleteId,
            status: 'closed',
            sport: session.sport,
            startedAt: { lt: session.startedAt },
            durationS: {
              gte: d * (1 - COMPARISON_RULES.durationTolerance),
              lte: d * (1 + COMPARISON_RULES.durationTolerance),
            },
          },
          orderBy: { startedAt: 'desc' },
          take: CANDIDATES,
        });
  const picked: { row: SessionRow; efficiency: SessionEfficiency }[] = [];
  for (const row of candidates) {
    if (picked.length >= COMPARISON_RULES.lastN) break;
    const c = comparable(row);
    if (!isComparable(comparable(session), c) || sameActivity(comparable(session), c)) continue;
    const e = await efficiencyOf(deps, row);
    if (e === null || e.basis !== efficiency.basis) continue;
    // The same activity from two sources counts once: the copy with readings (and so a decoupling).
    const twin = picked.findIndex((p) => sameActivity(comparable(p.row), c));
    if (twin === -1) picked.push({ row, efficiency: e });
    else if (picked[twin]!.efficiency.method === 'summary' && e.method === 'samples')
      picked[twin] = { row, efficiency: e };
  }
  const verdict = (value: number | null, history: (number | null)[], higherIsBetter: boolean) => {
    const result = compareToHistory(value, history, higherIsBetter);
    return result === null || value === null
      ? null
      : {
          value,
          verdict: result.verdict,
          median: result.band.median,
          lower: result.band.lower,
          upper: result.band.upper,
          n: result.band.days,
        };
  };
  return {
    ...base,
    basis: efficiency.basis,
    unit: EFFICIENCY_UNITS[efficiency.basis],
    efficiency,
    reason:
      picked.length < COMPARISON_RULES.minHistory
        ? `${picked.length} earlier ${session.sport?.replace(/_/g, ' ') ?? ''} session${picked.length === 1 ? '' : 's'} of a similar duration with an efficiency; a verdict needs ${COMPARISON_RULES.minHistory}.`
        : null,
    history: picked.map((p) => ({
      id: p.row.id,
      name: p.row.name,
      source: p.row.source,
      startedAt: p.row.startedAt.toISOString(),
      durationS: p.row.durationS,
      efficiency: p.efficiency,
    })),
    // Higher EF is more output per beat; lower decoupling is less drift.
    ef: verdict(
      efficiency.ef,
      picked.map((p) => p.efficiency.ef),
      true,
    ),
    decoupling: verdict(
      efficiency.decouplingPct,
      picked.map((p) => p.efficiency.decouplingPct),
      false,
    ),
  };
}
