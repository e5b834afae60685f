import type { TeamSessionAthlete, TeamSessionFigures, TeamSessionReviewResponse } from '@athlete/contracts';
import {
  isImplausibleJump,
  lttb,
  maxHrWithoutJumps,
  mergeThresholds,
  parseThresholds,
  type SessionSample,
  summariseSession,
} from '@athlete/core';
import { type UserPrincipal, viewableAthleteIdsForTeam } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { deriveLiveProfile } from '../live/index.ts';
import { toAlertOut, WITH_ACKNOWLEDGER } from '../sessions/serialize.ts';
import { findCoachedTeamSession } from './team-session-view.ts';

/** Points per athlete's HR chart: enough for the shape, small enough for 30 athletes overlaid. */
export const TEAM_SESSION_CHART_POINTS = 300;

interface GroupedSession {
  id: string;
  athleteId: string;
  name: string;
  status: 'open' | 'closed';
  startedAt: Date;
  durationS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  timeInZonesS: number[];
  trimp: number | null;
}

type Figures = Omit<TeamSessionFigures, 'srpeLoad' | 'alertCount'>;

const sum = (xs: (number | null)[]): number | null => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
};
const mean = (xs: (number | null | undefined)[]): number | null => {
  const known = xs.filter((x): x is number => x != null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
};
const zones5 = (z: readonly number[]): number[] => [0, 1, 2, 3, 4].map((i) => z[i] ?? 0);

/**
 * The review of a team session for its coaches (and admins): one row per athlete with a live
 * session grouped under it, the name always, figures only from athletes sharing sessions data.
 * Closed sessions give their stored summary (as the session page shows it); one still open is
 * summarised from its samples. Max HR leaves out the samples the hr_jump rule flags, with the
 * thresholds the alert engine uses for the athlete (global THRESHOLDS ← athlete overrides).
 */
export async function reviewTeamSession({
  deps,
  principal,
  teamSessionId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamSessionId: string;
}): Promise<TeamSessionReviewResponse> {
  const teamSession = await findCoachedTeamSession(deps, principal, teamSessionId);
  const [team, sessions, visibleIds] = await Promise.all([
    deps.db.prisma.team.findUniqueOrThrow({ where: { id: teamSession.teamId }, select: { name: true } }),
    deps.db.query<GroupedSession>(
      `SELECT s.id, s.athlete_id AS "athleteId", u.name, s.status::text AS status, s.started_at AS "startedAt",
              s.duration_s AS "durationS", s.distance_m AS "distanceM", s.avg_hr AS "avgHr",
              s.time_in_zones_s AS "timeInZonesS", s.trimp
         FROM training_sessions s JOIN users u ON u.id = s.athlete_id
        WHERE s.team_session_id = $1::uuid
        ORDER BY u.name, s.athlete_id, s.started_at`,
      [teamSessionId],
    ),
    viewableAthleteIdsForTeam({ deps, principal, teamId: teamSession.teamId, scope: 'sessions' }),
  ]);
  const visible = new Set(visibleIds);
  const byAthlete = new Map<string, GroupedSession[]>();
  for (const s of sessions) byAthlete.set(s.athleteId, [...(byAthlete.get(s.athleteId) ?? []), s]);

  const globalThresholds = parseThresholds(deps.config.THRESHOLDS);
  const startMs = Date.parse(teamSession.startedAt);
  const athletes: TeamSessionAthlete[] = [];
  // One athlete at a time, as the readiness table does: the pool stays free for live ingest.
  for (const [athleteId, own] of byAthlete) {
    const base = { athleteId, name: own[0]!.name, sessionIds: own.map((s) => s.id) };
    if (!visible.has(athleteId)) {
      athletes.push({
        ...base,
        visible: false,
        figures: null,
        rpe: null,
        jumpSamplesExcluded: 0,
        hrMax: null,
        alerts: [],
        hr: [],
      });
      continue;
    }
    athletes.push({
      ...base,
      visible: true,
      ...(await athleteRow(deps, athleteId, own, globalThresholds, startMs)),
    });
  }

  const shown = athletes.filter((a) => a.figures !== null).map((a) => a.figures!);
  const teamAverage: TeamSessionFigures = {
    durationS: mean(shown.map((f) => f.durationS)),
    distanceM: mean(shown.map((f) => f.distanceM)),
    avgHr: mean(shown.map((f) => f.avgHr)),
    maxHr: mean(shown.map((f) => f.maxHr)),
    timeInZonesS: [0, 1, 2, 3, 4].map((i) => mean(shown.map((f) => f.timeInZonesS[i])) ?? 0),
    trimp: mean(shown.map((f) => f.trimp)),
    srpeLoad: mean(shown.map((f) => f.srpeLoad)),
    alertCount: mean(shown.map((f) => f.alertCount)),
  };
  return { teamSession, teamName: team.name, athletes, teamAverage };
}

async function athleteRow(
  deps: Deps,
  athleteId: string,
  own: GroupedSession[],
  globalThresholds: ReturnType<typeof parseThresholds>,
  startMs: number,
): Promise<Omit<TeamSessionAthlete, 'athleteId' | 'name' | 'sessionIds' | 'visible'>> {
  const ids = own.map((s) => s.id);
  const [stored, samples, rpes, alerts] = await Promise.all([
    deps.db.prisma.athleteProfile.findUnique({ where: { userId: athleteId } }),
    deps.db.query<{
      sessionId: string;
      ts: Date;
      hr: number | null;
      speed: number | null;
      distance: number | null;
      cadence: number | null;
      power: number | null;
      alt: number | null;
    }>(
      `SELECT session_id AS "sessionId", ts, hr, speed, distance, cadence, power, alt FROM samples
        WHERE athlete_id = $1::uuid AND session_id = ANY($2::uuid[]) ORDER BY ts`,
      [athleteId, ids],
    ),
    deps.db.prisma.sessionRpe.findMany({ where: { sessionId: { in: ids } }, orderBy: { updatedAt: 'asc' } }),
    deps.db.prisma.alert.findMany({
      where: { sessionId: { in: ids } },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      include: WITH_ACKNOWLEDGER,
    }),
  ]);
  const profile = deriveLiveProfile(stored, deps.log, athleteId);
  const thresholds = mergeThresholds(globalThresholds, profile.thresholds);

  const perSession = new Map<string, SessionSample[]>(ids.map((id) => [id, []]));
  for (const s of samples) {
    perSession.get(s.sessionId)?.push({
      ts: s.ts.getTime(),
      hr: s.hr,
      speed: s.speed,
      distance: s.distance,
      cadence: s.cadence,
      power: s.power,
      alt: s.alt,
    });
  }
  const parts: Figures[] = [];
  let maxHr: number | null = null;
  let excluded = 0;
  const points: Array<{ x: number; y: number }> = [];
  for (const s of own) {
    const rows = perSession.get(s.id)!;
    if (s.status === 'closed') {
      parts.push({
        durationS: s.durationS,
        distanceM: s.distanceM,
        avgHr: s.avgHr,
        maxHr: null,
        timeInZonesS: zones5(s.timeInZonesS),
        trimp: s.trimp,
      });
    } else {
      const live = summariseSession(rows, profile);
      parts.push({
        durationS: live.durationS,
        distanceM: live.distanceM,
        avgHr: live.avgHr,
        maxHr: null,
        timeInZonesS: zones5(live.timeInZonesS),
        trimp: live.trimp,
      });
    }
    const m = maxHrWithoutJumps(rows, thresholds);
    excluded += m.excluded;
    if (m.maxHr !== null && (maxHr === null || m.maxHr > maxHr)) maxHr = m.maxHr;
    // The chart leaves out the same samples (a spike to 220 would flatten everyone else's line).
    let prev: { ts: number; hr: number } | null = null;
    for (const r of rows) {
      if (r.hr == null || r.hr <= 0 || (prev !== null && r.ts <= prev.ts)) continue;
      const cur = { ts: r.ts, hr: r.hr };
      if (prev === null || !isImplausibleJump(prev, cur, thresholds)) {
        points.push({ x: (r.ts - startMs) / 1000, y: r.hr });
      }
      prev = cur;
    }
  }
  const totalS = sum(parts.map((p) => p.durationS));
  // Duration-weighted, so a short second session does not count as much as the main one.
  const weighted = parts.filter((p) => p.avgHr !== null && (p.durationS ?? 0) > 0);
  const weight = weighted.reduce((a, p) => a + p.durationS!, 0);
  const avgHr =
    weight > 0
      ? weighted.reduce((a, p) => a + p.avgHr! * p.durationS!, 0) / weight
      : mean(parts.map((p) => p.avgHr));
  const srpeLoad = sum(rpes.map((r) => r.load));
  return {
    figures: {
      durationS: totalS,
      distanceM: sum(parts.map((p) => p.distanceM)),
      avgHr,
      maxHr,
      timeInZonesS: [0, 1, 2, 3, 4].map((i) => parts.reduce((a, p) => a + (p.timeInZonesS[i] ?? 0), 0)),
      trimp: sum(parts.map((p) => p.trimp)),
      srpeLoad,
      alertCount: alerts.length,
    },
    rpe: rpes.at(-1)?.rpe ?? null,
    jumpSamplesExcluded: excluded,
    hrMax: profile.hrMax,
    alerts: alerts.map(toAlertOut),
    hr: lttb(points, TEAM_SESSION_CHART_POINTS).map((p) => ({ t: Math.round(p.x * 10) / 10, hr: p.y })),
  };
}
