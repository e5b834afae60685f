import { normaliseSport } from '../normalise/sport.ts';
import { finiteOrUndefined, summariseSamples } from './summary.ts';
import {
  type ActivitySample,
  InvalidFileError,
  type ParseActivityFileOptions,
  type ParsedActivityFile,
} from './types.ts';
import { child, children, findDeep, parseXml, text } from './xml.ts';

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
  const root = child(parseXml(xml, ['trk', 'trkseg', 'trkpt'], filename), 'gpx');
  if (root === undefined)
    throw new InvalidFileError('UNKNOWN_FORMAT', 'XML is not GPX (no <gpx> root)', { filename });

  const samples: ActivitySample[] = [];
  let distance = 0;
  let previous: ActivitySample | undefined;
  const tracks = children(root, 'trk');
  for (const track of tracks) {
    for (const segment of children(track, 'trkseg')) {
      for (const point of children(segment, 'trkpt')) {
        const time = text(point, 'time');
        const ts = time === undefined ? Number.NaN : Date.parse(time);
        if (Number.isNaN(ts)) continue;
        const sample: ActivitySample = { ts };
        const lat = finiteOrUndefined(point['@_lat']);
        const lon = finiteOrUndefined(point['@_lon']);
        if (lat !== undefined && lon !== undefined) {
          sample.lat = lat;
          sample.lon = lon;
          if (previous?.lat !== undefined && previous.lon !== undefined) {
            distance += haversineM(previous.lat, previous.lon, lat, lon);
          }
          sample.distance = Math.round(distance * 100) / 100;
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
        samples.push(sample);
        previous = sample;
      }
    }
  }
  if (samples.length === 0)
    throw new InvalidFileError('NO_DATA', 'GPX has no timed track points', { filename });
  const sourceSport = text(tracks[0], 'type') ?? null;
  const computed = summariseSamples(samples);
  return {
    format: 'gpx',
    sport: normaliseSport(sourceSport),
    sourceSport,
    ...computed,
    calories: null,
    device: typeof root['@_creator'] === 'string' ? root['@_creator'] : null,
    samples,
    partial: false,
    issues: [],
  };
}
