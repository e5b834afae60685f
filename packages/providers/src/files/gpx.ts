import { cleanSamples, fileCreditRule, recordingIntervalS } from './clean.ts';
import { normaliseFileSport } from './sport.ts';
import { becauseOf, finishActivity, finiteOrUndefined, summariseSamples } from './summary.ts';
import {
  type ActivitySample,
  InvalidFileError,
  type ParseActivityFileOptions,
  type ParsedActivityFile,
} from './types.ts';
import { child, children, findDeep, parseXml, text, xmlTimeMs } from './xml.ts';

/** Great-circle distance in metres between two points (haversine, mean Earth radius). */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Parses GPX 1.1 tracks; HR/cadence/power from Garmin TrackPointExtension-style extensions. */
export function parseGpx(xml: string, options: ParseActivityFileOptions = {}): ParsedActivityFile {
  const { filename } = options;
  const now = options.now ?? Date.now();
  const root = child(parseXml(xml, ['trk', 'trkseg', 'trkpt'], filename), 'gpx');
  if (root === undefined)
    throw new InvalidFileError('UNKNOWN_FORMAT', 'XML is not GPX (no <gpx> root)', { filename });

  const raw: ActivitySample[] = [];
  // Where each segment starts: a new segment is a pause (receiver off), never distance.
  const segmentStarts = new Set<number>();
  let segmentCount = 0;
  let untimed = 0;
  const tracks = children(root, 'trk');
  for (const track of tracks) {
    for (const segment of children(track, 'trkseg')) {
      segmentCount += 1;
      let firstOfSegment = true;
      for (const point of children(segment, 'trkpt')) {
        const ts = xmlTimeMs(text(point, 'time'));
        if (Number.isNaN(ts)) {
          untimed += 1;
          continue;
        }
        const sample: ActivitySample = { ts };
        const lat = finiteOrUndefined(point['@_lat']);
        const lon = finiteOrUndefined(point['@_lon']);
        if (lat !== undefined && lon !== undefined) {
          sample.lat = lat;
          sample.lon = lon;
        }
        const alt = finiteOrUndefined(text(point, 'ele'));
        const extensions = point.extensions;
        const hr = finiteOrUndefined(findDeep(extensions, 'hr'));
        const cadence = finiteOrUndefined(findDeep(extensions, 'cad'));
        const power = finiteOrUndefined(findDeep(extensions, 'power'));
        const speed = finiteOrUndefined(findDeep(extensions, 'speed'));
        if (alt !== undefined) sample.alt = alt;
        if (hr !== undefined) sample.hr = hr;
        if (cadence !== undefined) sample.cadence = cadence;
        if (power !== undefined) sample.power = power;
        if (speed !== undefined) sample.speed = speed;
        raw.push(sample);
        if (firstOfSegment && segmentCount > 1) segmentStarts.add(ts);
        firstOfSegment = false;
      }
    }
  }
  const notes: string[] = [];
  if (untimed > 0) notes.push(`${untimed} track points without a readable <time> skipped`);
  const samples = cleanSamples(raw, notes, now);
  if (samples.length === 0)
    throw new InvalidFileError('NO_DATA', `GPX has no timed track points${becauseOf(notes)}`, { filename });

  // Distance from the points themselves, never across a segment break.
  const pauseBefore = new Set<number>();
  let distance = 0;
  let previous: ActivitySample | undefined;
  samples.forEach((sample, i) => {
    const newSegment = previous !== undefined && segmentStarts.has(sample.ts);
    if (newSegment) pauseBefore.add(i);
    if (sample.lat !== undefined && sample.lon !== undefined) {
      if (!newSegment && previous?.lat !== undefined && previous.lon !== undefined) {
        distance += haversineM(previous.lat, previous.lon, sample.lat, sample.lon);
      }
      sample.distance = Math.round(distance * 100) / 100;
    }
    previous = sample;
  });
  if (pauseBefore.size > 0)
    notes.push(
      `${pauseBefore.size + 1} track segments: each gap between segments is a pause (no distance, no moving time)`,
    );

  const intervalS = recordingIntervalS(samples);
  const computed = summariseSamples(samples, { maxGapS: fileCreditRule(intervalS).maxCreditS, pauseBefore });
  const sourceSport = text(tracks[0], 'type') ?? null;
  const activity = finishActivity(
    normaliseFileSport(sourceSport, null),
    { sourceSport, name: text(tracks[0], 'name') ?? text(child(root, 'metadata'), 'name') ?? null },
    samples,
    [],
    computed,
    [...pauseBefore].map((i) => samples[i]!.ts),
  );
  if (activity === null) throw new InvalidFileError('NO_DATA', 'GPX has no timed track points', { filename });
  return {
    format: 'gpx',
    device: typeof root['@_creator'] === 'string' ? root['@_creator'] : null,
    activities: [activity],
    partial: false,
    issues: [],
    notes,
    recordingIntervalS: intervalS,
  };
}
