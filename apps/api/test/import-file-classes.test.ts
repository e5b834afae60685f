/**
 * Issue #13, class by class: for each way real device files went wrong, a file made here (FIT
 * with the Garmin SDK Encoder, GPX and TCX as text) that has exactly that property, imported
 * through the real POST /api/v1/imports on real Postgres, and the stored result asserted
 * exactly. Expected numbers are worked out by hand from the file, with the reason beside them.
 *
 * Default zones (a fresh athlete: HR max 190, no resting HR) are 50/60/70/80/90/100 % of 190:
 * zone 1 95–114, zone 2 114–133, zone 3 133–152, zone 4 152–171, zone 5 171+. File samples are
 * credited until the next record, up to max(10 s, 4 × the file's median interval).
 */

import type { Session, SessionLap } from '@athlete/contracts';
import { CrcCalculator, Encoder, type FieldDescription, type Mesg, Profile } from '@garmin/fitsdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartGapS } from '../../web/src/charts/gap-rule.ts';
import { buildTestApp, multipartFile as multipart, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

const SEMICIRCLES = 2 ** 31 / 180;
/** Metres per degree of latitude on the importer's sphere (R = 6,371,008.8 m). */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;
/** A morning in March 2026, one day per test so no two files ever share an instant. */
const day = (n: number) => Date.UTC(2026, 2, n, 7, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

type Fields = Record<string, unknown>;

/** A FIT file of the given messages (name as in Profile.MesgNum), encoded by the Garmin SDK. */
function fit(
  messages: Array<[string, Fields]>,
  fieldDescriptions?: Record<number, FieldDescription>,
): Buffer {
  const encoder = new Encoder(fieldDescriptions ? { fieldDescriptions } : undefined);
  for (const [name, mesg] of messages) {
    const num = Profile.MesgNum[name];
    if (num === undefined) throw new Error(`unknown FIT message ${name}`);
    encoder.onMesg(num, mesg as Mesg);
  }
  return Buffer.from(encoder.close());
}

/** Records at `startMs + offsets[i]` s with the fields `fields(i)` gives. */
function records(startMs: number, offsets: readonly number[], fields: (i: number) => Fields) {
  return offsets.map((s, i): [string, Fields] => [
    'RECORD',
    { timestamp: new Date(startMs + s * 1000), ...fields(i) },
  ]);
}
const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

function head(startMs: number, sport: string, subSport: string, name?: string): Array<[string, Fields]> {
  return [
    [
      'FILE_ID',
      { type: 'activity', manufacturer: 'development', product: 13, timeCreated: new Date(startMs) },
    ],
    ['SPORT', { sport, subSport, ...(name === undefined ? {} : { name }) }],
    ['EVENT', { timestamp: new Date(startMs), event: 'timer', eventType: 'start' }],
  ];
}

interface Totals {
  startMs: number;
  elapsedS: number;
  timerS: number;
  distanceM?: number;
  avgHr?: number;
  maxHr?: number;
  avgSpeed?: number;
  maxSpeed?: number;
  ascentM?: number;
  sport: string;
  subSport: string;
}
const totals = (t: Totals): Fields => ({
  timestamp: new Date(t.startMs + t.elapsedS * 1000),
  startTime: new Date(t.startMs),
  totalElapsedTime: t.elapsedS,
  totalTimerTime: t.timerS,
  totalDistance: t.distanceM,
  avgHeartRate: t.avgHr,
  maxHeartRate: t.maxHr,
  enhancedAvgSpeed: t.avgSpeed,
  enhancedMaxSpeed: t.maxSpeed,
  totalAscent: t.ascentM,
  sport: t.sport,
  subSport: t.subSport,
});
const lap = (index: number, t: Totals): [string, Fields] => [
  'LAP',
  { messageIndex: index, event: 'lap', eventType: 'stop', ...totals(t) },
];
const session = (index: number, t: Totals, laps: [number, number]): [string, Fields] => [
  'SESSION',
  {
    messageIndex: index,
    event: 'session',
    eventType: 'stop',
    firstLapIndex: laps[0],
    numLaps: laps[1],
    ...totals(t),
  },
];
const activityEnd = (endMs: number, numSessions: number): [string, Fields] => [
  'ACTIVITY',
  { timestamp: new Date(endMs), numSessions, type: 'manual', event: 'activity', eventType: 'stop' },
];

/** The FIT file CRC (the SDK's own calculator) over `bytes`. */
function fitCrc(bytes: Uint8Array): number {
  return CrcCalculator.calculateCRC(bytes, 0, bytes.length);
}

/** GPX 1.1 with one <trkseg> per list of points; `time` written as given (zone or not). */
function gpx(
  segments: Array<Array<{ time: string; lat: number; lon: number; hr?: number }>>,
  type = 'running',
) {
  const seg = (points: (typeof segments)[number]) =>
    `<trkseg>${points
      .map(
        (p) =>
          `<trkpt lat="${p.lat}" lon="${p.lon}"><time>${p.time}</time>` +
          (p.hr === undefined
            ? ''
            : `<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>${p.hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>`) +
          '</trkpt>',
      )
      .join('')}</trkseg>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="class test" xmlns="http://www.topografix.com/GPX/1/1" ' +
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">' +
    `<trk><name>Class test</name><type>${type}</type>${segments.map(seg).join('')}</trk></gpx>`
  );
}

/** One TCX <Activity>: laps of [startMs, TotalTimeSeconds, DistanceMeters, avgHr, maxHr], 1 Hz points with HR. */
function tcxActivity(
  sport: string,
  laps: Array<{
    startMs: number;
    timeS: number;
    distanceM: number;
    avgHr: number;
    maxHr: number;
    points: number;
    mPerS: number;
    distance0: number;
  }>,
) {
  const lapXml = laps
    .map(
      (l) =>
        `<Lap StartTime="${iso(l.startMs)}"><TotalTimeSeconds>${l.timeS}</TotalTimeSeconds><DistanceMeters>${l.distanceM}</DistanceMeters>` +
        `<AverageHeartRateBpm><Value>${l.avgHr}</Value></AverageHeartRateBpm><MaximumHeartRateBpm><Value>${l.maxHr}</Value></MaximumHeartRateBpm>` +
        '<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>' +
        range(0, l.points - 1)
          .map(
            (i) =>
              `<Trackpoint><Time>${iso(l.startMs + i * 1000)}</Time><DistanceMeters>${l.distance0 + i * l.mPerS}</DistanceMeters>` +
              `<HeartRateBpm><Value>${l.avgHr}</Value></HeartRateBpm></Trackpoint>`,
          )
          .join('') +
        '</Track></Lap>',
    )
    .join('');
  return `<Activity Sport="${sport}"><Id>${iso(laps[0]!.startMs)}</Id>${lapXml}</Activity>`;
}
const tcx = (activities: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">' +
  `<Activities>${activities}</Activities></TrainingCenterDatabase>`;

/** Banister TRIMP of `seconds` at `hr` (HR max 190, rest 60 assumed, sex unknown: mean of both weights). */
function trimp(hr: number, seconds: number) {
  const x = (hr - 60) / 130;
  return (seconds / 60) * x * ((0.64 * Math.exp(1.92 * x) + 0.86 * Math.exp(1.67 * x)) / 2);
}

describe('issue #13 file classes through POST /api/v1/imports (services mode, S3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      s3: true,
      overrides: { UPLOAD_LIMIT_BYTES: 4_000_000, REGISTER_LIMIT_PER_HOUR: 200 },
    });
  });
  afterAll(async () => t?.close());

  const athlete = () => registerAthlete(t.app);
  function upload(who: TestAthlete, filename: string, bytes: Buffer | string) {
    const body = multipart(filename, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: body.payload,
      headers: { ...body.headers, ...who.auth },
    });
  }
  async function imported(who: TestAthlete, filename: string, bytes: Buffer | string) {
    const res = await upload(who, filename, bytes);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().sessions as Session[];
  }
  /** The stored session as GET /sessions/:id answers it, with its laps and stored sample rows. */
  async function stored(who: TestAthlete, id: string) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: who.auth });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.app.deps.db.query<{
      ts: Date;
      hr: number | null;
      lat: number | null;
      power: number | null;
      cadence: number | null;
    }>('SELECT ts, hr, lat, power, cadence FROM samples WHERE session_id = $1 ORDER BY ts', [id]);
    const body = res.json() as { session: Session; laps?: SessionLap[] };
    return { ...body.session, laps: body.laps ?? [], rows };
  }
  async function sessionCount(who: TestAthlete) {
    return t.app.deps.db.prisma.trainingSession.count({ where: { athleteId: who.id } });
  }
  /** A refusal: 4xx, never 5xx, a message in words, nothing stored. */
  async function refused(who: TestAthlete, filename: string, bytes: Buffer | string) {
    const before = await sessionCount(who);
    const res = await upload(who, filename, bytes);
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    const error = res.json().error as { code: string; message: string; details?: Record<string, unknown> };
    expect(error.message.length, res.body).toBeGreaterThan(15);
    expect(await sessionCount(who)).toBe(before);
    return { status: res.statusCode, ...error };
  }

  it('class 1: a FIT file with two session messages is two sessions, each with its own totals and samples', async () => {
    const who = await athlete();
    const T = day(2);
    const run: Totals = {
      startMs: T,
      elapsedS: 600,
      timerS: 600,
      distanceM: 1800,
      avgHr: 140,
      maxHr: 140,
      avgSpeed: 3,
      ascentM: 5,
      sport: 'running',
      subSport: 'street',
    };
    const bike: Totals = {
      startMs: T + 600_000,
      elapsedS: 1200,
      timerS: 1180,
      distanceM: 9000,
      avgHr: 130,
      maxHr: 131,
      avgSpeed: 9000 / 1180,
      ascentM: 40,
      sport: 'cycling',
      subSport: 'road',
    };
    const bytes = fit([
      ...head(T, 'running', 'street'),
      // Run: 600 records at 1 Hz, HR 140 (zone 3); ride: 1,200 records, HR 130 (zone 2), 200 W.
      ...records(T, range(0, 599), (i) => ({ heartRate: 140, distance: i * 3, enhancedSpeed: 3 })),
      ...records(T, range(600, 1799), (i) => ({
        heartRate: 130,
        power: 200,
        distance: i * 7.5,
        enhancedSpeed: 7.5,
      })),
      ['EVENT', { timestamp: new Date(T + 1_800_000), event: 'timer', eventType: 'stopAll' }],
      lap(0, run),
      lap(1, { ...bike, elapsedS: 600, timerS: 590, distanceM: 4500 }),
      lap(2, { ...bike, startMs: T + 1_200_000, elapsedS: 600, timerS: 590, distanceM: 4500 }),
      session(0, run, [0, 1]),
      session(1, bike, [1, 2]),
      activityEnd(T + 1_800_000, 2),
    ]);
    const sessions = await imported(who, 'brick.fit', bytes);
    expect(sessions).toHaveLength(2);
    const [a, b] = [await stored(who, sessions[0]!.id), await stored(who, sessions[1]!.id)];
    // Each leg keeps its own session message's totals, not the first leg's.
    expect(a).toMatchObject({
      sport: 'running',
      startedAt: iso(T),
      endedAt: iso(T + 600_000),
      durationS: 600,
      movingTimeS: 600,
      distanceM: 1800,
      avgHr: 140,
      maxHr: 140,
      avgSpeed: 3,
      totalAscentM: 5,
    });
    expect(a.file).toMatchObject({
      format: 'fit',
      sourceSport: 'running',
      sourceSubSport: 'street',
      leg: { index: 1, of: 2 },
      incomplete: false,
    });
    expect(b).toMatchObject({
      sport: 'cycling',
      startedAt: iso(T + 600_000),
      endedAt: iso(T + 1_800_000),
      durationS: 1200,
      movingTimeS: 1180,
      distanceM: 9000,
      avgHr: 130,
      maxHr: 131,
      totalAscentM: 40,
    });
    expect(b.avgSpeed).toBeCloseTo(9000 / 1180, 3); // the device's own average over timer time
    expect(b.file).toMatchObject({
      sourceSport: 'cycling',
      sourceSubSport: 'road',
      leg: { index: 2, of: 2 },
    });
    // Samples split at the second session's start: 600 and 1,200 rows, none shared.
    expect([a.rows.length, a.summary?.sampleCount, b.rows.length, b.summary?.sampleCount]).toEqual([
      600, 600, 1200, 1200,
    ]);
    // Until-next credit: 599 one-second intervals per HR value; the last record of a leg gets none.
    expect(a.timeInZonesS).toEqual([0, 0, 599, 0, 0]);
    expect(b.timeInZonesS).toEqual([0, 1199, 0, 0, 0]);
    expect(a.trimp).toBeCloseTo(trimp(140, 599), 6);
    expect(b.trimp).toBeCloseTo(trimp(130, 1199), 6);
    expect(b.summary?.avgPower).toBe(200);
    expect(a.summary?.avgPower).toBeNull();
    expect(a.laps.map((l) => l.elapsedS)).toEqual([600]);
    expect(b.laps.map((l) => [l.startedAt, l.movingTimeS, l.distanceM])).toEqual([
      [iso(T + 600_000), 590, 4500],
      [iso(T + 1_200_000), 590, 4500],
    ]);
  });

  it('class 2: a TCX file with two <Activity> elements, and one with a <MultiSportSession>, keeps every activity', async () => {
    const T = day(3);
    const runLap = {
      startMs: T,
      timeS: 300,
      distanceM: 900,
      avgHr: 140,
      maxHr: 145,
      points: 300,
      mPerS: 3,
      distance0: 0,
    };
    const bikeLap = {
      startMs: T + 360_000,
      timeS: 600,
      distanceM: 4800,
      avgHr: 128,
      maxHr: 135,
      points: 600,
      mPerS: 8,
      distance0: 0,
    };
    const plain = tcx(tcxActivity('Running', [runLap]) + tcxActivity('Biking', [bikeLap]));
    const transition = `<Lap StartTime="${iso(T + 300_000)}"><TotalTimeSeconds>60</TotalTimeSeconds><DistanceMeters>0</DistanceMeters><Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod></Lap>`;
    const multisport = tcx(
      `<MultiSportSession><Id>${iso(T)}</Id><FirstSport>${tcxActivity('Running', [runLap])}</FirstSport>` +
        `<NextSport><Transition>${transition}</Transition>${tcxActivity('Biking', [bikeLap])}</NextSport></MultiSportSession>`,
    );
    for (const [name, xml] of [
      ['two-activities.tcx', plain],
      ['multisport.tcx', multisport],
    ] as const) {
      const who = await athlete();
      const sessions = await imported(who, name, xml);
      expect(sessions, name).toHaveLength(2);
      const [a, b] = [await stored(who, sessions[0]!.id), await stored(who, sessions[1]!.id)];
      // TCX lap time is timer time; elapsed runs from the lap start to its end (300 s, 600 s).
      expect(a, name).toMatchObject({
        sport: 'running',
        startedAt: iso(T),
        durationS: 300,
        movingTimeS: 300,
        distanceM: 900,
        avgHr: 140,
        maxHr: 145,
        avgSpeed: 3,
      });
      expect(b, name).toMatchObject({
        sport: 'cycling',
        startedAt: iso(T + 360_000),
        durationS: 600,
        movingTimeS: 600,
        distanceM: 4800,
        avgHr: 128,
        maxHr: 135,
        avgSpeed: 8,
      });
      expect([a.file?.sourceSport, b.file?.sourceSport, a.file?.leg, b.file?.leg]).toEqual([
        'Running',
        'Biking',
        { index: 1, of: 2 },
        { index: 2, of: 2 },
      ]);
      expect([a.rows.length, b.rows.length, a.summary?.sampleCount, b.summary?.sampleCount]).toEqual([
        300, 600, 300, 600,
      ]);
      expect(a.timeInZonesS).toEqual([0, 0, 299, 0, 0]); // HR 140: zone 3, 299 intervals
      expect(b.timeInZonesS).toEqual([0, 599, 0, 0, 0]); // HR 128: zone 2, 599 intervals
      expect([a.laps.length, b.laps.length]).toEqual([1, 1]);
    }
  });

  it('class 3: GPS and HR written as two records per second are merged; an overlapping file is refused naming the session', async () => {
    const who = await athlete();
    const T = day(4);
    const lat = (i: number) => Math.round((60 + (i * 3) / M_PER_DEG) * SEMICIRCLES);
    const bytes = fit([
      ...head(T, 'running', 'generic'),
      // Suunto style: for each of 300 seconds a GPS record and then an HR record, same timestamp.
      ...range(0, 299).flatMap((i) => [
        ...records(T, [i], () => ({
          positionLat: lat(i),
          positionLong: Math.round(10 * SEMICIRCLES),
          distance: i * 3,
          enhancedSpeed: 3,
        })),
        ...records(T, [i], () => ({ heartRate: 150 })),
      ]),
      session(
        0,
        {
          startMs: T,
          elapsedS: 299,
          timerS: 299,
          distanceM: 897,
          avgHr: 150,
          maxHr: 150,
          sport: 'running',
          subSport: 'generic',
        },
        [0, 0],
      ),
      activityEnd(T + 299_000, 1),
    ]);
    const [one] = await imported(who, 'suunto.fit', bytes);
    const s = await stored(who, one!.id);
    // 600 records, 300 instants: every stored row has both the position and the HR.
    expect(s.rows).toHaveLength(300);
    expect(s.rows.every((r) => r.hr === 150 && r.lat !== null)).toBe(true);
    expect(s.summary?.sampleCount).toBe(300);
    expect(s).toMatchObject({ durationS: 299, distanceM: 897, avgHr: 150, timeInZonesS: [0, 0, 299, 0, 0] });
    expect(s.file?.notes).toContain('300 records sharing a timestamp with another merged field by field');

    // The same bytes again: the duplicate names the stored session.
    const again = await refused(who, 'suunto-copy.fit', bytes);
    expect(again).toMatchObject({
      status: 409,
      message: 'This file was already imported',
      details: { sessionId: one!.id },
    });
    // Another file covering 150 s of the same time (a GPX of the same run): refused, never stored in part.
    const overlapping = gpx([
      range(150, 449).map((i) => ({
        time: iso(T + i * 1000),
        lat: 60 + (i * 3) / M_PER_DEG,
        lon: 10,
        hr: 150,
      })),
    ]);
    const overlap = await refused(who, 'same-run.gpx', overlapping);
    expect(overlap).toMatchObject({
      status: 409,
      message: `This file covers the same time as the session started ${iso(T)} (${iso(T + 150_000)} onward); it was not imported`,
      details: { sessionId: one!.id },
    });
    // Starting one second after the last stored sample is no overlap.
    const after = gpx([
      range(300, 359).map((i) => ({ time: iso(T + i * 1000), lat: 60 + (i * 3) / M_PER_DEG, lon: 10 })),
    ]);
    await imported(who, 'after.gpx', after);
    expect(await sessionCount(who)).toBe(2);
  });

  it('class 4: an unfinished FIT file (power lost before the end) imports what was read, says so, and takes the sport message', async () => {
    const T = day(5);
    // 200 records, no lap/session/activity, header data size 0 and no file CRC: what a device
    // that lost power leaves. Cut 0 bytes (ends on a record) or 5 (mid-record).
    const whole = fit([
      ...head(T, 'running', 'trail', 'Trail'),
      ...records(T, range(0, 199), (i) => ({ heartRate: 145, distance: i * 2.5, enhancedSpeed: 2.5 })),
    ]);
    const unfinished = (cut: number) => {
      const bytes = Buffer.from(whole.subarray(0, whole.length - 2 - cut));
      bytes.writeUInt32LE(0, 4);
      return bytes;
    };
    const cases = [
      { cut: 0, records: 200 },
      { cut: 5, records: 199 }, // the 200th record is cut in half, the 199 before it are whole
    ];
    for (const c of cases) {
      const who = await athlete();
      const [one] = await imported(who, `power-lost-${c.cut}.fit`, unfinished(c.cut));
      const s = await stored(who, one!.id);
      const n = c.records;
      // No session message: sport, sub-sport and name from the sport message; totals from the records.
      expect(s, `cut ${c.cut}`).toMatchObject({
        sport: 'running',
        name: 'Trail',
        startedAt: iso(T),
        durationS: n - 1,
        movingTimeS: n - 1,
        distanceM: (n - 1) * 2.5,
        avgHr: 145,
      });
      expect(s.rows).toHaveLength(n);
      expect(s.file).toMatchObject({ sourceSport: 'running', sourceSubSport: 'trail', incomplete: true });
      expect(s.file?.notes).toEqual([
        `the recording was never finished (the device stopped before writing the end of the file); the ${n} records in its ${(whole.length - 2 - c.cut).toLocaleString('en-US')} bytes were read`,
      ]);
    }
  });

  it('class 5: compressed-timestamp records are read in full, session totals included, and the file is not called damaged', async () => {
    const who = await athlete();
    const T = day(6);
    const fitTs = (ms: number) => Math.round((ms - 631_065_600_000) / 1000);
    // 100 normal records (HR 145), then 100 compressed-timestamp records (HR 146) with their
    // own definition (local type 1, one uint8 field: heart_rate), then lap/session/activity.
    const first = fit([
      ...head(T, 'running', 'trail'),
      ...records(T, range(0, 99), (i) => ({ heartRate: 145, distance: i * 2.5 })),
    ]);
    const run: Totals = {
      startMs: T,
      elapsedS: 199,
      timerS: 199,
      distanceM: 497.5,
      avgHr: 146,
      maxHr: 146,
      sport: 'running',
      subSport: 'trail',
    };
    const last = fit([lap(0, run), session(0, run, [0, 1]), activityEnd(T + 199_000, 1)]);
    const definition = Buffer.from([0x41, 0, 0, 20, 0, 1, 3, 1, 0x02]);
    const compressed = Buffer.from(
      range(100, 199).flatMap((i) => [0x80 | (1 << 5) | (fitTs(T + i * 1000) & 0x1f), 146]),
    );
    const data = Buffer.concat([first.subarray(14, -2), definition, compressed, last.subarray(14, -2)]);
    const header = Buffer.from(first.subarray(0, 14));
    header.writeUInt32LE(data.length, 4);
    header.writeUInt16LE(fitCrc(header.subarray(0, 12)), 12);
    const body = Buffer.concat([header, data]);
    const crc = Buffer.alloc(2);
    crc.writeUInt16LE(fitCrc(body));
    const [one] = await imported(who, 'compressed.fit', Buffer.concat([body, crc]));
    const s = await stored(who, one!.id);
    // All 200 records, 1 s apart; the session message after them gives the totals (avg HR 146).
    expect(s.rows).toHaveLength(200);
    expect(s.rows.map((r) => r.ts.getTime() - T)).toEqual(range(0, 199).map((i) => i * 1000));
    expect(s.rows.slice(98, 102).map((r) => r.hr)).toEqual([145, 145, 146, 146]);
    expect(s).toMatchObject({
      sport: 'running',
      durationS: 199,
      movingTimeS: 199,
      distanceM: 497.5,
      avgHr: 146,
      maxHr: 146,
    });
    expect(s.laps).toHaveLength(1);
    expect(s.file).toMatchObject({ incomplete: false });
    expect(s.file?.notes).toEqual([
      '100 compressed-timestamp records (valid FIT that writes a short time offset instead of a full timestamp) were read by expanding their timestamps',
    ]);
  });

  it('class 6: elapsed time, timer time, the device averages and ascent are kept; TCX and FIT of one activity agree', async () => {
    const T = day(7);
    // 300 s running, a 300 s stop (timer stopped), 300 s running: 3 m/s while moving.
    const moving = [...range(0, 299), ...range(600, 899)];
    const metres = (s: number) => (s < 300 ? s : s - 300) * 3;
    const whole: Totals = {
      startMs: T,
      elapsedS: 900,
      timerS: 600,
      distanceM: 1800,
      avgHr: 150,
      maxHr: 160,
      avgSpeed: 3,
      maxSpeed: 3.4,
      ascentM: 25,
      sport: 'running',
      subSport: 'generic',
    };
    const fitBytes = fit([
      ...head(T, 'running', 'generic'),
      ...records(T, moving, (i) => ({ heartRate: 150, distance: metres(moving[i]!), enhancedSpeed: 3 })),
      ['EVENT', { timestamp: new Date(T + 300_000), event: 'timer', eventType: 'stopAll' }],
      ['EVENT', { timestamp: new Date(T + 600_000), event: 'timer', eventType: 'start' }],
      ['EVENT', { timestamp: new Date(T + 900_000), event: 'timer', eventType: 'stopAll' }],
      lap(0, { ...whole, elapsedS: 300, timerS: 300, distanceM: 900 }),
      lap(1, { ...whole, startMs: T + 600_000, elapsedS: 300, timerS: 300, distanceM: 900 }),
      session(0, whole, [0, 2]),
      activityEnd(T + 900_000, 1),
    ]);
    const tcxLap = (startS: number) => ({
      startMs: T + startS * 1000,
      timeS: 300,
      distanceM: 900,
      avgHr: 150,
      maxHr: 160,
      points: 300,
      mPerS: 3,
      distance0: metres(startS),
    });
    const tcxXml = tcx(tcxActivity('Running', [tcxLap(0), tcxLap(600)]));
    const gpxXml = gpx([
      moving.map((s) => ({ time: iso(T + s * 1000), lat: 60 + metres(s) / M_PER_DEG, lon: 10, hr: 150 })),
    ]);

    const fitWho = await athlete();
    const fromFit = await stored(fitWho, (await imported(fitWho, 'paused.fit', fitBytes))[0]!.id);
    // The device's own average over timer time (1800 m / 600 s), not over elapsed time (2 m/s).
    expect(fromFit).toMatchObject({
      durationS: 900,
      movingTimeS: 600,
      distanceM: 1800,
      avgSpeed: 3,
      maxSpeed: 3.4,
      avgHr: 150,
      maxHr: 160,
      totalAscentM: 25,
    });
    expect(fromFit.rows).toHaveLength(600);
    // 2 × 299 one-second intervals at HR 150; the 301 s stop is over the 10 s rule, a pause: nothing.
    expect(fromFit.timeInZonesS).toEqual([0, 0, 598, 0, 0]);
    expect(fromFit.timeInZonesS.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(fromFit.movingTimeS!);
    expect(fromFit.laps.map((l) => [l.elapsedS, l.movingTimeS, l.distanceM])).toEqual([
      [300, 300, 900],
      [300, 300, 900],
    ]);

    const tcxWho = await athlete();
    const fromTcx = await stored(tcxWho, (await imported(tcxWho, 'paused.tcx', tcxXml))[0]!.id);
    // TCX lap time is timer time: 2 × 300 s moving; elapsed runs to the second lap's end, 900 s.
    expect(fromTcx).toMatchObject({
      durationS: 900,
      movingTimeS: 600,
      distanceM: 1800,
      avgSpeed: 3,
      avgHr: 150,
      maxHr: 160,
    });
    expect([fromTcx.durationS, fromTcx.movingTimeS]).toEqual([fromFit.durationS, fromFit.movingTimeS]);
    expect(fromTcx.laps.map((l) => [l.elapsedS, l.movingTimeS])).toEqual([
      [600, 300],
      [300, 300],
    ]);

    // The same track as GPX has no totals: computed, with the same rules. Elapsed 899 s (first to
    // last point); moving 598 s (the two runs of 299 one-second steps; the 301 s gap is over the
    // 10 s rule); distance 599 steps of 3 m (the positions 299 → 600 are one step apart).
    const gpxWho = await athlete();
    const fromGpx = await stored(gpxWho, (await imported(gpxWho, 'paused.gpx', gpxXml))[0]!.id);
    expect(fromGpx).toMatchObject({
      durationS: 899,
      movingTimeS: 598,
      avgHr: 150,
      maxHr: 150,
      totalAscentM: null,
    });
    expect(fromGpx.distanceM).toBeCloseTo(1797, 1);
    expect(fromGpx.avgSpeed).toBeCloseTo(1797 / 598, 3);
  });

  it('class 7: smart recording (a record every 8 s) credits each record until the next, up to 4 × 8 s', async () => {
    const who = await athlete();
    const T = day(8);
    // 225 records 8 s apart at HR 150 (zone 3), a 120 s stop, 225 more at HR 160 (zone 4).
    const offsets = [...range(0, 1792, 8), ...range(1912, 3704, 8)];
    const bytes = fit([
      ...head(T, 'cycling', 'road'),
      ...records(T, offsets, (i) => ({ heartRate: i < 225 ? 150 : 160, power: 180 })),
      session(0, { startMs: T, elapsedS: 3704, timerS: 3584, sport: 'cycling', subSport: 'road' }, [0, 0]),
      activityEnd(T + 3_704_000, 1),
    ]);
    const [one] = await imported(who, 'smart.fit', bytes);
    const s = await stored(who, one!.id);
    expect(s.rows).toHaveLength(450);
    expect(s.file?.creditRule).toEqual({ recordingIntervalS: 8, maxCreditS: 32 });
    // 224 intervals × 8 s in each of zones 3 and 4; the 120 s stop is over 32 s, a pause: nothing.
    // Together 3,584 s, the timer time. (The live rule, 5 s a sample, would give about 1,120 s each.)
    expect(s.timeInZonesS).toEqual([0, 0, 1792, 1792, 0]);
    expect(s.trimp).toBeCloseTo(trimp(150, 1792) + trimp(160, 1792), 6);
    expect(s).toMatchObject({ durationS: 3704, movingTimeS: 3584, avgHr: 155, maxHr: 160 });
  });

  it.each([
    ['fitnessEquipment', 'indoorRowing', 'rowing'],
    ['training', 'yoga', 'yoga'],
    ['training', 'strengthTraining', 'strength'],
    ['cycling', 'indoorCycling', 'cycling'],
    ['running', 'treadmill', 'running'],
    ['swimming', 'lapSwimming', 'swimming'],
    // Containers with a sub-sport the platform has no name for: "other", not strength.
    ['fitnessEquipment', 'elliptical', 'other'],
    ['fitnessEquipment', 'stairClimbing', 'other'],
    ['training', 'cardioTraining', 'other'],
    ['training', 'flexibilityTraining', 'yoga'],
  ])(
    'class 8: FIT sport %s with sub-sport %s is %s, and the device names are kept',
    async (sport, subSport, platform) => {
      const who = await athlete();
      const T = day(9);
      const bytes = fit([
        ...head(T, sport, subSport),
        ...records(T, range(0, 59), () => ({ heartRate: 120 })),
        session(0, { startMs: T, elapsedS: 59, timerS: 59, sport, subSport }, [0, 0]),
        activityEnd(T + 59_000, 1),
      ]);
      const [one] = await imported(who, `${subSport}.fit`, bytes);
      expect(one).toMatchObject({
        sport: platform,
        durationS: 59,
        file: { sourceSport: sport, sourceSubSport: subSport },
      });
    },
  );

  it('class 9: a new GPX <trkseg> is a pause: no distance across the gap, no moving time', async () => {
    const who = await athlete();
    const T = day(10);
    // 301 points 3 m apart heading north; the receiver is off for an hour; 301 more points
    // starting 0.1° (11 km) further north.
    const point = (s: number, lat0: number, k: number) => ({
      time: iso(T + s * 1000),
      lat: lat0 + (k * 3) / M_PER_DEG,
      lon: 10,
      hr: 130,
    });
    const xml = gpx([
      range(0, 300).map((s) => point(s, 60, s)),
      range(3900, 4200).map((s) => point(s, 60.1, s - 3900)),
    ]);
    const [one] = await imported(who, 'two-segments.gpx', xml);
    const s = await stored(who, one!.id);
    expect(s.rows).toHaveLength(602);
    // 2 × 300 steps of 3 m; the 11 km between the segments is not distance.
    expect(s.distanceM).toBeCloseTo(1800, 1);
    expect(s).toMatchObject({ durationS: 4200, movingTimeS: 600, avgHr: 130 });
    expect(s.avgSpeed).toBeCloseTo(3, 3);
    // HR 130 is zone 2: 2 × 300 one-second intervals; the hour-long gap is a pause: nothing.
    expect(s.timeInZonesS).toEqual([0, 600, 0, 0, 0]);
    expect(s.timeInZonesS.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(s.movingTimeS!);
    expect(s.file?.notes).toEqual([
      '2 track segments: each gap between segments is a pause (no distance, no moving time)',
    ]);
  });

  it('class 9: a short gap between segments, within the gap rule, is still a pause for zones too', async () => {
    const who = await athlete();
    const T = day(10) + 6 * 3_600_000;
    // 1 s recording (gap rule 10 s); the second segment starts 6 s after the first ends.
    const point = (s: number) => ({
      time: iso(T + s * 1000),
      lat: 60 + (s * 3) / M_PER_DEG,
      lon: 10,
      hr: 130,
    });
    const xml = gpx([range(0, 120).map(point), range(126, 246).map(point)]);
    const [one] = await imported(who, 'short-break.gpx', xml);
    const s = await stored(who, one!.id);
    expect(s.rows).toHaveLength(242);
    expect(s).toMatchObject({ durationS: 246, movingTimeS: 240 });
    // 240 one-second intervals credited; the 6 s between the segments is neither moving nor zone time.
    expect(s.timeInZonesS).toEqual([0, 240, 0, 0, 0]);
    expect(s.distanceM).toBeCloseTo(720, 1);
  });

  it('class 10: zone-less times are UTC, HR 0 is no HR, 1901 dates and a 20-day clock jump are dropped with the reason', async () => {
    const T = day(11);
    // GPX requires UTC: "2026-03-11T07:00:00" without a zone is 07:00Z whatever the server's zone.
    const zoneless = await athlete();
    const plain = gpx([
      range(0, 59).map((s) => ({ time: iso(T + s * 1000).replace('.000Z', ''), lat: 60 + s / 1e5, lon: 10 })),
    ]);
    const [a] = await imported(zoneless, 'no-zone.gpx', plain);
    expect(a).toMatchObject({ startedAt: iso(T), endedAt: iso(T + 59_000), durationS: 59 });

    // HR 0 (strap not yet paired) for the first 60 records: no HR, not 0 bpm, and not in the average.
    const strap = await athlete();
    const zeros = fit([
      ...head(T, 'running', 'generic'),
      ...records(T, range(0, 119), (i) => ({ heartRate: i < 60 ? 0 : 140 })),
      session(
        0,
        { startMs: T, elapsedS: 119, timerS: 119, avgHr: 0, maxHr: 0, sport: 'running', subSport: 'generic' },
        [0, 0],
      ),
      activityEnd(T + 119_000, 1),
    ]);
    const [b] = await imported(strap, 'hr-zero.fit', zeros);
    const hr = await stored(strap, b!.id);
    expect(hr.rows.map((r) => r.hr)).toEqual([...Array(60).fill(null), ...Array(60).fill(140)]);
    // The session's own avg/max HR of 0 mean "not measured": computed from the 60 real readings.
    expect(hr).toMatchObject({ avgHr: 140, maxHr: 140, timeInZonesS: [0, 0, 59, 0, 0] });
    expect(hr.summary?.avgHr).toBe(140);
    expect(hr.summary?.timeBelowZonesS).toBe(0);

    // GPSBabel writes 1901-12-13T20:45:52Z for a point without a valid time: such points are dropped, named.
    const babel = await athlete();
    const invalid = '1901-12-13T20:45:52Z';
    const mixed = gpx([
      [
        ...range(0, 2).map(() => ({ time: invalid, lat: 60, lon: 10 })),
        ...range(0, 119).map((s) => ({ time: iso(T + s * 1000), lat: 60 + s / 1e5, lon: 10 })),
      ],
    ]);
    const [c] = await imported(babel, 'gpsbabel.gpx', mixed);
    const kept = await stored(babel, c!.id);
    expect(kept.rows).toHaveLength(120);
    expect(kept).toMatchObject({ startedAt: iso(T), durationS: 119 });
    expect(kept.file?.notes).toEqual([
      '3 records dated before 1990-01-01T00:00:00Z or more than a day in the future (an unset device clock) dropped',
    ]);
    const allInvalid = await refused(
      babel,
      'all-1901.gpx',
      gpx([range(0, 9).map(() => ({ time: invalid, lat: 60, lon: 10 }))]),
    );
    expect(allInvalid).toMatchObject({
      status: 400,
      message:
        'all-1901.gpx: GPX has no timed track points (10 records dated before 1990-01-01T00:00:00Z or more than a day in the future (an unset device clock) dropped)',
      details: { reason: 'NO_DATA' },
    });

    // The clock jumps 20 days after 400 points: the 100 points beyond the jump are dropped, said so.
    const jumper = await athlete();
    const jumpAt = T + 20 * 86_400_000;
    const jump = gpx([
      [
        ...range(0, 399).map((s) => ({ time: iso(T + s * 1000), lat: 60 + s / 1e5, lon: 10 })),
        ...range(400, 499).map((s) => ({ time: iso(jumpAt + s * 1000), lat: 60 + s / 1e5, lon: 10 })),
      ],
    ]);
    const [d] = await imported(jumper, 'clock-jump.gpx', jump);
    const j = await stored(jumper, d!.id);
    expect(j.rows).toHaveLength(400);
    expect(j).toMatchObject({ startedAt: iso(T), durationS: 399 });
    expect(j.file?.notes).toEqual([
      `the clock jumps 20.0 days at ${iso(T + 399_000).replace('.000Z', 'Z')}: 100 records on the far side of the jump dropped`,
    ]);
  });

  it('class 11: developer-field power, HR and cadence (Stryd style) are kept', async () => {
    const who = await athlete();
    const T = day(12);
    const developerDataIdMesg = {
      developerDataIndex: 0,
      applicationId: Array(16).fill(7),
      applicationVersion: 1,
    };
    // Power names its native field (record.power, 7); HR and cadence are known by name only.
    const descriptions = [
      {
        fieldDefinitionNumber: 0,
        fitBaseTypeId: 132,
        fieldName: 'Power',
        units: 'Watts',
        nativeMesgNum: 20,
        nativeFieldNum: 7,
      },
      { fieldDefinitionNumber: 1, fitBaseTypeId: 2, fieldName: 'HR', units: 'bpm' },
      { fieldDefinitionNumber: 2, fitBaseTypeId: 2, fieldName: 'Cadence', units: 'spm' },
    ].map((d) => ({ developerDataIndex: 0, ...d }));
    const fieldDescriptions = Object.fromEntries(
      descriptions.map((d, key) => [key, { developerDataIdMesg, fieldDescriptionMesg: d }]),
    );
    const bytes = fit(
      [
        ...head(T, 'running', 'generic'),
        ['DEVELOPER_DATA_ID', developerDataIdMesg],
        ...descriptions.map((d): [string, Fields] => ['FIELD_DESCRIPTION', d]),
        ...records(T, range(0, 299), (i) => ({
          distance: i * 3,
          developerFields: { 0: i % 2 === 0 ? 250 : 260, 1: 150, 2: 90 },
        })),
        session(
          0,
          { startMs: T, elapsedS: 299, timerS: 299, distanceM: 897, sport: 'running', subSport: 'generic' },
          [0, 0],
        ),
        activityEnd(T + 299_000, 1),
      ],
      fieldDescriptions,
    );
    const [one] = await imported(who, 'stryd.fit', bytes);
    const s = await stored(who, one!.id);
    expect(s.rows).toHaveLength(300);
    expect(
      s.rows.every((r) => r.hr === 150 && r.cadence === 90 && (r.power === 250 || r.power === 260)),
    ).toBe(true);
    // 150 records at 250 W and 150 at 260 W; no native HR, so the average comes from the developer HR.
    expect(s.summary).toMatchObject({ avgPower: 255, maxPower: 260, avgCadence: 90, avgHr: 150 });
    expect(s).toMatchObject({ avgHr: 150, maxHr: 150, timeInZonesS: [0, 0, 299, 0, 0] });
  });

  it('class 12: a 4 h session downsampled for the chart draws one line per continuous stretch', async () => {
    const who = await athlete();
    const T = day(13);
    // 1 Hz for 2 h, a 10-minute stop, 1 Hz for 2 h more: 14,400 records.
    const offsets = [...range(0, 7199), ...range(7800, 14_999)];
    const bytes = fit([
      ...head(T, 'cycling', 'road'),
      ...records(T, offsets, (i) => ({ heartRate: 120 + (i % 40), power: 200 })),
      session(
        0,
        { startMs: T, elapsedS: 14_999, timerS: 14_398, sport: 'cycling', subSport: 'road' },
        [0, 0],
      ),
      activityEnd(T + 14_999_000, 1),
    ]);
    const [one] = await imported(who, 'long-ride.fit', bytes);
    expect(one).toMatchObject({ durationS: 14_999, movingTimeS: 14_398, summary: { sampleCount: 14_400 } });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sessions/${one!.id}/samples?maxPoints=1000`,
      headers: who.auth,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { total: number; downsampled: boolean; samples: Array<{ ts: number }> };
    expect([body.total, body.downsampled, body.samples.length]).toEqual([14_400, true, 1000]);
    // The session page's x axis (s from the start) and its own gap rule (apps/web/src/charts/gap-rule.ts).
    const points = body.samples.map((s) => ({ x: (s.ts - T) / 1000 }));
    const gapS = chartGapS(points);
    const breaks = points.slice(1).filter((p, i) => p.x - points[i]!.x > gapS);
    // Exactly one break, across the stop; the old fixed 10 s rule broke about half the ~15 s steps.
    expect(breaks).toHaveLength(1);
    const at = points.indexOf(breaks[0]!);
    expect(points[at - 1]!.x).toBeLessThanOrEqual(7199);
    expect(points[at]!.x).toBeGreaterThanOrEqual(7800);
    expect(points.slice(1).filter((p, i) => p.x - points[i]!.x > 10).length).toBeGreaterThan(400);
  });

  describe('malformed variants of each class are 4xx in words, never 5xx, storing nothing', () => {
    const T = day(20);
    const good = fit([
      ...head(T, 'running', 'generic'),
      ...records(T, range(0, 59), (i) => ({ heartRate: 140, distance: i * 3 })),
      session(0, { startMs: T, elapsedS: 59, timerS: 59, sport: 'running', subSport: 'generic' }, [0, 0]),
      activityEnd(T + 59_000, 1),
    ]);
    const headerOnly = Buffer.from(good.subarray(0, 14));
    headerOnly.writeUInt32LE(0, 4);
    // Deterministic noise after a valid header (data size and CRCs as a real file would have).
    const noise = Buffer.from(good);
    for (let i = 14; i < noise.length - 2; i++) noise[i] = (i * 73 + 41) & 0xff;
    const onlySession = fit([
      ['FILE_ID', { type: 'activity', manufacturer: 'development', product: 13 }],
      ['SESSION', { messageIndex: 0, totalElapsedTime: 600, sport: 'running' }],
    ]);
    // Records dated 1989-12-31 (a FIT timestamp of 0: an unset clock), no session.
    const epochOnly = fit([
      ['FILE_ID', { type: 'activity', manufacturer: 'development', product: 13 }],
      ...range(0, 9).map((i): [string, Fields] => ['RECORD', { timestamp: i, heartRate: 140 }]),
    ]);
    const badTcx = (activities: string) => tcx(activities);
    const cases: Array<[string, string | Buffer, RegExp]> = [
      [
        'header-only.fit',
        headerOnly,
        /\(the recording was never finished \(the device stopped before writing the end of the file\); its 14 bytes hold no records\)$/,
      ],
      [
        'noise.fit',
        noise,
        /\(undecodable data at byte 15 \(not FIT messages\); nothing before it could be read\)$/,
      ],
      [
        'twenty-bytes.fit',
        Buffer.from(good.subarray(0, 20)),
        /cut off: its header announces \d+ bytes but only 20 arrived/,
      ],
      ['only-session.fit', onlySession, /no timestamped activity records or session/],
      [
        'epoch.fit',
        epochOnly,
        /no timestamped activity records or session \(10 records dated before 1990-01-01T00:00:00Z/,
      ],
      ['empty-activities.tcx', badTcx(''), /TCX has no <Activity> or <MultiSportSession>/],
      [
        'empty-multisport.tcx',
        badTcx('<MultiSportSession><Id>x</Id><FirstSport></FirstSport></MultiSportSession>'),
        /TCX has no <Activity> or <MultiSportSession>/,
      ],
      [
        'untimed.tcx',
        badTcx(
          '<Activity Sport="Running"><Lap><Track><Trackpoint><Time>soon</Time></Trackpoint></Track></Lap></Activity>',
        ),
        /TCX has no laps or trackpoints/,
      ],
      [
        'half.tcx',
        tcx(
          tcxActivity('Running', [
            {
              startMs: T,
              timeS: 60,
              distanceM: 180,
              avgHr: 140,
              maxHr: 140,
              points: 60,
              mPerS: 3,
              distance0: 0,
            },
          ]),
        ).slice(0, 900),
        /malformed XML at line \d+, column \d+/,
      ],
      [
        'untimed.gpx',
        gpx([range(0, 9).map(() => ({ time: 'yesterday', lat: 60, lon: 10 }))]),
        /GPX has no timed track points \(10 track points without a readable <time> skipped\)/,
      ],
      ['empty-segment.gpx', gpx([[]]), /GPX has no timed track points$/],
      [
        'doctype.gpx',
        `<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x "y">]>${gpx([[{ time: iso(T), lat: 60, lon: 10 }]]).split('?>\n')[1]}`,
        /<!DOCTYPE> or <!ENTITY> declaration is not accepted/,
      ],
      [
        'deep.gpx',
        `<gpx>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</gpx>`,
        /nested more than 64 elements deep/,
      ],
      ['kml.gpx', '<?xml version="1.0"?><kml><Document/></kml>', /not a FIT, GPX or TCX file/],
    ];
    it.each(cases)('%s', async (name, bytes, message) => {
      const who = await athlete();
      const error = await refused(who, name, bytes);
      expect(error.status).toBe(400);
      expect(error.message.startsWith(`${name}: `), error.message).toBe(true);
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/undefined|NaN|\[object|ends early/);
    });
  });
});
