import {
  athleteTraits,
  createTeamAthlete,
  simulateTrainingHistory,
  type TeamAthlete,
  type TrainingHistoryOptions,
} from '@athlete/core';
import type { Prisma } from '@athlete/db';
import {
  type Deps,
  type DevicePrincipal,
  hashSecret,
  importSimulatedReadinessChecks,
  newSecret,
  registerUser,
  writeProfile,
} from '@athlete/services';
import fp from 'fastify-plugin';

import { DEMO_COACH_EMAIL, DEMO_PASSWORD, DEMO_TEAM_NAME } from '../../demo-accounts.ts';
import { ensureDemoTeamSession } from '../../demo-team-session.ts';

export { DEMO_COACH_EMAIL, DEMO_PASSWORD, DEMO_TEAM_NAME };

const demoAthleteEmail = (n: number) => `athlete${n}@demo.local`;
/** Demo athlete n's seed: their traits (profile, HR response, pace) and their sessions. */
const demoSeed = (n: number) => 4_200 + n;
/** Rest between a demo athlete's sessions (s): long enough to see them leave, short enough to come back. */
const DEMO_REST = { minS: 6 * 60, maxS: 15 * 60 };

/** HR max and rest a demo athlete's stream and history use: those of the stored profile. */
export interface DemoHeart {
  hrMax: number;
  hrRest: number;
}

async function ensureUser(
  deps: Deps,
  email: string,
  name: string,
  role: 'athlete' | 'coach',
): Promise<string> {
  const found = await deps.db.prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (found) return found.id;
  const user = await registerUser({ deps, input: { email, password: DEMO_PASSWORD, name }, role });
  return user.id;
}

/**
 * Makes sure the demo world exists (idempotent across restarts): the coach, "Demo Team",
 * SIMULATION_ATHLETES athletes with every consent and a profile, and a gateway device the
 * in-process simulator writes through.
 */
export async function ensureDemoWorld(
  deps: Deps,
): Promise<{ athleteIds: string[]; hearts: DemoHeart[]; principal: DevicePrincipal }> {
  const coachId = await ensureUser(deps, DEMO_COACH_EMAIL, 'Demo Coach', 'coach');
  const team =
    (await deps.db.prisma.team.findFirst({ where: { name: DEMO_TEAM_NAME, createdById: coachId } })) ??
    (await deps.db.prisma.team.create({
      data: {
        name: DEMO_TEAM_NAME,
        createdById: coachId,
        members: { create: { userId: coachId, role: 'coach' } },
      },
    }));
  const athleteIds: string[] = [];
  const hearts: DemoHeart[] = [];
  for (let n = 1; n <= deps.config.SIMULATION_ATHLETES; n++) {
    const id = await ensureUser(deps, demoAthleteEmail(n), `Demo Athlete ${n}`, 'athlete');
    athleteIds.push(id);
    // A new demo athlete gets the profile of their simulated traits, so zones and TRIMP fit the
    // stream; one kept from an earlier run (maybe edited) stays, and the stream follows it.
    const t = athleteTraits(demoSeed(n));
    const profile = await writeProfile({
      deps,
      userId: id,
      change: (current, { created }) =>
        created || (current.hrMax === null && current.hrRest === null)
          ? { hrMax: t.hrMax, hrRest: t.hrRest, birthYear: t.birthYear, sex: t.sex, weightKg: t.weightKg }
          : null,
    });
    const hrMax = profile.hrMax ?? t.hrMax;
    const hrRest = profile.hrRest !== null && profile.hrRest < hrMax ? profile.hrRest : t.hrRest;
    hearts.push({ hrMax, hrRest: Math.min(hrRest, hrMax - 20) });
    await deps.db.prisma.teamMember.upsert({
      where: { teamId_userId: { teamId: team.id, userId: id } },
      create: {
        teamId: team.id,
        userId: id,
        role: 'athlete',
        consentLive: true,
        consentSessions: true,
        consentWellness: true,
      },
      update: {},
    });
  }
  const device =
    (await deps.db.prisma.device.findFirst({
      where: { ownerId: coachId, teamId: team.id, kind: 'gateway', name: 'Demo simulator', revokedAt: null },
    })) ??
    (await deps.db.prisma.device.create({
      data: {
        ownerId: coachId,
        teamId: team.id,
        kind: 'gateway',
        name: 'Demo simulator',
        // Nobody holds this key: the simulator runs in-process with the device's principal.
        keyHash: hashSecret(newSecret('apk_')),
        keyPrefix: 'apk_internal',
      },
    }));
  return {
    athleteIds,
    hearts,
    principal: {
      kind: 'device',
      deviceId: device.id,
      ownerId: coachId,
      deviceKind: 'gateway',
      athleteId: null,
      teamId: team.id,
    },
  };
}

