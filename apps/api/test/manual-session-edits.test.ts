import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, multipartFile as multipart, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

/** Banister TRIMP on an average HR (HR max 190, rest 60 assumed, sex unknown: mean of both weights). */
function trimp(hr: number, seconds: number) {
  const x = (hr - 60) / 130;
  return (seconds / 60) * x * ((0.64 * Math.exp(1.92 * x) + 0.86 * Math.exp(1.67 * x)) / 2);
}

describe('editing and deleting manual sessions (services mode)', () => {
  let t: TestApp;
  let athlete: TestAthlete;
  beforeAll(async () => {
    t = await buildTestApp();
    athlete = await registerAthlete(t.app);
  });
  afterAll(async () => t?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, who = athlete) =>
    t.app.inject({ method, url, headers: who.auth, ...(payload === undefined ? {} : { payload }) });
  const create = async (payload: Record<string, unknown>) => {
    const res = await call('POST', '/api/v1/sessions/manual', payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().session as { id: string };
  };
  const srpeDay = async (day: string) =>
    (await call('GET', `/api/v1/athletes/${athlete.id}/srpe?from=${day}&to=${day}`)).json().days;
  const loadDay = async (day: string) =>
    (await call('GET', `/api/v1/athletes/${athlete.id}/load?from=${day}&to=${day}`)).json().load;

  it('edits the fields sent, and the rating, sRPE and TRIMP follow', async () => {
    const { id } = await create({
      sport: 'strength',
      startedAt: '2026-11-10T17:00:00Z',
      durationS: 3600,
      distanceM: 500,
      rpe: 6,
      name: 'Gym',
      note: 'Legs',
    });
    // RPE 6 × 60 min.
    expect(await srpeDay('2026-11-10')).toEqual([
      { date: '2026-11-10', load: 360, ratedSessions: 1, unratedSessions: 0 },
    ]);

    const res = await call('PATCH', `/api/v1/sessions/manual/${id}`, {
      durationS: 1800,
      rpe: 8,
      avgHr: 140,
      maxHr: 160,
      distanceM: null,
      name: 'Short gym',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().session).toMatchObject({
      id,
      source: 'manual',
      sport: 'strength',
      name: 'Short gym',
      startedAt: '2026-11-10T17:00:00.000Z',
      endedAt: '2026-11-10T17:30:00.000Z',
      durationS: 1800,
      movingTimeS: 1800,
      distanceM: null,
      avgSpeed: null,
      avgHr: 140,
      maxHr: 160,
    });
    // RPE 8 × 30 min = 240: the rating's duration follows the edit.
    expect((await call('GET', `/api/v1/sessions/${id}/rpe`)).json().rpe).toMatchObject({
      rpe: 8,
      durationMin: 30,
      load: 240,
    });
    expect(await srpeDay('2026-11-10')).toEqual([
      { date: '2026-11-10', load: 240, ratedSessions: 1, unratedSessions: 0 },
    ]);
    // With an average HR now, the daily TRIMP counts it by Banister on 140 bpm for 30 min.
    const load = await loadDay('2026-11-10');
    expect(load.sessions).toEqual([expect.objectContaining({ id, method: 'avg-hr', counted: true })]);
    expect(load.sessions[0].load).toBeCloseTo(trimp(140, 1800), 6);
    expect(load.days[0].load).toBeCloseTo(trimp(140, 1800), 6);

    // Moved to the next day: the load moves with it.
    const moved = await call('PATCH', `/api/v1/sessions/manual/${id}`, { startedAt: '2026-11-11T07:00:00Z' });
    expect(moved.json().session).toMatchObject({
      startedAt: '2026-11-11T07:00:00.000Z',
      endedAt: '2026-11-11T07:30:00.000Z',
      name: 'Short gym',
    });
    expect((await loadDay('2026-11-10')).sessions).toEqual([]);
    expect((await loadDay('2026-11-11')).days[0].load).toBeCloseTo(trimp(140, 1800), 6);
    expect(await srpeDay('2026-11-11')).toEqual([
      { date: '2026-11-11', load: 240, ratedSessions: 1, unratedSessions: 0 },
    ]);

    // RPE null removes the rating: the session stays, unrated.
    const unrated = await call('PATCH', `/api/v1/sessions/manual/${id}`, {
      rpe: null,
      avgHr: null,
      maxHr: null,
    });
    expect(unrated.statusCode, unrated.body).toBe(200);
    expect((await call('GET', `/api/v1/sessions/${id}/rpe`)).json()).toEqual({ rpe: null });
    expect(await srpeDay('2026-11-11')).toEqual([
      { date: '2026-11-11', load: 0, ratedSessions: 0, unratedSessions: 1 },
    ]);
    expect((await loadDay('2026-11-11')).sessions).toEqual([
      expect.objectContaining({ id, method: 'none', load: null }),
    ]);
  });

  it('deletes a manual session with its rating and notes; the load no longer counts it', async () => {
    const { id } = await create({
      sport: 'running',
      startedAt: '2026-11-12T06:00:00Z',
      durationS: 2400,
      rpe: 5,
      avgHr: 150,
      note: 'Easy',
    });
    expect((await loadDay('2026-11-12')).sessions).toHaveLength(1);
    const res = await call('DELETE', `/api/v1/sessions/manual/${id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await call('GET', `/api/v1/sessions/${id}`)).statusCode).toBe(404);
    expect((await loadDay('2026-11-12')).sessions).toEqual([]);
    expect((await loadDay('2026-11-12')).days[0].load).toBe(0);
    expect(await srpeDay('2026-11-12')).toEqual([
      { date: '2026-11-12', load: 0, ratedSessions: 0, unratedSessions: 0 },
    ]);
    expect(await t.app.deps.db.prisma.note.count({ where: { sessionId: id } })).toBe(0);
    expect(await t.app.deps.db.prisma.sessionRpe.count({ where: { sessionId: id } })).toBe(0);
    const again = await call('DELETE', `/api/v1/sessions/manual/${id}`);
    expect(again.statusCode).toBe(404);
  });

  it('refuses recorded sessions, other athletes and bad input in words, changing nothing', async () => {
    const { id } = await create({
      sport: 'cycling',
      startedAt: '2026-11-13T08:00:00Z',
      durationS: 3600,
      avgHr: 140,
      maxHr: 150,
    });
    const gpx =
      '<gpx version="1.1" creator="t"><trk><trkseg>' +
      '<trkpt lat="60" lon="10"><time>2026-11-14T08:00:00Z</time></trkpt><trkpt lat="60.001" lon="10"><time>2026-11-14T08:00:10Z</time></trkpt>' +
      '</trkseg></trk></gpx>';
    const body = multipart('ride.gpx', gpx);
    const file = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: body.payload,
      headers: { ...body.headers, ...athlete.auth },
    });
    expect(file.statusCode, file.body).toBe(201);
    const recorded = file.json().session.id as string;
    const editRecorded = await call('PATCH', `/api/v1/sessions/manual/${recorded}`, { durationS: 60 });
    expect(editRecorded.statusCode).toBe(409);
    expect(editRecorded.json().error.message).toBe(
      'Only sessions entered by hand can be edited here; this one was recorded (source: file)',
    );
    const deleteRecorded = await call('DELETE', `/api/v1/sessions/manual/${recorded}`);
    expect(deleteRecorded.statusCode).toBe(409);
    expect(deleteRecorded.json().error.message).toBe(
      'Only sessions entered by hand can be deleted here; this one was recorded (source: file)',
    );

    const other = await registerAthlete(t.app);
    const foreignEdit = await call('PATCH', `/api/v1/sessions/manual/${id}`, { name: 'Mine' }, other);
    expect([foreignEdit.statusCode, foreignEdit.json().error.message]).toEqual([
      403,
      'Only the athlete who trained can edit a session',
    ]);
    const foreignDelete = await call('DELETE', `/api/v1/sessions/manual/${id}`, undefined, other);
    expect([foreignDelete.statusCode, foreignDelete.json().error.message]).toEqual([
      403,
      'Only the athlete who trained can delete a session',
    ]);
    expect(
      (await call('PATCH', '/api/v1/sessions/manual/00000000-0000-4000-8000-000000000000', { name: 'x' }))
        .statusCode,
    ).toBe(404);

    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /must change at least one field/],
      [{ durationS: 0 }, /body\.durationS.*more than 0 seconds/],
      [{ durationS: 90_000 }, /body\.durationS.*at most 24 hours/],
      [{ maxHr: 130 }, /body\.maxHr: must not be below the average HR/],
      [{ avgHr: 155 }, /body\.avgHr: must not be above the max HR \(150 bpm\)/],
      [{ startedAt: '2099-01-01T00:00:00Z' }, /body\.startedAt: must be in the past/],
      [{ startedAt: 'yesterday' }, /body\.startedAt/],
      [{ note: 'x' }, /note/],
      [{ rpe: 11 }, /body\.rpe/],
      [{ distanceM: -5 }, /body\.distanceM: must not be negative/],
    ];
    for (const [payload, message] of cases) {
      const res = await call('PATCH', `/api/v1/sessions/manual/${id}`, payload);
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(400);
      expect(res.json().error.message, res.body).toMatch(message);
    }
    expect((await call('GET', `/api/v1/sessions/${id}`)).json().session).toMatchObject({
      durationS: 3600,
      avgHr: 140,
      maxHr: 150,
      startedAt: '2026-11-13T08:00:00.000Z',
    });
  });
});
