// Writes activity files with the properties issue #13 names (multisport FIT, smart recording,
// an unfinished FIT, two records per second, a pause, TCX multisport and several activities,
// GPX segments) into DIR, for `pnpm fidelity DIR`. FIT through the Garmin SDK Encoder, XML by hand.
// Usage: pnpm --filter @athlete/api exec tsx bench/fidelity-samples.ts DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeTcxSession } from '@athlete/providers';
import { Encoder, type Mesg, Profile } from '@garmin/fitsdk';

const dir = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'fidelity-samples');
mkdirSync(dir, { recursive: true });
const T0 = Date.UTC(2026, 9, 4, 7, 0, 0);
const SEMI = 2 ** 31 / 180;

interface Rec {
  t: number;
  hr?: number;
  dist?: number;
  lat?: number;
  lon?: number;
  power?: number;
}

interface Leg {
  sport: string;
  subSport?: string;
  records: Rec[];
  /** Timer time, when it differs from the records' span (a pause). */
  timerS?: number;
}

/** Session totals as a device writes them: from its own records. */
function totals(leg: Leg) {
  const first = leg.records[0]!.t;
  const last = leg.records.at(-1)!.t;
  const hrs = leg.records.map((r) => r.hr).filter((v) => v !== undefined);
  const dists = leg.records.map((r) => r.dist).filter((v) => v !== undefined);
  return {
    startTime: new Date(first),
    timestamp: new Date(last),
    totalElapsedTime: (last - first) / 1000,
    totalTimerTime: leg.timerS ?? (last - first) / 1000,
    totalDistance: dists.length ? Math.max(...dists) - Math.min(...dists) : undefined,
    avgHeartRate: hrs.length ? Math.round(hrs.reduce((a, b) => a + b, 0) / hrs.length) : undefined,
    maxHeartRate: hrs.length ? Math.max(...hrs) : undefined,
    sport: leg.sport,
    subSport: leg.subSport ?? 'generic',
  };
}

function fit(legs: Leg[], { unfinished = false } = {}): Buffer {
  const e = new Encoder();
  const w = (name: string, m: Record<string, unknown>) =>
    e.onMesg(
      Profile.MesgNum[name]!,
      Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as Mesg,
    );
  w('FILE_ID', {
    type: 'activity',
    manufacturer: 'development',
    product: 42,
    timeCreated: new Date(legs[0]!.records[0]!.t),
  });
  if (unfinished) w('SPORT', { sport: legs[0]!.sport, subSport: legs[0]!.subSport ?? 'generic' });
  for (const [i, leg] of legs.entries()) {
    w('EVENT', { timestamp: new Date(leg.records[0]!.t), event: 'timer', eventType: 'start' });
    for (const r of leg.records) {
      w('RECORD', {
        timestamp: new Date(r.t),
        heartRate: r.hr,
        distance: r.dist,
        power: r.power,
        positionLat: r.lat === undefined ? undefined : Math.round(r.lat * SEMI),
        positionLong: r.lon === undefined ? undefined : Math.round(r.lon * SEMI),
      });
    }
    if (unfinished) break;
    const t = totals(leg);
    w('LAP', { ...t, messageIndex: i, event: 'lap', eventType: 'stop' });
    w('SESSION', {
      ...t,
      messageIndex: i,
      firstLapIndex: i,
      numLaps: 1,
      event: 'session',
      eventType: 'stop',
    });
  }
  if (!unfinished) {
    const last = legs.at(-1)!.records.at(-1)!.t;
    w('ACTIVITY', {
      timestamp: new Date(last),
      numSessions: legs.length,
      type: 'manual',
      event: 'activity',
      eventType: 'stop',
    });
  }
  const bytes = Buffer.from(e.close());
  if (unfinished) {
    // A device that lost power: the header's data size was never written, nor the file CRC.
    const cut = Buffer.from(bytes.subarray(0, bytes.length - 2));
    cut.writeUInt32LE(0, 4);
    cut.writeUInt16LE(0, 12);
    return cut;
  }
  return bytes;
}

/** n records every `stepS` (or the steps given) from `startMs`, moving `mPerS`. */
function track(startMs: number, steps: number[], { hr = 140, mPerS = 3, lat = 59.9 } = {}): Rec[] {
  let t = startMs;
  let d = 0;
  return steps.map((step, i) => {
    if (i > 0) {
      t += step * 1000;
      d += step * mPerS;
    }
    return { t, hr: hr + (i % 7), dist: Math.round(d * 100) / 100, lat: lat + d / 111_000, lon: 10.7 };
  });
}
const every = (n: number, s = 1) => Array.from({ length: n }, () => s);

const files: Record<string, Buffer | string> = {};

files['triathlon-3-sessions.fit'] = fit([
  { sport: 'swimming', subSport: 'openWater', records: track(T0, every(900), { hr: 130, mPerS: 1.2 }) },
  { sport: 'transition', records: track(T0 + 905_000, every(120), { hr: 145, mPerS: 1.5 }) },
  { sport: 'cycling', records: track(T0 + 1_030_000, every(2400), { hr: 150, mPerS: 9 }) },
  { sport: 'running', records: track(T0 + 3_440_000, every(1500), { hr: 160, mPerS: 3.4 }) },
]);