const HISTORY_DAYS = 180;
const HISTORY_KEY = 'demo-history:';
const DAY_MS = 86_400_000;
/** Athlete 2 wakes up unwell today and athlete 3 has spiked their load: the demo shows both. */
const SCENARIOS: Record<number, TrainingHistoryOptions['scenario']> = { 2: 'unwell', 3: 'spike' };

/**
 * Gives each demo athlete a past (idempotent): 180 days of sessions and morning readiness
 * checks on first start, then the days missed since the last start, so Today, Trends and the
 * recommendation have months of data to rest on.
 */
export async function ensureDemoHistory(
  deps: Deps,
  athleteIds: readonly string[],
  now = Date.now(),
  hearts: readonly DemoHeart[] = [],
) {
  const today = new Date(now).toISOString().slice(0, 10);
  let sessions = 0;
  let checks = 0;
  for (const [i, athleteId] of athleteIds.entries()) {
    const n = i + 1;
    const last = await deps.db.prisma.readinessCheck.findFirst({
      where: { athleteId, source: 'simulator' },
      orderBy: { date: 'desc' },
      select: { date: true },
    });
    const gap = last
      ? Math.round((Date.parse(`${today}T00:00:00Z`) - last.date.getTime()) / DAY_MS)
      : HISTORY_DAYS;
    if (gap <= 0) continue;
    const history = simulateTrainingHistory({
      seed: 7_000 + n * 101 + Math.floor(now / DAY_MS),
      endDay: today,
      days: Math.min(gap, HISTORY_DAYS),
      hrMax: hearts[i]?.hrMax ?? 182 + (n % 15),
      hrRest: hearts[i]?.hrRest ?? 50 + (n % 10),
      volume: 0.6 + ((n * 37) % 9) / 10,
      lnRmssd: 3.6 + ((n * 13) % 9) / 10,
      scenario: last ? 'steady' : (SCENARIOS[n] ?? 'steady'),
      now,
    });
    const created = await deps.db.prisma.trainingSession.createMany({
      data: history.sessions.map((h) => ({
        athleteId,
        source: 'simulator' as const,
        externalId: `${HISTORY_KEY}${h.day}`,
        sport: h.sport,
        status: 'closed' as const,
        startedAt: new Date(h.startedAt),
        endedAt: new Date(h.startedAt + h.durationS * 1000),
        lastSampleAt: new Date(h.startedAt + h.durationS * 1000),
        durationS: h.durationS,
        movingTimeS: h.durationS,
        distanceM: h.distanceM,
        avgHr: h.avgHr,
        maxHr: h.maxHr,
        avgSpeed: h.distanceM / h.durationS,
        timeInZonesS: [],
      })),
      skipDuplicates: true,
    });
    sessions += created.count;
    checks += await importSimulatedReadinessChecks({ deps, athleteId, checks: history.checks });
  }
  return { sessions, checks };
}

/** The demo week's whole-team plans by ISO weekday (1 = Monday), shaped like the demo history's week. */
const DEMO_WEEK_PLANS = [
  { weekday: 1, sport: 'running', durationMin: 45, targetZone: 2, description: 'Easy aerobic run' },
  { weekday: 2, sport: 'running', durationMin: 60, targetLoad: 90, description: 'Intervals: 5 × 3 min hard' },
  { weekday: 3, sport: 'running', durationMin: 40, targetZone: 2, description: 'Recovery run' },
  { weekday: 5, sport: 'cycling', durationMin: 90, targetLoad: 110, description: 'Long ride, steady' },
  { weekday: 6, sport: 'running', durationMin: 55, targetZone: 3, description: 'Tempo run' },
] as const;

/**
 * Gives the demo team this week's plans (idempotent: a week that has plans is left alone), plus
 * an easy walk today for athlete 2, who wakes up unwell: the calendar and the team table's
 * planned vs done column have something to show, matched against the demo history.
 */
