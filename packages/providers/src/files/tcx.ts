import { cleanSamples, fileCreditRule, plausibleTime, recordingIntervalS } from './clean.ts';
import { normaliseFileSport } from './sport.ts';
import { becauseOf, finishActivity, finiteOrUndefined, orNull, summariseSamples } from './summary.ts';
import {
  type ActivitySample,
  InvalidFileError,
  type ParseActivityFileOptions,
  type ParsedActivity,
  type ParsedActivityFile,
  type ParsedLap,
} from './types.ts';
import { child, children, findDeep, parseXml, text, type XmlNode, xmlTimeMs } from './xml.ts';

const ARRAY_TAGS = ['Activity', 'Lap', 'Track', 'Trackpoint', 'MultiSportSession', 'NextSport'];

/** Every <Activity> of the file: plain ones and the legs of each <MultiSportSession>. */
function activityNodes(activities: XmlNode | undefined): XmlNode[] {
  const nodes = [...children(activities, 'Activity')];
  for (const multisport of children(activities, 'MultiSportSession')) {
    nodes.push(...children(child(multisport, 'FirstSport'), 'Activity'));
    for (const next of children(multisport, 'NextSport')) nodes.push(...children(next, 'Activity'));
  }
  return nodes;
}

function sampleFromTrackpoint(point: XmlNode): ActivitySample | null {
  const ts = xmlTimeMs(text(point, 'Time'));
  if (Number.isNaN(ts)) return null;
  const sample: ActivitySample = { ts };
  const position = child(point, 'Position');
  const lat = finiteOrUndefined(text(position, 'LatitudeDegrees'));
  const lon = finiteOrUndefined(text(position, 'LongitudeDegrees'));
  if (lat !== undefined && lon !== undefined) {
    sample.lat = lat;
    sample.lon = lon;
  }
  const extensions = point.Extensions;
  const values = {
    alt: finiteOrUndefined(text(point, 'AltitudeMeters')),
    distance: finiteOrUndefined(text(point, 'DistanceMeters')),
    hr: finiteOrUndefined(text(child(point, 'HeartRateBpm'), 'Value')),
    cadence:
      finiteOrUndefined(text(point, 'Cadence')) ?? finiteOrUndefined(findDeep(extensions, 'RunCadence')),
    speed: finiteOrUndefined(findDeep(extensions, 'Speed')),
    power: finiteOrUndefined(findDeep(extensions, 'Watts')),
  };
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) sample[key as keyof typeof values] = value;
  }
  return sample;
}

function lapFrom(lap: XmlNode): ParsedLap | null {
  const start = xmlTimeMs(typeof lap['@_StartTime'] === 'string' ? lap['@_StartTime'] : undefined);
  if (Number.isNaN(start)) return null;
  const movingTimeS = orNull(text(lap, 'TotalTimeSeconds'));
  const distanceM = orNull(text(lap, 'DistanceMeters'));
  const extensions = lap.Extensions;
  const avgHr = orNull(text(child(lap, 'AverageHeartRateBpm'), 'Value'));
  const maxHr = orNull(text(child(lap, 'MaximumHeartRateBpm'), 'Value'));
  return {
    startedAt: new Date(start),
    elapsedS: null,
    movingTimeS,
    distanceM,
    avgHr: avgHr === 0 ? null : avgHr,
    maxHr: maxHr === 0 ? null : maxHr,
    avgSpeed:
      orNull(findDeep(extensions, 'AvgSpeed')) ??
      (distanceM !== null && movingTimeS !== null && movingTimeS > 0 ? distanceM / movingTimeS : null),
    maxSpeed: orNull(text(lap, 'MaximumSpeed')),
    avgPower: orNull(findDeep(extensions, 'AvgWatts')),
    avgCadence: orNull(text(lap, 'Cadence')) ?? orNull(findDeep(extensions, 'AvgRunCadence')),
    totalAscentM: null,
    calories: orNull(text(lap, 'Calories')),
  };
}