// Smart recording: a record every 1–10 s.
const smartSteps = Array.from({ length: 700 }, (_, i) => (i === 0 ? 0 : 1 + ((i * 7) % 10)));
files['smart-recording.fit'] = fit([{ sport: 'running', records: track(T0 + 86_400_000, smartSteps) }]);

// Timer stopped for 5 minutes: elapsed 45 min, timer 40 min.
// One track whose last 1,500 records come 5 minutes later (same place, distance going on).
const paused = track(T0 + 2 * 86_400_000, every(2700)).map((r, i) =>
  i < 1200 ? r : { ...r, t: r.t + 300_000 },
);
files['pause-5-min.fit'] = fit([
  { sport: 'running', records: paused, timerS: (paused.at(-1)!.t - paused[0]!.t) / 1000 - 300 },
]);

// Two records per second (GPS and sensor written apart, as Suunto does).
const split: Rec[] = [];
for (const r of track(T0 + 3 * 86_400_000, every(900))) {
  split.push({ t: r.t, lat: r.lat, lon: r.lon, dist: r.dist });
  split.push({ t: r.t, hr: r.hr, power: 200 });
}
files['two-records-per-second.fit'] = fit([{ sport: 'cycling', records: split }]);

files['unfinished.fit'] = fit(
  [{ sport: 'rowing', subSport: 'indoorRowing', records: track(T0 + 4 * 86_400_000, every(600)) }],
  {
    unfinished: true,
  },
);

const xmlTime = (ms: number) => new Date(ms).toISOString();
const tcxActivity = (sport: string, recs: Rec[]) =>
  `<Activity Sport="${sport}"><Id>${xmlTime(recs[0]!.t)}</Id><Lap StartTime="${xmlTime(recs[0]!.t)}">` +
  `<TotalTimeSeconds>${(recs.at(-1)!.t - recs[0]!.t) / 1000}</TotalTimeSeconds>` +
  `<DistanceMeters>${recs.at(-1)!.dist! - recs[0]!.dist!}</DistanceMeters><Calories>0</Calories>` +
  `<AverageHeartRateBpm><Value>${Math.round(recs.reduce((a, r) => a + r.hr!, 0) / recs.length)}</Value></AverageHeartRateBpm>` +
  `<MaximumHeartRateBpm><Value>${Math.max(...recs.map((r) => r.hr!))}</Value></MaximumHeartRateBpm>` +
  `<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>${recs
    .map(
      (r) =>
        `<Trackpoint><Time>${xmlTime(r.t)}</Time><DistanceMeters>${r.dist}</DistanceMeters><HeartRateBpm><Value>${r.hr}</Value></HeartRateBpm></Trackpoint>`,
    )
    .join('')}</Track></Lap></Activity>`;
const tcx = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>${body}</Activities></TrainingCenterDatabase>\n`;

const bikeLeg = track(T0 + 5 * 86_400_000, every(1800), { mPerS: 8 });
const runLeg = track(T0 + 5 * 86_400_000 + 1_900_000, every(1200), { hr: 155 });
files['multisport.tcx'] = tcx(
  `<MultiSportSession><Id>${xmlTime(bikeLeg[0]!.t)}</Id><FirstSport>${tcxActivity('Biking', bikeLeg)}</FirstSport><NextSport>${tcxActivity('Running', runLeg)}</NextSport></MultiSportSession>`,
);
files['two-activities.tcx'] = tcx(
  tcxActivity('Running', track(T0 + 6 * 86_400_000, every(1200))) +
    tcxActivity('Running', track(T0 + 6 * 86_400_000 + 7_200_000, every(900), { hr: 150 })),
);

// GPX: the receiver off for an hour between two segments (a pause, no distance across it).
const seg = (recs: Rec[]) =>
  `<trkseg>${recs.map((r) => `<trkpt lat="${r.lat!.toFixed(7)}" lon="${r.lon!.toFixed(7)}"><time>${xmlTime(r.t)}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>${r.hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>`).join('')}</trkseg>`;
files['two-segments.gpx'] =
  `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="hand" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"><trk><name>Two segments</name><type>hiking</type>${seg(
    track(T0 + 7 * 86_400_000, every(600), { mPerS: 1.3 }),
  )}${seg(track(T0 + 7 * 86_400_000 + 4_200_000, every(600), { mPerS: 1.3, lat: 59.95 }))}</trk></gpx>\n`;

// A session written back out by the platform's own TCX encoder (export → import).
files['platform-export.tcx'] = encodeTcxSession({
  name: 'Exported',
  sport: 'cycling',
  sourceSport: null,
  sourceSubSport: null,
  startedAt: new Date(T0 + 8 * 86_400_000),
  durationS: 1799,
  movingTimeS: 1799,
  distanceM: 1799 * 7,
  avgHr: 143,
  maxHr: 146,
  avgSpeed: 7,
  maxSpeed: null,
  totalAscentM: null,
  calories: null,
  samples: track(T0 + 8 * 86_400_000, every(1800), { mPerS: 7 }).map((r) => ({
    ts: r.t,
    hr: r.hr,
    distance: r.dist,
  })),
  laps: [],
});

for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
console.log(`${Object.keys(files).length} files written to ${dir}`);
