import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ActivitySample,
  detectActivityFileFormat,
  type ExportActivity,
  encodeFitActivity,
  encodeGpxSession,
  haversineM,
  InvalidFileError,
  parseActivityFile,
  sessionFromActivity,
} from '../src/index.ts';

const sharedFit = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/fit/${name}`, import.meta.url)));
const local = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));

function expectInvalid(run: () => unknown, code: string): InvalidFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFileError);
    expect((error as InvalidFileError).code).toBe(code);
    return error as InvalidFileError;
  }
  throw new Error(`expected InvalidFileError ${code}`);
}

describe('FIT files from real devices', () => {
  it('reads a Wahoo ELEMNT ride with HR and GPS', () => {
    const file = parseActivityFile(sharedFit('2019-02-17-062644-ELEMNT-297E-195-0.fit'));
    expect(file.format).toBe('fit');
    expect(file.activities[0]!.sport).toBe('cycling');
    expect(file.activities[0]!.samples.length).toBe(13_471);
    expect(file.activities[0]!.avgHr).toBe(124);
    expect(file.activities[0]!.durationS).toBeGreaterThan(3 * 3600);
    const withGps = file.activities[0]!.samples.find((s) => s.lat !== undefined);
    expect(withGps?.lat).toBeGreaterThan(-90);
    expect(withGps?.lat).toBeLessThan(90);
    expect(file.partial).toBe(false);
  });

  it('converts semicircles to degrees and keeps power (Edge 810 + Vector)', () => {
    const file = parseActivityFile(sharedFit('Edge810-Vector-2013-08-16-15-35-10.fit'));
    const first = file.activities[0]!.samples[0]!;
    expect(first.lat).toBeCloseTo((568210171 * 180) / 2 ** 31, 9);
    expect(first.lon).toBeCloseTo((-630113287 * 180) / 2 ** 31, 9);
    expect(first.lat).toBeCloseTo(47.63, 1);
    expect(file.activities[0]!.samples.some((s) => (s.power ?? 0) > 100)).toBe(true);
    expect(file.activities[0]!.startedAt?.toISOString()).toBe('2013-08-16T18:05:10.000Z');
  });

  it('computes the average HR when the session has none (Fenix 2 run)', () => {
    const file = parseActivityFile(sharedFit('activity-small-fenix2-run.fit'));
    expect(file.activities[0]!.sport).toBe('running');
    expect(file.activities[0]!.avgHr).toBeGreaterThan(60);
    expect(file.activities[0]!.samples.length).toBe(2809);
  });

  it.each([
    ['garmin-fenix-5-run.fit', 'running'],
    ['garmin-fenix-5-walk.fit', 'walking'],
    ['garmin-edge-820-bike.fit', 'cycling'],
    ['coros-pace-2-cycling-misaligned-fields.fit', 'cycling'],
  ])('reads %s', (name, sport) => {
    const file = parseActivityFile(sharedFit(name), { filename: name });
    expect(file.activities[0]!.sport).toBe(sport);
    expect(file.activities[0]!.samples.length).toBeGreaterThan(10);
    expect(file.activities[0]!.samples.every((s, i, all) => i === 0 || s.ts >= all[i - 1]!.ts)).toBe(true);
  });

  it('reads an indoor-trainer file with no GPS', () => {
    const file = parseActivityFile(sharedFit('sample-activity-indoor-trainer.fit'));
    expect(file.activities[0]!.samples.every((s) => s.lat === undefined)).toBe(true);
    expect(file.activities[0]!.avgHr).toBe(148);
  });

  it('refuses a truncated file, or reads it partially when asked', () => {
    const error = expectInvalid(
      () => parseActivityFile(sharedFit('activity-unexpected-eof.fit'), 'eof.fit'),
      'TRUNCATED',
    );
    expect(error.message).toMatch(
      /^eof\.fit: the file is cut off: its header announces 771 bytes but only 768 arrived/,
    );
    expect(error.samplesRead).toBe(14);
    const partial = parseActivityFile(sharedFit('activity-unexpected-eof.fit'), { allowPartial: true });
    expect(partial.partial).toBe(true);
    expect(partial.issues[0]?.code).toBe('TRUNCATED');
    expect(partial.activities[0]!.samples).toHaveLength(14);
  });

  it('refuses a file with a corrupt header / trailing garbage', () => {
    expectInvalid(() => parseActivityFile(sharedFit('activity-settings-corruptheader.fit')), 'CORRUPT');
    const partial = parseActivityFile(sharedFit('activity-settings-corruptheader.fit'), {
      allowPartial: true,
    });
    expect(partial.activities[0]!.samples).toHaveLength(14);
  });

  it('refuses the Strava file with a bad CRC unless partial reads are allowed', () => {
    expectInvalid(() => parseActivityFile(sharedFit('strava-android-app-201.10-b1218918.fit')), 'TRUNCATED');
    const partial = parseActivityFile(sharedFit('strava-android-app-201.10-b1218918.fit'), {
      allowPartial: true,
    });
    // The app writes GPS and sensor records for the same second: merged, not dropped.
    expect(partial.activities[0]!.samples.length).toBe(235);
    expect(partial.notes).toContain('237 records sharing a timestamp with another merged field by field');
    expect(partial.activities[0]!.samples.every((s) => s.hr === undefined)).toBe(true);
  });

  it('refuses a FIT file without timestamped records or a session', () => {
    expectInvalid(() => parseActivityFile(sharedFit('DeveloperData.fit')), 'NO_DATA');
  });

  it('refuses empty, unknown and cut-in-half input', () => {
    expectInvalid(() => parseActivityFile(new Uint8Array()), 'EMPTY');
    const notFit = expectInvalid(() => parseActivityFile(Buffer.from('hello'), 'ride.fit'), 'UNKNOWN_FORMAT');
    expect(notFit.message).toContain('named .fit but has no FIT header');
    const full = sharedFit('garmin-fenix-5-run.fit');
    expectInvalid(() => parseActivityFile(full.subarray(0, full.length / 2)), 'TRUNCATED');
  });
});

describe('FIT encoded in the test', () => {
  const startMs = Date.parse('2024-06-01T07:00:00Z');
  const samples: ActivitySample[] = Array.from({ length: 600 }, (_, i) => ({
    ts: startMs + i * 1000,
    hr: 100 + (i % 60),
    speed: 3.2,
    distance: i * 3.2,
    cadence: 85,
    alt: 100 + i / 100,
    lat: 48.85 + i * 0.00003,
    lon: 2.35,
  }));

  it('round-trips through the SDK encoder and our parser', () => {
    const bytes = encodeFitActivity({ sport: 'running', samples, calories: 210 });
    expect(detectActivityFileFormat(bytes)).toBe('fit');
    const file = parseActivityFile(bytes);
    expect(file.partial).toBe(false);
    expect(file.activities[0]!.samples).toHaveLength(600);
    expect(file.activities[0]!.sport).toBe('running');
    expect(file.activities[0]!.durationS).toBe(599);
    expect(file.activities[0]!.distanceM).toBeCloseTo(599 * 3.2, 1);
    expect(file.activities[0]!.calories).toBe(210);
    expect(file.activities[0]!.maxHr).toBe(159);
    const last = file.activities[0]!.samples.at(-1)!;
    expect(last.ts).toBe(startMs + 599_000);
    expect(last.lat).toBeCloseTo(48.85 + 599 * 0.00003, 6);
    expect(last.alt).toBeCloseTo(105.99, 1);
    expect(last.speed).toBeCloseTo(3.2, 3);

    const session = sessionFromActivity(file.activities[0]!, 'sha256:abc');
    expect(session).toMatchObject({
      source: 'file',
      externalId: 'sha256:abc',
      sport: 'running',
      durationS: 599,
    });
  });

  it('detects a damaged file CRC', () => {
    const bytes = encodeFitActivity({ sport: 'cycling', samples });
    const damaged = Uint8Array.from(bytes);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
    const error = expectInvalid(() => parseActivityFile(damaged), 'CRC_MISMATCH');
    expect(error.message).toContain('CRC');
  });
});

describe('GPX and TCX', () => {
  it('parses GPX trackpoints with Garmin HR/cadence extensions across segments', () => {
    const file = parseActivityFile(local('morning-run.gpx'), 'morning-run.gpx');
    expect(file.format).toBe('gpx');
    expect(file.activities[0]!.sport).toBe('running');
    expect(file.activities[0]!.samples).toHaveLength(4);
    expect(file.activities[0]!.samples[1]).toMatchObject({
      hr: 140,
      cadence: 84,
      alt: 12.5,
      lat: 51.5009,
      lon: -0.12,
    });
    expect(file.activities[0]!.samples[3]?.hr).toBeUndefined();
    // 0.0009° of latitude ≈ 100.08 m: one step in each segment; the gap between them is a pause
    expect(file.activities[0]!.distanceM).toBeCloseTo(200.15, 1);
    expect(file.activities[0]!.durationS).toBe(90);
    expect(file.activities[0]!.movingTimeS).toBe(60);
    expect(file.notes).toEqual([
      '2 track segments: each gap between segments is a pause (no distance, no moving time)',
    ]);
    expect(file.activities[0]!.maxHr).toBe(150);
    expect(file.device).toBe('Athlete Platform test');
  });

  it('parses TCX laps and trackpoints with TPX speed/power', () => {
    const file = parseActivityFile(local('evening-ride.tcx'));
    expect(file.format).toBe('tcx');
    expect(file.activities[0]!.sport).toBe('cycling');
    expect(file.activities[0]!.sourceSport).toBe('Biking');
    expect(file.activities[0]!.samples).toHaveLength(3);
    expect(file.activities[0]!.samples[0]).toMatchObject({
      hr: 120,
      cadence: 85,
      speed: 8.1,
      power: 180,
      lat: 45,
      lon: 7,
      alt: 250,
    });
    expect(file.activities[0]!.durationS).toBe(120);
    expect(file.activities[0]!.distanceM).toBe(1020);
    expect(file.activities[0]!.calories).toBe(42);
    expect(file.activities[0]!.avgHr).toBe(140);
    expect(file.activities[0]!.maxHr).toBe(160);
    expect(file.device).toBe('Edge Test');
  });

  it('names malformed and truncated XML', () => {
    const gpx = local('morning-run.gpx').toString('utf8');
    const error = expectInvalid(() => parseActivityFile(Buffer.from(gpx.slice(0, 600))), 'MALFORMED_XML');
    expect(error.message).toMatch(/line \d+/);
    expectInvalid(() => parseActivityFile(Buffer.from('<?xml version="1.0"?><kml></kml>')), 'UNKNOWN_FORMAT');
    expectInvalid(
      () => parseActivityFile(Buffer.from('<gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>')),
      'NO_DATA',
    );
  });
});

describe('GPX out: segments where the stored distance stops', () => {
  const T = Date.UTC(2026, 5, 1, 8, 0, 0);
  /** 60 points 1 s apart heading north, then 60 more after a gap of `gapS`. */
  function activity(gapS: number, distanceAcrossGap: 'covered' | 'flat'): ExportActivity {
    const samples: ActivitySample[] = [];
    let distance = 0;
    for (let i = 0; i < 120; i++) {
      const lat = 60 + (i < 60 ? i : i + 40) * 1e-5;
      const previous = samples.at(-1);
      if (previous) {
        const step = haversineM(previous.lat!, previous.lon!, lat, 10);
        if (i !== 60 || distanceAcrossGap === 'covered') distance += step;
      }
      samples.push({ ts: T + (i < 60 ? i : i + gapS) * 1000, lat, lon: 10, distance, hr: 120 });
    }
    const last = samples.at(-1)!;
    return {
      name: null,
      sport: 'running',
      sourceSport: null,
      sourceSubSport: null,
      startedAt: new Date(T),
      durationS: (last.ts - T) / 1000,
      movingTimeS: null,
      distanceM: distance,
      avgHr: 120,
      maxHr: 120,
      avgSpeed: null,
      maxSpeed: null,
      totalAscentM: null,
      calories: null,
      samples,
      laps: [],
    };
  }
  const segments = (xml: string) => xml.split('<trkseg>').length - 1;

  it('starts a segment at a pause the distance did not cover, and reads back without the jump', () => {
    const out = activity(3600, 'flat');
    const xml = encodeGpxSession(out)!;
    expect(segments(xml)).toBe(2);
    const back = parseActivityFile(Buffer.from(xml)).activities[0]!;
    expect(back.distanceM).toBeCloseTo(out.distanceM!, 0);
    expect(back.samples).toHaveLength(120);
  });

  it('keeps one segment across a gap the distance covered (smart recording)', () => {
    const out = activity(30, 'covered');
    const xml = encodeGpxSession(out)!;
    expect(segments(xml)).toBe(1);
    expect(parseActivityFile(Buffer.from(xml)).activities[0]!.distanceM).toBeCloseTo(out.distanceM!, 0);
  });
});
