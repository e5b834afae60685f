import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';
import {
  createLiveWorld,
  framesSamples,
  type LiveWorld,
  listen,
  samplesFor,
  TestSocket,
} from './live-fixtures.ts';

type Zone = { zone: number; name: string; min: number; max: number };

/** Zone of an HR read straight off the zones the API returned (0 below zone 1, 5 above its top). */
function zoneFromApi(hr: number, zones: readonly Zone[]): number {
  if (hr < zones[0]!.min) return 0;
  return zones.find((z) => hr >= z.min && hr < z.max)?.zone ?? 5;
}

describe('athlete profile (services mode)', () => {
  let t: TestApp;
  let athlete: TestUser;
  beforeAll(async () => {
    t = await buildTestApp();
    athlete = await createUser(t.app, 'athlete');
  });
  afterAll(async () => t?.close());

  const put = (payload: object) =>
    t.app.inject({ method: 'PUT', url: '/api/v1/me/profile', headers: bearer(athlete.token), payload });

  it('derives HR max and zones from what is known, keeps edited zones, and reverts to derived on null', async () => {
    const blank = await t.app.inject({ url: '/api/v1/me/profile', headers: bearer(athlete.token) });
    expect(blank.json().profile).toMatchObject({ hrMax: null, effectiveHrMax: 190, hrMaxSource: 'default' });

    const year = new Date().getUTCFullYear();
    const est = await put({ birthYear: year - 40, sex: 'female', weightKg: 61.5 });
    expect(est.json().profile).toMatchObject({
      hrMax: null,
      effectiveHrMax: 180,
      hrMaxSource: 'estimated',
      zonesDerived: true,
    });
    expect(est.json().profile.hrZones).toEqual([108, 126, 144, 162, 180]);
    expect(est.json().profile.zones[0]).toEqual({ zone: 1, name: 'Recovery', min: 90, max: 108 });

    const set = await put({ hrMax: 190, hrRest: 50 });
    expect(set.json().profile).toMatchObject({
      effectiveHrMax: 190,
      hrMaxSource: 'profile',
      hrZones: [134, 148, 162, 176, 190],
    });

    const custom = await put({ hrZones: [120, 140, 155, 170, 195] });
    expect(custom.json().profile).toMatchObject({ hrZones: [120, 140, 155, 170, 195], zonesDerived: false });
    expect(
      (await t.app.inject({ url: '/api/v1/me/profile', headers: bearer(athlete.token) })).json().profile
        .hrZones,
    ).toEqual([120, 140, 155, 170, 195]);
    const reverted = await put({ hrZones: null });
    expect(reverted.json().profile).toMatchObject({
      zonesDerived: true,
      hrZones: [134, 148, 162, 176, 190],
      sex: 'female',
      weightKg: 61.5,
    });
  });

  it('stores threshold overrides and source precedence; refuses bad values naming the field without changing anything', async () => {
    const ok = await put({
      thresholds: { hrAbovePctMax: 0.9, hrBelow: 38 },
      sourcePrecedence: ['garmin', 'whoop'],
    });
    expect(ok.json().profile).toMatchObject({
      thresholds: { hrAbovePctMax: 0.9, hrBelowBpm: 38 },
      sourcePrecedence: ['garmin', 'whoop'],
    });

    const cases: Array<[object, string]> = [
      [{ hrZones: [120, 110, 150, 160, 170] }, 'body.hrZones'],
      [{ hrZones: [120, 130] }, 'body.hrZones'],
      [{ hrRest: 195 }, 'body.hrRest'],
      [{ thresholds: { hrAbovePctMax: 5 } }, 'body.thresholds.hrAbovePctMax'],
      [{ sourcePrecedence: ['garmin', 'garmin'] }, 'body.sourcePrecedence'],
      [{ weightKg: 'heavy' }, 'body.weightKg'],
      [{ colour: 'red' }, 'body'],
    ];
    for (const [payload, field] of cases) {
      const res = await put(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const after = (await t.app.inject({ url: '/api/v1/me/profile', headers: bearer(athlete.token) })).json()
      .profile;
    expect(after).toMatchObject({
      hrMax: 190,
      hrRest: 50,
      zonesDerived: true,
      thresholds: { hrAbovePctMax: 0.9 },
      sourcePrecedence: ['garmin', 'whoop'],
    });
    const cleared = await put({ thresholds: null });
    expect(cleared.json().profile.thresholds).toBeNull();
  });

  it('a PUT that changes nothing leaves updatedAt alone; a change moves it', async () => {
    const form = {
      birthYear: 1990,
      sex: 'male',
      weightKg: 72.5,
      hrMax: 188,
      hrRest: 48,
      hrZones: [120, 140, 155, 170, 188],
      thresholds: { hrAbovePctMax: 0.92 },
      sourcePrecedence: ['whoop', 'garmin'],
    };
    const first = (await put(form)).json().profile;
    const pause = () => new Promise((r) => setTimeout(r, 20));
    await pause();
    const again = await put(form);
    expect(again.statusCode).toBe(200);
    expect(again.json().profile).toEqual(first);
    const cleared = { thresholds: null, hrZones: null };
    const afterClear = (await put(cleared)).json().profile;
    await pause();
    expect((await put(cleared)).json().profile.updatedAt).toBe(afterClear.updatedAt);
    await pause();
    const moved = (await put({ ...form, weightKg: 73 })).json().profile;
    expect(Date.parse(moved.updatedAt)).toBeGreaterThan(Date.parse(afterClear.updatedAt));
  });
});

describe('one set of zones: profile API, live samples and session summaries agree (services mode)', () => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await buildTestApp({ s3: true, overrides: { LIVE_FLUSH_INTERVAL_MS: 50 } });
    w = await createLiveWorld(t.app.deps, { hrMax: 192, hrRest: 52 });
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it.each([
    ['derived (Karvonen) zones', null],
    ['stored zone tops', [130, 145, 160, 172, 188]],
  ])('%s', async (_label, hrZones) => {
    const athlete = hrZones === null ? w.a1 : w.a2;
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/profile',
      headers: auth(athlete.token),
      payload: { hrZones },
    });
    expect(put.statusCode).toBe(200);
    const own = (await t.app.inject({ url: '/api/v1/me/profile', headers: auth(athlete.token) })).json()
      .profile;
    const zones = own.zones as Zone[];
    // Zone 1 starts at 50 % of HR reserve in both cases: 52 + 0.5 × (192 − 52) = 122.
    expect(zones[0]).toMatchObject({ zone: 1, min: 122 });
    expect(zones.map((z) => z.max)).toEqual(own.hrZones);
    if (hrZones) expect(own.hrZones).toEqual(hrZones);
    const coachView = await t.app.inject({
      url: `/api/v1/athletes/${athlete.id}/profile`,
      headers: auth(w.coach.token),
    });
    expect(coachView.json().profile).toMatchObject({ hrMax: 192, hrRest: 52, zones });
    const team = await t.app.inject({
      url: `/api/v1/teams/${w.teamId}/athletes`,
      headers: auth(w.coach.token),
    });
    expect(team.json().athletes.find((a: { id: string }) => a.id === athlete.id).profile.zones).toEqual(
      zones,
    );

    // HRs on both sides of every boundary, including just below and at the zone-1 minimum.
    const edges = [110, 115, 121, ...zones.flatMap((z) => [z.min, z.max - 1]), 200];
    const viewer = await TestSocket.open(`${base}/ws/live?athleteId=${athlete.id}`, w.coach.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    const samples = samplesFor(undefined, edges.length, { hr: (i) => edges[i]! });
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: auth(athlete.token),
      payload: { samples },
    });
    expect(ingest.json().accepted).toBe(edges.length);
    const lastTs = samples.at(-1)!.ts;
    await viewer.waitFor(() => framesSamples(viewer.messages).some((s) => s.ts === lastTs));
    const live = framesSamples(viewer.messages).filter((s) => s.athleteId === athlete.id);
    expect(live).toHaveLength(edges.length);
    for (const s of live) expect(s.zone, `hr ${s.hr}`).toBe(zoneFromApi(s.hr as number, zones));
    viewer.close();

    const sessionId = live[0]!.sessionId as string;
    const stop = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sessions/${sessionId}/stop`,
      headers: auth(athlete.token),
    });
    expect(stop.statusCode).toBe(200);
    // Each sample is credited with the second since the one before it.
    const inZones = [0, 0, 0, 0, 0];
    let below = 0;
    edges.forEach((hr, i) => {
      if (i === 0) return;
      const z = zoneFromApi(hr, zones);
      if (z === 0) below += 1;
      else inZones[z - 1]! += 1;
    });
    expect(below).toBe(2);
    const session = (
      await t.app.inject({ url: `/api/v1/sessions/${sessionId}`, headers: auth(athlete.token) })
    ).json().session;
    expect(session.timeInZonesS).toEqual(inZones);
    expect(session.summary).toMatchObject({ timeInZonesS: inZones, timeBelowZonesS: below });
  });

  it("credits an imported file's samples to the same zones", async () => {
    // a2 keeps the stored zone tops of the test above.
    const zones = (await t.app.inject({ url: '/api/v1/me/profile', headers: auth(w.a2.token) })).json()
      .profile.zones as Zone[];
    expect(zones[0]).toMatchObject({ min: 122, max: 130 });
    const hrs = [110, 121, 122, 129, 130, 150, 165, 180, 199];
    const t0 = Date.UTC(2024, 4, 4, 6, 0, 0);
    const points = hrs
      .map(
        (hr, i) =>
          `<trkpt lat="${(51.5 + i * 1e-4).toFixed(6)}" lon="-0.12"><time>${new Date(t0 + i * 1000).toISOString()}</time>` +
          `<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>${hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>`,
      )
      .join('');
    const gpx =
      '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="zones test" ' +
      'xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">' +
      `<trk><type>running</type><trkseg>${points}</trkseg></trk></gpx>`;
    const boundary = '----zonesboundary';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="zones.gpx"\r\n` +
          'Content-Type: application/gpx+xml\r\n\r\n',
      ),
      Buffer.from(gpx),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload,
      headers: { ...auth(w.a2.token), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    const inZones = [0, 0, 0, 0, 0];
    let below = 0;
    // Each record is credited the interval up to the next one (the import rule), so the last adds none.
    for (const hr of hrs.slice(0, -1)) {
      const z = zoneFromApi(hr, zones);
      if (z === 0) below += 1;
      else inZones[z - 1]! += 1;
    }
    expect(res.json().session.timeInZonesS).toEqual(inZones);
    expect(res.json().session.summary).toMatchObject({ timeBelowZonesS: below });
  });
});
