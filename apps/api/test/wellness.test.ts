import { srpeSeriesResponseSchema, wellnessListResponseSchema } from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, NONE, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('wellness form and session RPE (services mode)', () => {
  let t: TestApp;
  let athlete: TestUser;
  let coach: TestUser;
  let coachNoConsent: TestUser;
  const today = new Date().toISOString().slice(0, 10);
  const answers = { sleepQuality: 4, fatigue: 2, soreness: 3, stress: 4, mood: 5 };

  beforeAll(async () => {
    t = await buildTestApp();
    [athlete, coach, coachNoConsent] = await Promise.all([
      createUser(t.app, 'athlete', 'Ada'),
      createUser(t.app, 'coach', 'Coach'),
      createUser(t.app, 'coach', 'Blind'),
    ]);
    await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
    await createTeamWith(t.app, coachNoConsent, [{ user: athlete, consent: NONE }]);
  });
  afterAll(async () => t?.close());

  const session = async (minutes: number, startedAt: Date, status: 'open' | 'closed' = 'closed') =>
    (
      await t.app.deps.db.prisma.trainingSession.create({
        data: {
          athleteId: athlete.id,
          source: 'file',
          status,
          startedAt,
          durationS: status === 'closed' ? minutes * 60 : null,
          timeInZonesS: [],
        },
      })
    ).id;

  it('reminds until today is answered, then serves the answers to the athlete and a consented coach', async () => {
    const before = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/wellness`,
      headers: bearer(athlete.token),
    });
    expect(wellnessListResponseSchema.parse(before.json()).today).toEqual({ date: today, missing: true });

    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/wellness/${today}`,
      headers: bearer(athlete.token),
      payload: { ...answers, note: ' slept late ' },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().entry).toMatchObject({ ...answers, note: 'slept late', score: 3.6, date: today });

    // Answering again replaces the day's answers.
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/wellness/${today}`,
      headers: bearer(athlete.token),
      payload: { ...answers, mood: 1 },
    });
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/wellness`,
      headers: bearer(coach.token),
    });
    const list = wellnessListResponseSchema.parse(seen.json());
    expect(list.today.missing).toBe(false);
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]).toMatchObject({ mood: 1, note: null, score: 2.8 });

    const blind = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/wellness`,
      headers: bearer(coachNoConsent.token),
    });
    expect(blind.statusCode).toBe(403);
  });

  it('refuses answers off the 1–5 scale and future days, naming the field, storing nothing', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/wellness/${new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)}`,
      headers: bearer(athlete.token),
      payload: { ...answers, soreness: 6 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(bad.json().error)).toContain('soreness');
    const future = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/wellness/${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)}`,
      headers: bearer(athlete.token),
      payload: answers,
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toMatch(/future/);
    expect(await t.app.deps.db.prisma.wellnessEntry.count({ where: { athleteId: athlete.id } })).toBe(1);
  });

  it('rates a finished session: sRPE load = RPE × minutes, summed per day beside unrated sessions', async () => {
    const dayStart = new Date(`${today}T00:00:00Z`).getTime();
    const morning = await session(45, new Date(dayStart + 60_000));
    const evening = await session(30, new Date(dayStart + 120_000));
    await session(20, new Date(dayStart + 180_000)); // left unrated

    const rate = (id: string, rpe: unknown, token = athlete.token) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/sessions/${id}/rpe`,
        headers: bearer(token),
        payload: { rpe },
      });
    const first = await rate(morning, 7);
    expect(first.statusCode).toBe(200);
    expect(first.json().rpe).toMatchObject({ rpe: 7, durationMin: 45, load: 315 });
    expect((await rate(evening, 4.5)).json().rpe.load).toBe(135);

    const series = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/srpe?from=${today}&to=${today}`,
      headers: bearer(coach.token),
    });
    const parsed = srpeSeriesResponseSchema.parse(series.json());
    expect(parsed.days).toEqual([{ date: today, load: 450, ratedSessions: 2, unratedSessions: 1 }]);

    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sessions/${morning}/rpe`,
      headers: bearer(coach.token),
    });
    expect(read.json().rpe).toMatchObject({ rpe: 7, load: 315 });
  });

  it('refuses RPE outside 0–10, a coach rating, and a running session, storing nothing', async () => {
    const id = await session(60, new Date(Date.now() - 7_200_000));
    for (const rpe of [11, -1, 3.3, 'hard']) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/sessions/${id}/rpe`,
        headers: bearer(athlete.token),
        payload: { rpe },
      });
      expect(res.statusCode, String(rpe)).toBe(400);
      expect(JSON.stringify(res.json().error), String(rpe)).toContain('rpe');
    }
    const byCoach = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/sessions/${id}/rpe`,
      headers: bearer(coach.token),
      payload: { rpe: 5 },
    });
    expect(byCoach.statusCode).toBe(403);
    const open = await session(0, new Date(), 'open');
    const running = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/sessions/${open}/rpe`,
      headers: bearer(athlete.token),
      payload: { rpe: 5 },
    });
    expect(running.statusCode).toBe(409);
    expect(await t.app.deps.db.prisma.sessionRpe.count({ where: { sessionId: { in: [id, open] } } })).toBe(0);
  });
});
