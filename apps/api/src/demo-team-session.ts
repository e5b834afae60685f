import {
  athleteZones,
  hrHighThresholdBpm,
  parseThresholds,
  type SessionSample,
  sessionRpeLoad,
  summariseSession,
} from '@athlete/core';
import type { SampleRow } from '@athlete/db';
import type { Deps } from '@athlete/services';

/** The demo's finished team session: yesterday, 17:00 UTC, 40 minutes, a sample every 2 s. */
const START_HOUR_UTC = 17;
const LENGTH_S = 40 * 60;
const STEP_S = 2;
const DAY_MS = 86_400_000;
/** The demo's one strap spike: athlete 3's HR reads this much higher for one sample. */
const SPIKE_BPM = 60;

/** Share of HR reserve over the session: warm-up, 5 × 3 min hard / 2 min easy, cool-down. */
function effort(t: number): number {
  if (t < 600) return 0.35 + (0.25 * t) / 600;
  const k = t - 600;
  if (k < 25 * 60) return k % 300 < 180 ? 0.82 : 0.6;
  return 0.6 - (0.25 * (k - 25 * 60)) / (LENGTH_S - 2100);
}

/**
 * Gives the demo team one finished team session (idempotent: a team that has one is left alone)
 * so its review has something to show: every athlete's heart rate and distance, the sessions
 * grouped under it, athlete 1 above their HR-high threshold in the intervals (an alert), athlete
 * 3's strap spiking once (an hr_jump alert, left out of max HR), and RPE from half the team.
 */
export async function ensureDemoTeamSession(
  deps: Deps,
  world: { teamId: string; coachId: string; athleteIds: readonly string[] },
  now = Date.now(),
): Promise<number> {
  if ((await deps.db.prisma.teamSession.count({ where: { teamId: world.teamId } })) > 0) return 0;
  const startMs =
    Date.parse(`${new Date(now - DAY_MS).toISOString().slice(0, 10)}T00:00:00Z`) + START_HOUR_UTC * 3_600_000;
  const teamSession = await deps.db.prisma.teamSession.create({
    data: {
      teamId: world.teamId,
      title: 'Intervals 5 × 3 min',
      startedAt: new Date(startMs),
      endedAt: new Date(startMs + LENGTH_S * 1000),
      startedById: world.coachId,
    },
  });
  const profiles = await deps.db.prisma.athleteProfile.findMany({
    where: { userId: { in: [...world.athleteIds] } },
  });
  const thresholds = parseThresholds(deps.config.THRESHOLDS);
  for (const [i, athleteId] of world.athleteIds.entries()) {
    const { hrMax, hrRest, zones } = athleteZones(profiles.find((p) => p.userId === athleteId) ?? null);
    const rest = hrRest ?? 60;
    // Each athlete a little harder or easier, and athlete 1 well into their alert zone.
    const bias = i === 0 ? 0.15 : ((i * 7) % 5) * 0.015 - 0.06;
    const pace = 2.6 + ((i * 3) % 5) * 0.15;
    const session = await deps.db.prisma.trainingSession.create({
      data: {
        athleteId,
        source: 'simulator',
        externalId: `demo-team-session-${teamSession.id}`,
        sport: 'running',
        status: 'closed',
        startedAt: new Date(startMs),
        teamSessionId: teamSession.id,
      },
    });
    const samples: SessionSample[] = [];
    let distance = 0;
    for (let t = 0; t <= LENGTH_S; t += STEP_S) {
      const e = Math.min(1, effort(t) + bias);
      const wobble = Math.sin((t + i * 37) / 23) * 2;
      let hr = Math.round(rest + e * (hrMax - rest) + wobble);
      if (i === 2 && t === 1200) hr += SPIKE_BPM;
      const speed = pace * (0.6 + 0.6 * effort(t));
      distance += speed * STEP_S;
      samples.push({ ts: startMs + t * 1000, hr, speed, distance: Math.round(distance) });
    }
    const rows: SampleRow[] = samples.map((s) => ({
      athleteId,
      ts: new Date(s.ts),
      sessionId: session.id,
      seq: null,
      hr: s.hr ?? null,
      rr: null,
      speed: s.speed ?? null,
      cadence: null,
      power: null,
      distance: s.distance ?? null,
      lat: null,
      lon: null,
      alt: null,
    }));
    await deps.db.insertSamplesReport(rows);
    const summary = summariseSession(samples, { hrMax, hrRest, zones });
    await deps.db.prisma.trainingSession.update({
      where: { id: session.id },
      data: {
        endedAt: new Date(startMs + LENGTH_S * 1000),
        lastSampleAt: new Date(startMs + LENGTH_S * 1000),
        durationS: summary.durationS,
        movingTimeS: summary.durationS,
        distanceM: summary.distanceM,
        avgHr: summary.avgHr,
        maxHr: summary.maxHr === null ? null : Math.round(summary.maxHr),
        avgSpeed: summary.avgSpeed,
        maxSpeed: summary.maxSpeed,
        timeInZonesS: summary.timeInZonesS,
        trimp: summary.trimp,
        summary: JSON.parse(JSON.stringify(summary)),
      },
    });
    const high = hrHighThresholdBpm(thresholds, hrMax);
    // As the engine fires it: above the threshold for hrAboveSeconds (the one spike is not).
    const held = Math.ceil(thresholds.hrAboveSeconds / STEP_S);
    const firstHigh =
      high === null
        ? undefined
        : samples.find((_, k) => samples.slice(k, k + held + 1).every((x) => (x.hr ?? 0) > high));
    if (high !== null && firstHigh) {
      await deps.db.prisma.alert.create({
        data: {
          athleteId,
          sessionId: session.id,
          rule: 'hr_high',
          severity: firstHigh.hr! > thresholds.criticalPctMax * hrMax ? 'critical' : 'warning',
          message: `Heart rate ${firstHigh.hr} bpm above ${Math.round(high)} bpm for ${thresholds.hrAboveSeconds} s`,
          value: firstHigh.hr!,
          threshold: Math.round(high),
          startedAt: new Date(firstHigh.ts + thresholds.hrAboveSeconds * 1000),
          clearedAt: new Date(firstHigh.ts + 180_000),
        },
      });
    }
    if (i === 2) {
      const spike = samples[1200 / STEP_S]!;
      await deps.db.prisma.alert.create({
        data: {
          athleteId,
          sessionId: session.id,
          rule: 'hr_jump',
          severity: 'warning',
          message: `Implausible heart-rate jump of ${SPIKE_BPM} bpm`,
          value: SPIKE_BPM,
          threshold: thresholds.jumpBpm,
          startedAt: new Date(spike.ts),
          clearedAt: new Date(spike.ts + thresholds.clearSeconds * 1000 + STEP_S * 1000),
        },
      });
    }
    if (i % 2 === 0) {
      const rpe = i === 0 ? 8 : 6;
      const durationMin = Math.round((summary.durationS / 60) * 10) / 10;
      await deps.db.prisma.sessionRpe.create({
        data: { sessionId: session.id, athleteId, rpe, durationMin, load: sessionRpeLoad(rpe, durationMin) },
      });
    }
  }
  return 1;
}
