import { summariseSession } from '@athlete/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import {
  createLiveWorld,
  createUser,
  type LiveWorld,
  listen,
  samplesFor,
  TestSocket,
} from './live-fixtures.ts';

describe('live sessions and reads (services mode)', () => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (token: string, url: string) => t.app.inject({ url, headers: auth(token) });

  beforeAll(async () => {
    t = await buildTestApp({ overrides: { LIVE_SESSION_IDLE_SECONDS: 3, LIVE_FLUSH_INTERVAL_MS: 50 } });
    w = await createLiveWorld(t.app.deps, { hrMax: 190, hrRest: 50 });
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it('summarises a stopped session (zones, TRIMP) and adds its load to the daily live row', async () => {
    const start = Date.now() - 200_000;
    const samples = samplesFor(undefined, 120, { start, hr: (i) => 100 + i });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: auth(w.a1.token),
      payload: { samples },
    });
    expect(res.json().accepted).toBe(120);
    const open = await get(w.a1.token, `/api/v1/athletes/${w.a1.id}/sessions`);
    const [session] = open.json().sessions;
    expect(session).toMatchObject({ status: 'open', source: 'live', athleteId: w.a1.id });

    const viewer = await TestSocket.open(`${base}/ws/live?athleteId=${w.a1.id}`, w.coach.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    const stop = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sessions/${session.id}/stop`,
      headers: auth(w.a1.token),
    });
    expect(stop.statusCode).toBe(200);
    const closed = stop.json().session;
    const expected = summariseSession(
      samples.map((s) => ({
        ts: s.ts as number,
        hr: s.hr as number,
        speed: s.speed as number,
        distance: s.distance as number,
      })),
      { hrMax: 190, hrRest: 50 },
    );
    expect(closed.status).toBe('closed');
    expect(closed.durationS).toBe(119);
    expect(closed.distanceM).toBeCloseTo(expected.distanceM, 5);
    expect(closed.maxHr).toBe(219);
    expect(closed.avgHr).toBeCloseTo(expected.avgHr!, 5);
    expect(closed.timeInZonesS).toEqual(expected.timeInZonesS);
    expect(closed.timeInZonesS.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
    expect(closed.trimp).toBeCloseTo(expected.trimp!, 6);
    const event = await viewer.waitFor((m) => m.type === 'session' && m.event === 'stopped');
    expect(event).toMatchObject({ athleteId: w.a1.id, sessionId: session.id });
    viewer.close();

    const day = new Date(start).toISOString().slice(0, 10);
    const daily = await get(w.a1.token, `/api/v1/athletes/${w.a1.id}/daily?from=${day}&to=${day}`);
    expect(daily.statusCode).toBe(200);
    expect(daily.json().daily).toEqual([
      expect.objectContaining({
        athleteId: w.a1.id,
        date: day,
        source: 'live',
        trainingLoad: expect.any(Number),
      }),
    ]);
    expect(daily.json().daily[0].trainingLoad).toBeCloseTo(expected.trimp!, 6);

    // Stopping twice changes nothing (the load is added once).
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/sessions/${session.id}/stop`,
      headers: auth(w.a1.token),
    });
    const again = await get(w.a1.token, `/api/v1/athletes/${w.a1.id}/daily?from=${day}&to=${day}`);
    expect(again.json().daily[0].trainingLoad).toBeCloseTo(expected.trimp!, 6);

    const one = await get(w.coach.token, `/api/v1/sessions/${session.id}`);
    expect(one.json().session).toMatchObject({ id: session.id, status: 'closed', trimp: closed.trimp });
    const points = await get(w.coach.token, `/api/v1/sessions/${session.id}/samples?maxPoints=20`);
    expect(points.statusCode).toBe(200);
    const body = points.json();
    expect(body).toMatchObject({ sessionId: session.id, total: 120, downsampled: true });
    expect(body.samples.length).toBeLessThanOrEqual(20);
    expect(body.samples[0].ts).toBe(start);
    expect(body.samples.at(-1).ts).toBe(start + 119_000);
    const full = await get(w.a1.token, `/api/v1/sessions/${session.id}/samples?maxPoints=500`);
    expect(full.json().samples).toHaveLength(120);
    expect(full.json().downsampled).toBe(false);
  });

  it('closes a session after LIVE_SESSION_IDLE_SECONDS without samples; the next sample opens a new one', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: auth(w.a2.token),
      payload: { samples: samplesFor(undefined, 3) },
    });
    expect(first.json().accepted).toBe(3);
    const deadline = Date.now() + 8_000;
    let rows = await t.app.deps.db.prisma.trainingSession.findMany({ where: { athleteId: w.a2.id } });
    while (rows[0]?.status !== 'closed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await t.app.deps.db.prisma.trainingSession.findMany({ where: { athleteId: w.a2.id } });
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'closed', durationS: 2 });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: auth(w.a2.token),
      payload: { samples: samplesFor(undefined, 1, { start: Date.now() }) },
    });
    const after = await t.app.deps.db.prisma.trainingSession.findMany({
      where: { athleteId: w.a2.id },
      orderBy: { startedAt: 'asc' },
    });
    expect(after.map((s) => s.status)).toEqual(['closed', 'open']);
  });

  it('pages the session list on (startedAt, id): ties at one start time are neither skipped nor repeated', async () => {
    const athlete = await createUser(t.app.deps, 'athlete');
    const t0 = Date.parse('2026-03-10T08:00:00.000Z');
    // 52 sessions, an hour apart, except 7 sharing t0 exactly; a page boundary falls among them.
    const starts = Array.from({ length: 52 }, (_, i) => (i < 7 ? t0 : t0 - (i - 6) * 3_600_000));
    await t.app.deps.db.prisma.trainingSession.createMany({
      data: starts.map((ms, i) => ({
        athleteId: athlete.id,
        source: 'file' as const,
        externalId: `paging-${i}`,
        status: 'closed' as const,
        startedAt: new Date(ms),
        endedAt: new Date(ms + 1_800_000),
      })),
    });
    const expected = (
      await t.app.deps.db.query<{ id: string }>(
        'SELECT id FROM training_sessions WHERE athlete_id = $1 ORDER BY started_at DESC, id DESC',
        [athlete.id],
      )
    ).map((r) => r.id);
    const url = `/api/v1/athletes/${athlete.id}/sessions`;

    // Without ?limit: the whole range (up to 500), as before paging existed.
    const all = await get(athlete.token, url);
    expect(all.json()).toEqual({ sessions: expect.any(Array), nextCursor: null });
    expect(all.json().sessions.map((x: { id: string }) => x.id)).toEqual(expected);

    // Pages of 50: a cursor, then the rest on the next page, which is the last.
    const first = await get(athlete.token, `${url}?limit=50`);
    expect(first.statusCode).toBe(200);
    expect(first.json().sessions).toHaveLength(50);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    const rest = await get(athlete.token, `${url}?limit=50&cursor=${first.json().nextCursor}`);
    expect(rest.json()).toEqual({ sessions: expect.any(Array), nextCursor: null });
    expect([...first.json().sessions, ...rest.json().sessions].map((x: { id: string }) => x.id)).toEqual(
      expected,
    );

    // Pages of 3 cut through the seven tied sessions twice.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(athlete.token, `${url}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { sessions: Array<{ id: string }>; nextCursor: string | null };
      expect(body.sessions.length).toBeLessThanOrEqual(3);
      seen.push(...body.sessions.map((x) => x.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 30);
    expect(pages).toBe(18);
    expect(seen).toEqual(expected);

    // Paging keeps the ?from&to range.
    const from = new Date(t0 - 3 * 3_600_000).toISOString();
    const ranged = await get(athlete.token, `${url}?from=${from}&limit=5`);
    expect(ranged.json().sessions.map((x: { id: string }) => x.id)).toEqual(expected.slice(0, 5));
    const rangedRest = await get(
      athlete.token,
      `${url}?from=${from}&limit=5&cursor=${ranged.json().nextCursor}`,
    );
    expect(rangedRest.json()).toEqual({ sessions: expect.any(Array), nextCursor: null });
    expect(rangedRest.json().sessions.map((x: { id: string }) => x.id)).toEqual(expected.slice(5, 10));

    // A cursor that was not given out, and a limit out of bounds, are 400s naming the field.
    const bad = await get(athlete.token, `${url}?cursor=not-a-cursor`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('querystring.cursor'),
    });
    const tooMany = await get(athlete.token, `${url}?limit=501`);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toContain('querystring.limit');
  });

  it('starts a session explicitly and guards reads by access', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: auth(w.gatewayKey),
      payload: { athleteId: w.a1.id },
    });
    expect(started.statusCode).toBe(201);
    expect(started.json().session).toMatchObject({ athleteId: w.a1.id, status: 'open' });
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: auth(w.gatewayKey),
      payload: { athleteId: w.outsider.id },
    });
    expect(denied.statusCode).toBe(403);

    expect((await get(w.otherCoach.token, `/api/v1/athletes/${w.a1.id}/sessions`)).statusCode).toBe(403);
    expect((await get(w.outsider.token, `/api/v1/sessions/${started.json().session.id}`)).statusCode).toBe(
      403,
    );
    expect((await t.app.inject({ url: `/api/v1/athletes/${w.a1.id}/sessions` })).statusCode).toBe(401);
    expect((await get(w.a1Key, `/api/v1/athletes/${w.a1.id}/sessions`)).statusCode).toBe(403);
    const bad = await get(w.a1.token, `/api/v1/athletes/${w.a1.id}/sessions?from=2026-13-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('querystring.from');
    expect((await get(w.a1.token, '/api/v1/sessions/not-a-uuid')).statusCode).toBe(400);
    expect((await get(w.admin.token, `/api/v1/sessions/${crypto.randomUUID()}`)).statusCode).toBe(404);

    // Without sessions consent the coach loses the history but keeps nothing cached.
    expect((await get(w.coach.token, `/api/v1/athletes/${w.a1.id}/sessions`)).statusCode).toBe(200);
    await t.app.deps.db.prisma.teamMember.update({
      where: { teamId_userId: { teamId: w.teamId, userId: w.a1.id } },
      data: { consentSessions: false },
    });
    expect((await get(w.coach.token, `/api/v1/athletes/${w.a1.id}/sessions`)).statusCode).toBe(403);
  });
  it('takes ids in any case: an upper-case id names the same athlete and session', async () => {
    const upper = w.a2.id.toUpperCase();
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: auth(w.a2.token),
      payload: { athleteId: upper },
    });
    expect(started.statusCode).toBe(201);
    const session = started.json().session;
    expect(session.athleteId).toBe(w.a2.id);
    // Starting again in lower case finds the same open session rather than a second one.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: auth(w.a2.token),
      payload: { athleteId: w.a2.id },
    });
    expect(again.json().session.id).toBe(session.id);
    const listed = await get(w.coach.token, `/api/v1/athletes/${upper}/sessions`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().sessions.map((x: { id: string }) => x.id)).toContain(session.id);
    const one = await get(w.a2.token, `/api/v1/sessions/${session.id.toUpperCase()}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().session.id).toBe(session.id);
  });
});
