import { notesResponseSchema } from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, NONE, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('notes on sessions and days (services mode)', () => {
  let t: TestApp;
  let athlete: TestUser;
  let coach: TestUser;
  let blindCoach: TestUser;
  let sessionId: string;
  const day = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await buildTestApp();
    [athlete, coach, blindCoach] = await Promise.all([
      createUser(t.app, 'athlete', 'Ada'),
      createUser(t.app, 'coach', 'Coach Carla'),
      createUser(t.app, 'coach', 'Blind'),
    ]);
    await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
    await createTeamWith(t.app, blindCoach, [{ user: athlete, consent: NONE }]);
    sessionId = (
      await t.app.deps.db.prisma.trainingSession.create({
        data: {
          athleteId: athlete.id,
          source: 'file',
          status: 'closed',
          startedAt: new Date(),
          timeInZonesS: [],
        },
      })
    ).id;
  });
  afterAll(async () => t?.close());

  const post = (url: string, token: string, body: unknown) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload: { body } });

  it('a coach writes on a session, the athlete replies, both read the thread in order', async () => {
    const url = `/api/v1/sessions/${sessionId}/notes`;
    const first = await post(url, coach.token, 'Strong finish, watch the first 5 minutes');
    expect(first.statusCode).toBe(201);
    const reply = await post(url, athlete.token, '  Thanks, legs were cold  ');
    expect(reply.statusCode).toBe(201);
    for (const token of [athlete.token, coach.token]) {
      const res = await t.app.inject({ url, headers: bearer(token) });
      const { notes } = notesResponseSchema.parse(res.json());
      expect(notes.map((n) => [n.author.name, n.author.role, n.body])).toEqual([
        ['Coach Carla', 'coach', 'Strong finish, watch the first 5 minutes'],
        ['Ada', 'athlete', 'Thanks, legs were cold'],
      ]);
      expect(notes.every((n) => n.sessionId === sessionId && n.date === null)).toBe(true);
    }
  });

  it('keeps day threads apart from session threads', async () => {
    const url = `/api/v1/athletes/${athlete.id}/days/${day}/notes`;
    expect((await post(url, coach.token, 'Rest day, sleep early')).statusCode).toBe(201);
    const { notes } = notesResponseSchema.parse(
      (await t.app.inject({ url, headers: bearer(athlete.token) })).json(),
    );
    expect(notes.map((n) => n.body)).toEqual(['Rest day, sleep early']);
    expect(notes[0]).toMatchObject({ date: day, sessionId: null });
  });

  it('refuses a note on a session the coach cannot see, an empty note, and stores nothing', async () => {
    const before = await t.app.deps.db.prisma.note.count();
    const blind = await post(`/api/v1/sessions/${sessionId}/notes`, blindCoach.token, 'Hello');
    expect(blind.statusCode).toBe(403);
    expect(blind.json().error.message).toMatch(/not allowed to see this athlete's sessions/);
    const dayBlind = await post(`/api/v1/athletes/${athlete.id}/days/${day}/notes`, blindCoach.token, 'Hi');
    expect(dayBlind.statusCode).toBe(403);
    const empty = await post(`/api/v1/sessions/${sessionId}/notes`, coach.token, '   ');
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json().error)).toContain('body');
    const missing = await post(
      `/api/v1/sessions/00000000-0000-4000-8000-000000000000/notes`,
      coach.token,
      'x',
    );
    expect(missing.statusCode).toBe(404);
    expect(await t.app.deps.db.prisma.note.count()).toBe(before);
  });
});
