import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  athleteReadinessResponseSchema,
  teamPlansResponseSchema,
  teamReadinessResponseSchema,
  trainingLoadResponseSchema,
} from '@athlete/contracts';
import { athleteTraits } from '@athlete/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSimulatedProfile, setupDemo, simulatedProfile } from '../../simulator/src/setup.ts';
import { buildApp } from '../src/app.ts';
import {
  DEMO_COACH_EMAIL,
  DEMO_PASSWORD,
  ensureDemoHistory,
  ensureDemoPlans,
} from '../src/plugins/app/simulation.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

describe('SIMULATION_MODE demo team', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      overrides: { SIMULATION_MODE: true, SIMULATION_ATHLETES: 3, DATA_FREQUENCY: 0.2 },
    });
  });
  afterAll(async () => t?.close());

  it('creates the demo coach, team and athletes and streams them through ingest', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: DEMO_COACH_EMAIL, password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const team = await t.app.deps.db.prisma.team.findFirstOrThrow({
      where: { name: 'Demo Team' },
      include: { members: true },
    });
    const athletes = team.members.filter((m) => m.role === 'athlete' && m.consentLive);
    expect(athletes).toHaveLength(3);
    const ids = athletes.map((a) => a.userId);
    const deadline = Date.now() + 10_000;
    let counts: Array<{ athlete_id: string; n: number }> = [];
    while (Date.now() < deadline) {
      counts = await t.app.deps.db.query<{ athlete_id: string; n: number }>(
        'SELECT athlete_id, count(*)::int AS n FROM samples WHERE athlete_id = ANY($1::uuid[]) GROUP BY athlete_id',
        [ids],
      );
      if (counts.length === 3 && counts.every((c) => c.n >= 5)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(counts).toHaveLength(3);
    const sessions = await t.app.deps.db.prisma.trainingSession.findMany({
      where: { athleteId: { in: ids }, status: 'open' },
    });
    expect(sessions.map((s) => [s.source, s.status])).toEqual(Array(3).fill(['simulator', 'open']));

    // Each demo athlete has the HR profile of their simulated traits, and they differ.
    const profiles = await t.app.deps.db.prisma.athleteProfile.findMany({
      where: { user: { email: { endsWith: '@demo.local' }, role: 'athlete' } },
      include: { user: { select: { email: true } } },
    });
    expect(profiles).toHaveLength(3);
    for (const p of profiles) {
      const n = Number(/^athlete(\d+)@/.exec(p.user.email)![1]);
      const traits = athleteTraits(4_200 + n);
      expect(p).toMatchObject({
        hrMax: traits.hrMax,
        hrRest: traits.hrRest,
        birthYear: traits.birthYear,
        sex: traits.sex,
        weightKg: traits.weightKg,
      });
    }
    expect(new Set(profiles.map((p) => `${p.hrMax}/${p.hrRest}`)).size).toBe(3);

    // The team's live view shows them.
    const token = login.json().token;
    const res = await t.app.inject({
      url: `/api/v1/athletes/${ids[0]}/live`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.json().athlete).toMatchObject({
      athleteId: ids[0],
      sessionId: expect.any(String),
      latest: { hr: expect.any(Number) },
    });
  });

  it('gives every demo athlete months of history the analytics conclude from', async () => {
    const readinessOf = async (n: number) => {
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `athlete${n}@demo.local`, password: DEMO_PASSWORD },
      });
      const { token, user } = login.json();
      const headers = { authorization: `Bearer ${token}` };
      const r = await t.app.inject({ url: `/api/v1/athletes/${user.id}/readiness`, headers });
      expect(r.statusCode).toBe(200);
      const today = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 179 * 86_400_000).toISOString().slice(0, 10);
      const l = await t.app.inject({
        url: `/api/v1/athletes/${user.id}/load?from=${from}&to=${today}`,
        headers,
      });
      return {
        readiness: athleteReadinessResponseSchema.parse(r.json()).readiness,
        load: trainingLoadResponseSchema.parse(l.json()).load,
      };
    };
    const steady = await readinessOf(1);
    expect(steady.readiness.today.hrvBaseline).toMatchObject({ days: 60, verdict: expect.any(String) });
    expect(steady.readiness.today.hrvSource).toBe('readiness check');
    expect(steady.readiness.form.ctl).toBeGreaterThan(20);
    expect(steady.readiness.latestCheck).toMatchObject({ source: 'simulator', status: 'accepted' });
    const counted = steady.load.sessions.filter((s) => s.counted && s.method === 'avg-hr');
    expect(counted.length).toBeGreaterThan(80);
    expect(steady.load.weeks.some((w) => w.monotony !== null)).toBe(true);

    // Athlete 2 wakes up unwell: resting HR and HRV outside their bands, so rest.
    const unwell = await readinessOf(2);
    expect(unwell.readiness.today.flags.map((f) => f.metric).sort()).toEqual(['lnRmssd', 'restingHr']);
    expect(unwell.readiness.recommendation).toBe('rest');
    expect(unwell.readiness.reasons.map((r) => r.rule)).toContain('flags');

    // Athlete 3 doubled their load for ten days: the ratio leaves the usual range.
    const spike = await readinessOf(3);
    expect(['caution', 'high']).toContain(spike.readiness.form.acwrBand);
    expect(spike.readiness.recommendation).not.toBe('push');

    // The coach's morning check puts the unwell athlete first, with the reasons.
    const coach = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: DEMO_COACH_EMAIL, password: DEMO_PASSWORD },
    });
    const team = await t.app.deps.db.prisma.team.findFirstOrThrow({ where: { name: 'Demo Team' } });
    const morning = await t.app.inject({
      url: `/api/v1/teams/${team.id}/readiness`,
      headers: { authorization: `Bearer ${coach.json().token}` },
    });
    expect(morning.statusCode).toBe(200);
    const table = teamReadinessResponseSchema.parse(morning.json());
    expect(table.athletes.map((a) => a.name)[0]).toBe('Demo Athlete 2');
    expect(table.athletes[0]!.readiness!.recommendation).toBe('rest');
    expect(table.athletes).toHaveLength(3);
    // A week of plans: five for the whole team, an easy walk today for the unwell athlete.
    expect(table.athletes.find((a) => a.name === 'Demo Athlete 2')!.plans!.planned).toBe(6);
    expect(table.athletes.find((a) => a.name === 'Demo Athlete 1')!.plans!.planned).toBe(5);
    const weekPlans = teamPlansResponseSchema.parse(
      (
        await t.app.inject({
          url: `/api/v1/teams/${team.id}/plans?from=${table.athletes[0]!.plans!.weekStart}`,
          headers: { authorization: `Bearer ${coach.json().token}` },
        })
      ).json(),
    );
    expect(weekPlans.plans.filter((p) => p.athleteId === null).map((p) => p.sport)).toEqual([
      'running',
      'running',
      'running',
      'cycling',
      'running',
    ]);
    // An athlete who stops sharing wellness leaves the table's numbers at once.
    await t.app.deps.db.prisma.teamMember.updateMany({
      where: { teamId: team.id, user: { email: 'athlete2@demo.local' } },
      data: { consentWellness: false },
    });
    const after = teamReadinessResponseSchema.parse(
      (
        await t.app.inject({
          url: `/api/v1/teams/${team.id}/readiness`,
          headers: { authorization: `Bearer ${coach.json().token}` },
        })
      ).json(),
    );
    expect(after.athletes.at(-1)).toMatchObject({ name: 'Demo Athlete 2', shared: false, readiness: null });

    // A restart the same day adds nothing.
    const ids = (
      await t.app.deps.db.prisma.user.findMany({
        where: { email: { endsWith: '@demo.local' }, role: 'athlete' },
      })
    ).map((u) => u.id);
    expect(await ensureDemoHistory(t.app.deps, ids)).toEqual({ sessions: 0, checks: 0 });
    expect(
      await ensureDemoPlans(t.app.deps, { teamId: team.id, coachId: team.createdById, athleteIds: ids }),
    ).toBe(0);
  });
  // Last: it closes the shared app.
  it('a restart closes the sessions the last run left open and streams into new ones', async () => {
    const team = await t.app.deps.db.prisma.team.findFirstOrThrow({
      where: { name: 'Demo Team' },
      include: { members: true },
    });
    const ids = team.members.filter((m) => m.role === 'athlete').map((m) => m.userId);
    const openOf = (app: typeof t.app) =>
      app.deps.db.prisma.trainingSession.findMany({ where: { athleteId: { in: ids }, status: 'open' } });
    let before = await openOf(t.app);
    for (let i = 0; i < 50 && before.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      before = await openOf(t.app);
    }
    expect(before).toHaveLength(3);
    await t.app.close();
    const again = await buildApp({ config: t.config });
    try {
      await again.ready();
      const old = await again.deps.db.prisma.trainingSession.findMany({
        where: { id: { in: before.map((s) => s.id) } },
      });
      expect(old.map((s) => s.status)).toEqual(['closed', 'closed', 'closed']);
      let fresh = await openOf(again);
      for (let i = 0; i < 50 && fresh.length < 3; i++) {
        await new Promise((r) => setTimeout(r, 200));
        fresh = await openOf(again);
      }
      expect(fresh).toHaveLength(3);
      expect(fresh.some((s) => before.some((b) => b.id === s.id))).toBe(false);
    } finally {
      await again.close();
    }
  });
});