export async function ensureDemoPlans(
  deps: Deps,
  world: { teamId: string; coachId: string; athleteIds: readonly string[] },
  now = Date.now(),
): Promise<number> {
  const todayMs = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  const monday = todayMs - ((new Date(todayMs).getUTCDay() + 6) % 7) * DAY_MS;
  const existing = await deps.db.prisma.plannedSession.count({
    where: { teamId: world.teamId, date: { gte: new Date(monday), lt: new Date(monday + 7 * DAY_MS) } },
  });
  if (existing > 0) return 0;
  const base = { teamId: world.teamId, createdById: world.coachId };
  const rows: Prisma.PlannedSessionCreateManyInput[] = DEMO_WEEK_PLANS.map((p) => ({
    ...base,
    athleteId: null,
    date: new Date(monday + (p.weekday - 1) * DAY_MS),
    sport: p.sport,
    durationMin: p.durationMin,
    targetLoad: 'targetLoad' in p ? p.targetLoad : null,
    targetZone: 'targetZone' in p ? p.targetZone : null,
    description: p.description,
  }));
  const unwell = world.athleteIds[1];
  if (unwell)
    rows.push({
      ...base,
      athleteId: unwell,
      date: new Date(todayMs),
      sport: 'walking',
      durationMin: 30,
      targetLoad: null,
      targetZone: 1,
      description: 'Feeling off: an easy walk instead, no hard work today',
    });
  return (await deps.db.prisma.plannedSession.createMany({ data: rows })).count;
}

/**
 * SIMULATION_MODE=true: the Quickstart demo. At boot it ensures the demo coach, team and
 * athletes, then streams them at DATA_FREQUENCY through the same ingest service real devices
 * use (sessions, storage, alerts and fan-out included).
 */
export default fp(
  async (app) => {
    if (!app.config.SIMULATION_MODE) return;
    let timer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      const deps = app.deps;
      const { athleteIds, hearts, principal } = await ensureDemoWorld(deps);
      const history = await ensureDemoHistory(deps, athleteIds, Date.now(), hearts);
      if (history.sessions || history.checks) app.log.info(history, 'simulation: demo history added');
      const plans = await ensureDemoPlans(deps, {
        teamId: principal.teamId!,
        coachId: principal.ownerId,
        athleteIds,
      });
      if (plans) app.log.info({ plans }, "simulation: this week's demo plans added");
      const teamSessions = await ensureDemoTeamSession(deps, {
        teamId: principal.teamId!,
        coachId: principal.ownerId,
        athleteIds,
      });
      if (teamSessions) app.log.info('simulation: a finished demo team session added');
      app.log.info(
        { coach: DEMO_COACH_EMAIL, password: DEMO_PASSWORD, athletes: athleteIds.length },
        `simulation: sign in as ${DEMO_COACH_EMAIL} / ${DEMO_PASSWORD} (athletes athlete1@demo.local… same password)`,
      );
      // A session left open by the previous run ends here: the stream starts over from the track's
      // start and a zero distance, which would otherwise jump across the map and shrink the session.
      const leftOpen = await Promise.all(
        athleteIds.map((athleteId) => app.live.stopSession({ principal, athleteId })),
      );
      const closed = leftOpen.filter(Boolean).length;
      if (closed) app.log.info({ closed }, "simulation: the previous run's open sessions closed");
      const team: TeamAthlete[] = athleteIds.map((_, i) =>
        createTeamAthlete(demoSeed(i + 1), {
          ...hearts[i]!,
          rest: DEMO_REST,
          faults: { dropoutProbability: 0.0008, dropoutSeconds: 20, spikeProbability: 0.003, spikeBpm: 55 },
        }),
      );
      const dt = app.config.DATA_FREQUENCY;
      timer = setInterval(() => {
        const now = Date.now();
        const samples = [];
        const finished: string[] = [];
        for (const [i, { model }] of team.entries()) {
          const wasResting = model.resting;
          const s = model.step(dt);
          // The session just ended (its last sample, if any, is in this tick): the athlete rests.
          if (!wasResting && model.resting) finished.push(athleteIds[i]!);
          if (!s) continue;
          samples.push({
            athleteId: athleteIds[i],
            ts: now,
            hr: Math.max(25, Math.min(250, s.hr)),
            rr: s.rr.filter((v) => v >= 200 && v <= 3000).slice(0, 20),
            speed: Math.round(s.speed * 100) / 100,
            cadence: s.cadence,
            distance: s.distance,
            lat: s.lat,
            lon: s.lon,
            alt: s.alt,
          });
        }
        if (samples.length === 0) return;
        app.live
          .ingest({
            principal,
            samples,
            source: 'simulator',
            transport: 'simulator',
            forbidden: 'reject',
          })
          .then((o) => o.durable)
          // Close finished sessions once their last samples are stored: the summary and the
          // day's load are written now, as when an athlete presses stop, not after the idle wait.
          .then(() =>
            Promise.all(finished.map((athleteId) => app.live.stopSession({ principal, athleteId }))),
          )
          .catch((err) => app.log.warn({ err }, 'simulation: samples not accepted this tick'));
      }, dt * 1000);
      timer.unref?.();
    });
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
    });
  },
  { name: 'simulation', dependencies: ['deps', 'live'] },
);
