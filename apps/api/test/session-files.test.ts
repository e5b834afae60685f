import { Encoder, type Mesg, Profile } from '@garmin/fitsdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, multipartFile as multipart, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

const SEMICIRCLES = 2 ** 31 / 180;
const START_MS = Date.UTC(2026, 10, 2, 7, 30, 0);
const LAP_S = 600;
const RECORDS = 1200;

/** Great-circle distance in m (as the GPX reader computes it). */
function haversineM(lat1: number, lon1: number, lat2: number, lon2: number) {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * A 20-minute run written with the Garmin SDK Encoder: 1,200 records at 1 Hz heading north, two
 * laps of 600 records (HR 138/142 then 148/152, so every average is a whole number), record
 * distances from the positions as stored (semicircles) so GPX's own distance agrees.
 */
function twoLapRun(): { bytes: Buffer; distanceM: number } {
  const encoder = new Encoder();
  const write = (name: string, mesg: Record<string, unknown>) =>
    encoder.onMesg(Profile.MesgNum[name]!, mesg as Mesg);
  const at = (i: number) => new Date(START_MS + i * 1000);
  write('FILE_ID', { type: 'activity', manufacturer: 'development', product: 7, timeCreated: at(0) });
  write('EVENT', { timestamp: at(0), event: 'timer', eventType: 'start' });
  let distance = 0;
  let prev: [number, number] | null = null;
  const cumulative: number[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const latS = Math.round((59.9 + i * 2.5e-5) * SEMICIRCLES);
    const lonS = Math.round(10.7 * SEMICIRCLES);
    const pos: [number, number] = [latS / SEMICIRCLES, lonS / SEMICIRCLES];
    if (prev) distance += haversineM(prev[0], prev[1], pos[0], pos[1]);
    prev = pos;
    cumulative.push(Math.round(distance * 100) / 100);
    const hr = i < LAP_S ? (i % 2 ? 142 : 138) : i % 2 ? 152 : 148;
    write('RECORD', {
      timestamp: at(i),
      positionLat: latS,
      positionLong: lonS,
      distance: cumulative[i],
      heartRate: hr,
      enhancedSpeed: 2.78,
      cadence: 85,
      enhancedAltitude: 120 + (i % 30) / 10,
    });
  }
  const end = at(RECORDS - 1);
  write('EVENT', { timestamp: end, event: 'timer', eventType: 'stopAll' });
  const lap = (index: number, first: number, last: number, avgHr: number, maxHr: number) => {
    const elapsed = (last === RECORDS - 1 ? last : last + 1) - first;
    const lapDistance = cumulative[last === RECORDS - 1 ? last : last + 1]! - cumulative[first]!;
    write('LAP', {
      messageIndex: index,
      timestamp: at(first + elapsed),
      startTime: at(first),
      totalElapsedTime: elapsed,
      totalTimerTime: elapsed,
      totalDistance: lapDistance,
      avgHeartRate: avgHr,
      maxHeartRate: maxHr,
      sport: 'running',
      subSport: 'generic',
      event: 'lap',
      eventType: 'stop',
    });
  };
  lap(0, 0, LAP_S - 1, 140, 142);
  lap(1, LAP_S, RECORDS - 1, 150, 152);
  write('SESSION', {
    messageIndex: 0,
    timestamp: end,
    startTime: at(0),
    totalElapsedTime: RECORDS - 1,
    totalTimerTime: RECORDS - 1,
    totalDistance: cumulative[RECORDS - 1],
    avgHeartRate: 145,
    maxHeartRate: 152,
    sport: 'running',
    subSport: 'generic',
    firstLapIndex: 0,
    numLaps: 2,
  });
  write('ACTIVITY', { timestamp: end, numSessions: 1, type: 'manual', event: 'activity', eventType: 'stop' });
  return { bytes: Buffer.from(encoder.close()), distanceM: cumulative[RECORDS - 1]! };
}

interface Lap {
  elapsedS: number | null;
  movingTimeS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
}

describe('session files out (services mode, S3): FIT, GPX, TCX and the original', () => {
  let t: TestApp;
  let owner: TestAthlete;
  let run: { bytes: Buffer; distanceM: number };
  let sessionId: string;

  beforeAll(async () => {
    t = await buildTestApp({ s3: true, overrides: { UPLOAD_LIMIT_BYTES: 2_000_000 } });
    owner = await registerAthlete(t.app);
    run = twoLapRun();
    const res = await upload(owner, 'run.fit', run.bytes);
    expect(res.statusCode, res.body).toBe(201);
    sessionId = res.json().session.id;
  });
  afterAll(async () => t?.close());

  function upload(who: TestAthlete, filename: string, bytes: Buffer) {
    const body = multipart(filename, bytes);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: body.payload,
      headers: { ...body.headers, ...who.auth },
    });
  }

  const download = (id: string, format: string, who: TestAthlete = owner) =>
    t.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}/export?format=${format}`, headers: who.auth });

  async function stored(id: string, who: TestAthlete = owner) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: who.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { session: Record<string, unknown>; laps: Lap[] };
    const count = await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM samples WHERE session_id = $1',
      [id],
    );
    return { ...body, samples: count[0]!.n };
  }

  const lapFigures = (laps: Lap[]) =>
    laps.map((l) => ({
      elapsedS: l.elapsedS,
      movingTimeS: l.movingTimeS,
      distanceM: l.distanceM === null ? null : Math.round(l.distanceM * 100) / 100,
      avgHr: l.avgHr,
      maxHr: l.maxHr,
    }));

  it('stores the encoded run as the file says', async () => {
    const s = await stored(sessionId);
    expect(s.session).toMatchObject({ durationS: 1199, movingTimeS: 1199, avgHr: 145, maxHr: 152 });
    expect(s.session.distanceM).toBeCloseTo(run.distanceM, 2);
    expect(s.samples).toBe(RECORDS);
    expect(s.laps).toHaveLength(2);
  });

  it.each(['fit', 'tcx', 'gpx'] as const)(
    'round-trips as %s: export → import into a fresh athlete',
    async (format) => {
      const original = await stored(sessionId);
      const res = await download(sessionId, format);
      expect(res.statusCode, res.body).toBe(200);
      const contentType = {
        fit: 'application/vnd.ant.fit',
        gpx: 'application/gpx+xml',
        tcx: 'application/vnd.garmin.tcx+xml',
      };
      expect(res.headers['content-type']).toContain(contentType[format]);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="2026-11-02-07-30-running.${format}"`,
      );

      const fresh = await registerAthlete(t.app);
      const again = await upload(fresh, `back.${format}`, res.rawPayload);
      expect(again.statusCode, again.body).toBe(201);
      const copied = await stored(again.json().session.id, fresh);

      for (const key of ['sport', 'startedAt', 'durationS', 'movingTimeS', 'avgHr', 'maxHr'] as const) {
        expect(copied.session[key], key).toEqual(original.session[key]);
      }
      // GPX carries positions only: its distance is measured again from them (to the centimetre).
      expect(
        Math.abs((copied.session.distanceM as number) - (original.session.distanceM as number)),
      ).toBeLessThan(format === 'gpx' ? 0.05 : 0.005);
      expect(copied.samples).toBe(original.samples);
      if (format === 'gpx') {
        expect(copied.laps).toEqual([]); // GPX has no laps
      } else {
        expect(lapFigures(copied.laps)).toEqual(lapFigures(original.laps));
      }
    },
  );

  it('gives back the uploaded bytes as the original, with their content type', async () => {
    const res = await download(sessionId, 'original');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/vnd.ant.fit');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="2026-11-02-07-30-running-original.fit"',
    );
    expect(res.rawPayload.equals(run.bytes)).toBe(true);
  });

  it('refuses what it cannot give, with a sentence', async () => {
    const manual = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions/manual',
      headers: owner.auth,
      payload: { sport: 'strength', startedAt: '2026-11-01T18:00:00Z', durationS: 2700, rpe: 6 },
    });
    expect(manual.statusCode, manual.body).toBe(201);
    const manualId = manual.json().session.id as string;

    const noOriginal = await download(manualId, 'original');
    expect(noOriginal.statusCode).toBe(404);
    expect(noOriginal.json().error.message).toBe(
      'This session was not imported from a file: download it as FIT, GPX or TCX',
    );
    const noTrack = await download(manualId, 'gpx');
    expect(noTrack.statusCode).toBe(409);
    expect(noTrack.json().error.message).toMatch(/no GPS positions/);
    const tcx = await download(manualId, 'tcx');
    expect(tcx.statusCode).toBe(200);
    expect(tcx.body).toContain('<TotalTimeSeconds>2700</TotalTimeSeconds>');

    const badFormat = await download(sessionId, 'kml');
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().error.message).toMatch(/format/);
    const stranger = await registerAthlete(t.app);
    expect((await download(sessionId, 'fit', stranger)).statusCode).toBe(403);
  });

  it('deletes the original with the account', async () => {
    const who = await registerAthlete(t.app);
    const res = await upload(who, 'mine.gpx', Buffer.from((await download(sessionId, 'gpx')).rawPayload));
    expect(res.statusCode, res.body).toBe(201);
    const raw = await t.app.deps.db.prisma.rawObject.findFirstOrThrow({ where: { userId: who.id } });
    expect(await t.app.deps.platform.objects.get(raw.key)).toBeDefined();
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      headers: who.auth,
      payload: { password: 'a long enough password' },
    });
    expect(del.statusCode, del.body).toBeLessThan(300);
    expect(await t.app.deps.platform.objects.get(raw.key)).toBeUndefined();
  });
});
