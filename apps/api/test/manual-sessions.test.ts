import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, multipartFile as multipart, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

const GPX = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="hand" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>Metadata name</name></metadata>
  <trk><name>Lunch ride by the fjord</name><type>cycling</type><trkseg>
    <trkpt lat="59.9000" lon="10.7000"><time>2026-11-20T11:00:00Z</time></trkpt>
    <trkpt lat="59.9010" lon="10.7000"><time>2026-11-20T11:00:10Z</time></trkpt>
    <trkpt lat="59.9020" lon="10.7000"><time>2026-11-20T11:00:20Z</time></trkpt>
  </trkseg></trk>
</gpx>`;

describe('manual sessions, names and the sport filter (services mode)', () => {
  let t: TestApp;
  let athlete: TestAthlete;
  beforeAll(async () => {
    t = await buildTestApp();
    athlete = await registerAthlete(t.app);
  });
  afterAll(async () => t?.close());

  const post = (payload: Record<string, unknown>, who = athlete) =>
    t.app.inject({ method: 'POST', url: '/api/v1/sessions/manual', headers: who.auth, payload });
  const list = (query = '') =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/sessions${query}`,
      headers: athlete.auth,
    });

  it('stores a manual session with its rating and note; RPE × minutes is its load', async () => {
    const res = await post({
      sport: 'Strength',
      startedAt: '2026-11-18T17:00:00+01:00',
      durationS: 2700,
      distanceM: 0,
      rpe: 7,
      name: '  Gym: legs  ',
      note: 'Squats felt heavy',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { session } = res.json();
    expect(session).toMatchObject({
      source: 'manual',
      sport: 'strength',
      name: 'Gym: legs',
      status: 'closed',
      startedAt: '2026-11-18T16:00:00.000Z',
      endedAt: '2026-11-18T16:45:00.000Z',
      durationS: 2700,
      distanceM: 0,
      avgHr: null,
      trimp: null,
    });
    const rpe = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sessions/${session.id}/rpe`,
      headers: athlete.auth,
    });
    expect(rpe.json().rpe).toMatchObject({ rpe: 7, durationMin: 45, load: 315 });
    const notes = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sessions/${session.id}/notes`,
      headers: athlete.auth,
    });
    expect(notes.json().notes.map((n: { body: string }) => n.body)).toEqual(['Squats felt heavy']);

    const srpe = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/srpe?from=2026-11-18&to=2026-11-18`,
      headers: athlete.auth,
    });
    expect(srpe.json().days).toEqual([
      { date: '2026-11-18', load: 315, ratedSessions: 1, unratedSessions: 0 },
    ]);
    // Without HR it has no TRIMP: the load series lists it as such rather than as zero.
    const load = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/load?from=2026-11-18&to=2026-11-18`,
      headers: athlete.auth,
    });
    expect(load.json().load.sessions).toEqual([
      expect.objectContaining({
        id: session.id,
        source: 'manual',
        load: null,
        method: 'none',
        counted: true,
      }),
    ]);
  });

  it('counts a manual session with an average HR in the daily TRIMP', async () => {
    const res = await post({
      sport: 'running',
      startedAt: '2026-11-19T06:00:00Z',
      durationS: 3600,
      avgHr: 150,
      maxHr: 171,
    });
    expect(res.statusCode, res.body).toBe(201);
    const load = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/load?from=2026-11-19&to=2026-11-19`,
      headers: athlete.auth,
    });
    const body = load.json().load;
    expect(body.sessions).toEqual([
      expect.objectContaining({ source: 'manual', method: 'avg-hr', counted: true }),
    ]);
    expect(body.sessions[0].load).toBeGreaterThan(0);
    expect(body.days[0].load).toBeCloseTo(body.sessions[0].load, 6);
  });

  it('refuses bad input with 400 naming the field, storing nothing', async () => {
    const before = await t.app.deps.db.prisma.trainingSession.count({ where: { athleteId: athlete.id } });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ startedAt: '2026-11-18T17:00:00Z', durationS: 60 }, 'body.sport', /is required/],
      [{ sport: 'running', startedAt: 'yesterday', durationS: 60 }, 'body.startedAt', /date/],
      [
        { sport: 'running', startedAt: '2026-11-18T17:00:00Z', durationS: 0 },
        'body.durationS',
        /more than 0/,
      ],
      [
        { sport: 'running', startedAt: '2026-11-18T17:00:00Z', durationS: 90_000 },
        'body.durationS',
        /24 hours/,
      ],
      [
        { sport: 'running', startedAt: '2026-11-18T17:00:00Z', durationS: 60, rpe: 11 },
        'body.rpe',
        /0 to 10/,
      ],
      [
        { sport: 'running', startedAt: '2026-11-18T17:00:00Z', durationS: 60, distanceM: -5 },
        'body.distanceM',
        /negative/,
      ],
      [
        { sport: 'running', startedAt: '2026-11-18T17:00:00Z', durationS: 60, avgHr: 160, maxHr: 150 },
        'body.maxHr',
        /average/,
      ],
      [{ sport: 'run!', startedAt: '2026-11-18T17:00:00Z', durationS: 60 }, 'body.sport', /sport name/],
      [
        { sport: 'running', startedAt: '2026-11-18T17:00:00Z', durationS: 60, hr: 150 },
        'body',
        /does not know: hr/,
      ],
      [
        { sport: 'running', startedAt: new Date(Date.now() + 3_600_000).toISOString(), durationS: 60 },
        'body.startedAt',
        /past/,
      ],
      [{ sport: 'running', startedAt: '1989-12-31T23:00:00Z', durationS: 60 }, 'body.startedAt', /1990/],
    ];
    for (const [payload, field, message] of cases) {
      const res = await post(payload);
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(400);
      const { error } = res.json();
      expect(error.message, res.body).toContain(field);
      expect(error.message, res.body).toMatch(message);
    }
    expect(await t.app.deps.db.prisma.trainingSession.count({ where: { athleteId: athlete.id } })).toBe(
      before,
    );
  });

  it('names a session from its file, renames it, and filters the list by sport', async () => {
    const body = multipart('ride.gpx', GPX);
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: body.payload,
      headers: { ...body.headers, ...athlete.auth },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const ride = imported.json().session;
    expect(ride).toMatchObject({ sport: 'cycling', name: 'Lunch ride by the fjord' });

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${ride.id}`,
      headers: athlete.auth,
      payload: { name: 'Fjord loop' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().session.name).toBe('Fjord loop');
    const cycling = await list('?sport=cycling');
    expect(cycling.json().sessions.map((s: { id: string; name: string }) => [s.id, s.name])).toEqual([
      [ride.id, 'Fjord loop'],
    ]);
    const all = await list();
    expect(new Set(all.json().sessions.map((s: { sport: string }) => s.sport))).toEqual(
      new Set(['cycling', 'strength', 'running']),
    );
    expect((await list('?sport=swimming')).json().sessions).toEqual([]);
    const badSport = await list('?sport=swim%20ming');
    expect(badSport.statusCode).toBe(400);
    expect(badSport.json().error.message).toMatch(/sport/);

    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${ride.id}`,
      headers: athlete.auth,
      payload: { name: null },
    });
    expect(cleared.json().session.name).toBeNull();
    const empty = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${ride.id}`,
      headers: athlete.auth,
      payload: { name: '   ' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/body\.name.*must not be empty/);
    const other = await registerAthlete(t.app);
    const foreign = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${ride.id}`,
      headers: other.auth,
      payload: { name: 'Mine now' },
    });
    expect(foreign.statusCode).toBe(403);
  });
});
