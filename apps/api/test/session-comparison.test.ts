import { sessionComparisonResponseSchema } from '@athlete/contracts';
import { sampleRow } from '@athlete/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const DAY = 86_400_000;
const RUN_S = 1_200;

describe('session comparison: efficiency factor and decoupling against the last N (services mode)', () => {
  let t: TestApp;
  let ada: TestUser;
  let coach: TestUser;
  let coachNoSessions: TestUser;
  let current: string;
  let ride: string;
  const ids: Record<string, string> = {};
  const now = Date.now();

  /** A closed session; with `hr`/`speed` it gets 1 Hz samples, HR stepping at half time. */
  async function session(opts: {
    key: string;
    daysAgo: number;
    sport?: string;
    durationS?: number;
    source?: 'file' | 'whoop';
    speed?: number;
    hr?: [number, number];
    power?: number;
    summary?: { avgHr: number; distanceM: number };
    offsetMs?: number;
  }) {
    const durationS = opts.durationS ?? RUN_S;
    const startedAt = new Date(now - opts.daysAgo * DAY + (opts.offsetMs ?? 0));
    const row = await t.app.deps.db.prisma.trainingSession.create({
      data: {
        athleteId: ada.id,
        source: opts.source ?? 'file',
        sport: opts.sport ?? 'running',
        status: 'closed',
        startedAt,
        endedAt: new Date(startedAt.getTime() + durationS * 1000),
        durationS,
        timeInZonesS: [],
        name: opts.key,
        avgHr: opts.summary?.avgHr ?? null,
        distanceM: opts.summary?.distanceM ?? null,
      },
    });
    if (opts.hr) {
      const [h1, h2] = opts.hr;
      await t.app.deps.db.insertSamples(
        Array.from({ length: durationS }, (_, i) =>
          sampleRow(ada.id, startedAt.getTime() + i * 1000, {
            sessionId: row.id,
            hr: i < durationS / 2 ? h1 : h2,
            speed: opts.speed ?? null,
            power: opts.power ?? null,
          }),
        ),
      );
    }
    ids[opts.key] = row.id;
    return row.id;
  }

  beforeAll(async () => {
    t = await buildTestApp();
    [ada, coach, coachNoSessions] = await Promise.all([
      createUser(t.app, 'athlete', 'Ada'),
      createUser(t.app, 'coach', 'Coach'),
      createUser(t.app, 'coach', 'Coach Wellness'),
    ]);
    await createTeamWith(t.app, coach, [{ user: ada, consent: ALL }]);
    await createTeamWith(t.app, coachNoSessions, [
      { user: ada, consent: { live: true, sessions: false, wellness: true } },
    ]);
    // Six earlier 20-minute runs: 2.90 … 3.15 m/s, HR 150 then 150 … 155 bpm.
    for (let i = 0; i < 6; i++)
      await session({ key: `run-${i}`, daysAgo: 20 - i * 2, speed: 2.9 + i * 0.05, hr: [150, 150 + i] });
    // Compared too: a WHOOP run known only by its summary (4 km in 20 min at 150 bpm: EF 1.333).
    await session({
      key: 'whoop-run',
      daysAgo: 7,
      source: 'whoop',
      summary: { avgHr: 150, distanceM: 4_000 },
    });
    // Left out: the same run as run-5 from WHOOP, another sport, an hour-long run, a later run.
    await session({
      key: 'run-5-whoop',
      daysAgo: 10,
      source: 'whoop',
      offsetMs: 60_000,
      summary: { avgHr: 152, distanceM: 3_700 },
    });
    ride = await session({ key: 'ride', daysAgo: 3, sport: 'cycling', speed: 8, hr: [140, 140] });
    await session({
      key: 'long-run',
      daysAgo: 4,
      durationS: 3_600,
      summary: { avgHr: 150, distanceM: 10_000 },
    });
    // Today's run: 3.3 m/s with HR 150 → 160: EF 198 / 155 = 1.277, halves 1.32 and 1.2375, 6.25 %.
    current = await session({ key: 'today', daysAgo: 1, speed: 3.3, hr: [150, 160] });
    await session({ key: 'later', daysAgo: 0.5, speed: 3, hr: [150, 150] });
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (id: string, token = ada.token) =>
    t.app.inject({ url: `/api/v1/sessions/${id}/comparison`, headers: bearer(token) });

  it('compares with the same sport at a similar duration, once per activity, most recent first', async () => {
    const res = await get(current);
    expect(res.statusCode, res.body).toBe(200);
    const c = sessionComparisonResponseSchema.parse(res.json()).comparison;
    expect(c).toMatchObject({ basis: 'speed', unit: 'm/min per bpm', reason: null });
    expect(c.efficiency!.ef).toBeCloseTo(198 / 155, 10);
    expect(c.efficiency!.firstHalfEf).toBeCloseTo(1.32, 10);
    expect(c.efficiency!.secondHalfEf).toBeCloseTo(1.2375, 10);
    expect(c.efficiency!.decouplingPct).toBeCloseTo(6.25, 10);
    expect(c.history.map((h) => h.name)).toEqual([
      'whoop-run',
      'run-5',
      'run-4',
      'run-3',
      'run-2',
      'run-1',
      'run-0',
    ]);
    const whoop = c.history[0]!.efficiency;
    expect(whoop).toMatchObject({ method: 'summary', decouplingPct: null });
    expect(whoop.ef).toBeCloseTo(200 / 150, 10);
    // run-0: 2.9 m/s at 150 bpm throughout = 174 / 150.
    expect(c.history.at(-1)!.efficiency.ef).toBeCloseTo(1.16, 10);
    expect(c.history.at(-1)!.efficiency.decouplingPct).toBeCloseTo(0, 10);
    expect(c.ef).toMatchObject({ verdict: 'better', n: 7 });
    expect(c.ef!.value).toBeGreaterThan(c.ef!.upper);
    // Decoupling of the six runs with samples: 0, 0.66, 1.32, 1.96, 2.60, 3.23 %.
    expect(c.decoupling).toMatchObject({ verdict: 'worse', n: 6 });
    expect(c.decoupling!.median).toBeCloseTo((1 - 150 / 152 + 1 - 150 / 153) * 50, 6);
    expect(c.rules).toEqual({ lastN: 10, durationTolerance: 0.25, minHistory: 5, k: 1 });
  });

  it('says why when there is nothing to compare', async () => {
    const c = sessionComparisonResponseSchema.parse((await get(ride)).json()).comparison;
    expect(c.efficiency).toBeNull();
    expect(c.reason).toMatch(/this cycling session has no power/);
    const first = sessionComparisonResponseSchema.parse((await get(ids['run-0']!)).json()).comparison;
    expect(first.ef).toBeNull();
    expect(first.reason).toMatch(/^0 earlier running sessions .* a verdict needs 5/);
  });

  it('answers the athlete’s coach when sessions are shared, refuses one with wellness only', async () => {
    expect((await get(current, coach.token)).statusCode).toBe(200);
    const refused = await get(current, coachNoSessions.token);
    expect(refused.statusCode).toBe(403);
    expect((await get('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await get('not-a-session');
    expect(bad.statusCode).toBe(400);
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/api/v1/sessions/{id}/comparison']?.get?.tags).toEqual(['analytics']);
  });
});
