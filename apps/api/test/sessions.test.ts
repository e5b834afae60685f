import { summariseSession } from '@athlete/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, listen, samplesFor, TestSocket } from './live-fixtures.ts';

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
});