describe('simulator CLI', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await buildTestApp({ overrides: { LIVE_FLUSH_INTERVAL_MS: 50 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => t?.close());

  it('sets up a demo team over REST and streams every sample until acknowledged', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/simulator/src/cli.ts',
        '--url',
        url,
        '--setup',
        '--athletes',
        '3',
        '--gateway-size',
        '2',
        '--rate',
        '5',
        '--duration',
        '2',
        '--json',
      ],
      { cwd: root, timeout: 60_000 },
    );
    const totals = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(totals).toMatchObject({ athletes: 3, connections: 2, pending: 0, rejected: 0 });
    expect(totals.sent).toBeGreaterThan(15);
    expect(totals.acked).toBe(totals.sent);
    const [row] = await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples s JOIN training_sessions ts ON ts.id = s.session_id WHERE ts.source = 'simulator'`,
    );
    expect(row?.n).toBe(totals.acked);

    // Setup saved each simulated athlete's HR profile: the one the simulator streams them with.
    const stored = await t.app.deps.db.prisma.athleteProfile.findMany({
      where: { user: { email: { endsWith: '@sim.local' }, role: 'athlete' } },
      include: { user: { select: { email: true } } },
    });
    expect(stored).toHaveLength(3);
    for (const p of stored) {
      const n = Number(/^athlete(\d+)-/.exec(p.user.email)![1]);
      expect(p).toMatchObject(simulatedProfile(n - 1));
    }

    const bad = await run(
      process.execPath,
      ['--import', 'tsx', 'apps/simulator/src/cli.ts', '--url', 'ftp://x'],
      {
        cwd: root,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--url must start with http') });
    const badSlices = await run(
      process.execPath,
      ['--import', 'tsx', 'apps/simulator/src/cli.ts', '--slices', '0'],
      { cwd: root },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(badSlices).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--slices must be a positive number'),
    });
    const badRest = await run(
      process.execPath,
      ['--import', 'tsx', 'apps/simulator/src/cli.ts', '--rest', 'soon'],
      { cwd: root },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(badRest).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--rest must be a non-negative number'),
    });
  });

  it('setup saves every simulated athlete an HR profile, and saving again changes nothing', async () => {
    const demo = await setupDemo({ baseUrl: url, athletes: 2, gatewaySize: 50, log: () => {} });
    const coach = { authorization: `Bearer ${demo.coach.token}` };
    for (const [i, a] of demo.athletes.entries()) {
      expect(a.profile).toEqual(simulatedProfile(i));
      // The coach sees the zones that profile gives (Karvonen from the saved HR max and rest).
      const summary = await t.app.inject({ url: `/api/v1/athletes/${a.id}/profile`, headers: coach });
      expect(summary.statusCode).toBe(200);
      const hrRest = a.profile.hrRest!;
      const hrMax = a.profile.hrMax!;
      expect(summary.json().profile).toMatchObject({
        hrMax,
        hrMaxSource: 'profile',
        hrRest,
        zonesDerived: true,
      });
      expect(summary.json().profile.zones[2].min).toBe(Math.round(hrRest + 0.7 * (hrMax - hrRest)));
      const before = await t.app.deps.db.prisma.athleteProfile.findUniqueOrThrow({ where: { userId: a.id } });
      await saveSimulatedProfile(url, a.token, i);
      const after = await t.app.deps.db.prisma.athleteProfile.findUniqueOrThrow({ where: { userId: a.id } });
      // The same values again (the API still stamps updatedAt on a PUT).
      expect({ ...after, updatedAt: null }).toEqual({ ...before, updatedAt: null });
    }
    expect(demo.athletes[0]!.profile).not.toEqual(demo.athletes[1]!.profile);
  });
});
