import { normaliseSport } from '../normalise/sport.ts';
import { finiteOrUndefined, summariseSamples } from './summary.ts';
import {
  type ActivitySample,
  InvalidFileError,
  type ParseActivityFileOptions,
  type ParsedActivityFile,
} from './types.ts';
import { child, children, findDeep, parseXml, text } from './xml.ts';

/** Parses a Garmin TCX activity: laps for totals, trackpoints (with the TPX extension) for samples. */
export function parseTcx(xml: string, options: ParseActivityFileOptions = {}): ParsedActivityFile {
  const { filename } = options;
  const root = child(
    parseXml(xml, ['Activity', 'Lap', 'Track', 'Trackpoint'], filename),
    'TrainingCenterDatabase',
  );
  if (root === undefined) {
    throw new InvalidFileError('UNKNOWN_FORMAT', 'XML is not TCX (no <TrainingCenterDatabase> root)', {
      filename,
    });
  }
  const activity = children(child(root, 'Activities'), 'Activity')[0];
  if (activity === undefined) throw new InvalidFileError('NO_DATA', 'TCX has no <Activity>', { filename });

  const samples: ActivitySample[] = [];
  let totalTimeS = 0;
  let totalDistance = 0;
  let calories = 0;
  let maxHr: number | undefined;
  let weightedHr = 0;
  let hrWeight = 0;
  const laps = children(activity, 'Lap');
  for (const lap of laps) {
    const lapTime = finiteOrUndefined(text(lap, 'TotalTimeSeconds')) ?? 0;
    totalTimeS += lapTime;
    totalDistance += finiteOrUndefined(text(lap, 'DistanceMeters')) ?? 0;
    calories += finiteOrUndefined(text(lap, 'Calories')) ?? 0;
    const lapAvg = finiteOrUndefined(text(child(lap, 'AverageHeartRateBpm'), 'Value'));
    const lapMax = finiteOrUndefined(text(child(lap, 'MaximumHeartRateBpm'), 'Value'));
    if (lapAvg !== undefined && lapTime > 0) {
      weightedHr += lapAvg * lapTime;
      hrWeight += lapTime;
    }
    if (lapMax !== undefined) maxHr = Math.max(maxHr ?? 0, lapMax);
    for (const track of children(lap, 'Track')) {
      for (const point of children(track, 'Trackpoint')) {
        const time = text(point, 'Time');
        const ts = time === undefined ? Number.NaN : Date.parse(time);
        if (Number.isNaN(ts)) continue;
        const sample: ActivitySample = { ts };
        const position = child(point, 'Position');
        const lat = finiteOrUndefined(text(position, 'LatitudeDegrees'));
        const lon = finiteOrUndefined(text(position, 'LongitudeDegrees'));
        if (lat !== undefined && lon !== undefined) {
          sample.lat = lat;
          sample.lon = lon;
        }
        const alt = finiteOrUndefined(text(point, 'AltitudeMeters'));
        const distance = finiteOrUndefined(text(point, 'DistanceMeters'));
        const hr = finiteOrUndefined(text(child(point, 'HeartRateBpm'), 'Value'));
        const extensions = point.Extensions;
        const cadence =
          finiteOrUndefined(text(point, 'Cadence')) ?? finiteOrUndefined(findDeep(extensions, 'RunCadence'));
        const speed = finiteOrUndefined(findDeep(extensions, 'Speed'));
        const power = finiteOrUndefined(findDeep(extensions, 'Watts'));
        if (alt !== undefined) sample.alt = alt;
        if (distance !== undefined) sample.distance = distance;
        if (hr !== undefined) sample.hr = hr;
        if (cadence !== undefined) sample.cadence = cadence;
        if (speed !== undefined) sample.speed = speed;
        if (power !== undefined) sample.power = power;
        samples.push(sample);
      }
    }
  }
  const firstLapStart = laps[0]?.['@_StartTime'];
  const startMs = typeof firstLapStart === 'string' ? Date.parse(firstLapStart) : Number.NaN;
  if (samples.length === 0 && Number.isNaN(startMs)) {
    throw new InvalidFileError('NO_DATA', 'TCX has no laps or trackpoints', { filename });
  }
  const computed = summariseSamples(samples);
  const sourceSport = typeof activity['@_Sport'] === 'string' ? activity['@_Sport'] : null;
  const startedAt = Number.isNaN(startMs) ? computed.startedAt : new Date(startMs);
  const hasLapTotals = laps.length > 0 && totalTimeS > 0;
  return {
    format: 'tcx',
    sport: normaliseSport(sourceSport),
    sourceSport,
    startedAt,
    endedAt:
      hasLapTotals && startedAt !== null
        ? new Date(startedAt.getTime() + totalTimeS * 1000)
        : computed.endedAt,
    durationS: hasLapTotals ? Math.round(totalTimeS) : computed.durationS,
    distanceM: hasLapTotals ? totalDistance : computed.distanceM,
    avgHr: hrWeight > 0 ? Math.round(weightedHr / hrWeight) : computed.avgHr,
    maxHr: maxHr ?? computed.maxHr,
    calories: calories > 0 ? calories : null,
    device: text(child(activity, 'Creator'), 'Name') ?? null,
    samples,
    partial: false,
    issues: [],
  };
}