function parseActivity(node: XmlNode, notes: string[], now: number): ParsedActivity | null {
  const lapNodes = children(node, 'Lap');
  const raw: ActivitySample[] = [];
  for (const lap of lapNodes) {
    for (const track of children(lap, 'Track')) {
      for (const point of children(track, 'Trackpoint')) {
        const sample = sampleFromTrackpoint(point);
        if (sample !== null) raw.push(sample);
      }
    }
  }
  const samples = cleanSamples(raw, notes, now);
  const laps = lapNodes.map(lapFrom).filter((l) => l !== null);
  laps.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  // Each lap's elapsed time runs to the next lap's start (the last to the activity's end).
  const lastSampleMs = samples.at(-1)?.ts;
  const lapEndMs = laps.map((l) => l.startedAt.getTime() + (l.movingTimeS ?? 0) * 1000);
  const endMs = Math.max(lastSampleMs ?? Number.NEGATIVE_INFINITY, ...lapEndMs);
  laps.forEach((lap, i) => {
    const next = laps[i + 1]?.startedAt.getTime() ?? endMs;
    lap.elapsedS = Math.max(0, (next - lap.startedAt.getTime()) / 1000);
  });

  const sourceSport = typeof node['@_Sport'] === 'string' ? node['@_Sport'] : null;
  const intervalS = recordingIntervalS(samples);
  const computed = summariseSamples(samples, { maxGapS: fileCreditRule(intervalS).maxCreditS });
  const firstLap = laps[0];
  const sum = (pick: (l: ParsedLap) => number | null) =>
    laps.some((l) => pick(l) !== null) ? laps.reduce((acc, l) => acc + (pick(l) ?? 0), 0) : undefined;
  const movingTimeS = sum((l) => l.movingTimeS);
  const hrLaps = laps.filter((l) => l.avgHr !== null && (l.movingTimeS ?? 0) > 0);
  const hrTime = hrLaps.reduce((acc, l) => acc + l.movingTimeS!, 0);
  const maxHrs = laps.map((l) => l.maxHr).filter((v) => v !== null);
  const maxSpeeds = laps.map((l) => l.maxSpeed).filter((v) => v !== null);
  const startedAt = firstLap?.startedAt ?? computed.startedAt;
  if (startedAt === null) return null;
  if (!plausibleTime(startedAt.getTime(), now)) {
    notes.push(`an activity dated ${startedAt.toISOString()} (an unset device clock) was left out`);
    return null;
  }
  return finishActivity(
    normaliseFileSport(sourceSport, null),
    {
      name: text(node, 'Notes') ?? null,
      sourceSport,
      startedAt,
      durationS: Number.isFinite(endMs) ? Math.max(0, (endMs - startedAt.getTime()) / 1000) : undefined,
      movingTimeS: movingTimeS !== undefined && movingTimeS > 0 ? movingTimeS : undefined,
      distanceM: sum((l) => l.distanceM),
      avgHr:
        hrTime > 0
          ? Math.round(hrLaps.reduce((acc, l) => acc + l.avgHr! * l.movingTimeS!, 0) / hrTime)
          : undefined,
      maxHr: maxHrs.length > 0 ? Math.max(...maxHrs) : undefined,
      maxSpeed: maxSpeeds.length > 0 ? Math.max(...maxSpeeds) : undefined,
      calories: sum((l) => l.calories) || undefined,
    },
    samples,
    laps,
    computed,
  );
}

/** Parses a Garmin TCX file: every activity (and multisport leg), laps for totals, trackpoints for samples. */
export function parseTcx(xml: string, options: ParseActivityFileOptions = {}): ParsedActivityFile {
  const { filename } = options;
  const now = options.now ?? Date.now();
  const root = child(parseXml(xml, ARRAY_TAGS, filename), 'TrainingCenterDatabase');
  if (root === undefined) {
    throw new InvalidFileError('UNKNOWN_FORMAT', 'XML is not TCX (no <TrainingCenterDatabase> root)', {
      filename,
    });
  }
  const nodes = activityNodes(child(root, 'Activities'));
  if (nodes.length === 0)
    throw new InvalidFileError('NO_DATA', 'TCX has no <Activity> or <MultiSportSession>', { filename });
  const notes: string[] = [];
  const activities = nodes
    .map((node) => parseActivity(node, notes, now))
    .filter((a) => a !== null)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  if (activities.length === 0)
    throw new InvalidFileError('NO_DATA', `TCX has no laps or trackpoints${becauseOf(notes)}`, { filename });
  const device = nodes.map((node) => text(child(node, 'Creator'), 'Name')).find((name) => name !== undefined);
  return {
    format: 'tcx',
    device: device ?? null,
    activities,
    partial: false,
    issues: [],
    notes,
    recordingIntervalS: recordingIntervalS(activities.flatMap((a) => a.samples)),
  };
}
