import { type ActivitySample, type ExportActivity, exportLaps, type ParsedLap } from './types.ts';
import { escapeXml, xmlTime } from './xml.ts';

const num = (value: number, digits: number) => String(Number(value.toFixed(digits)));

/** TCX knows three sports. */
function tcxSport(sport: string | null): 'Running' | 'Biking' | 'Other' {
  if (sport === 'running') return 'Running';
  if (sport === 'cycling') return 'Biking';
  return 'Other';
}

function trackpoint(s: ActivitySample): string {
  const parts = [`<Time>${xmlTime(s.ts)}</Time>`];
  if (s.lat !== undefined && s.lon !== undefined) {
    parts.push(
      `<Position><LatitudeDegrees>${num(s.lat, 7)}</LatitudeDegrees><LongitudeDegrees>${num(s.lon, 7)}</LongitudeDegrees></Position>`,
    );
  }
  if (s.alt !== undefined) parts.push(`<AltitudeMeters>${num(s.alt, 2)}</AltitudeMeters>`);
  if (s.distance !== undefined) parts.push(`<DistanceMeters>${num(s.distance, 2)}</DistanceMeters>`);
  if (s.hr !== undefined) parts.push(`<HeartRateBpm><Value>${Math.round(s.hr)}</Value></HeartRateBpm>`);
  if (s.cadence !== undefined) parts.push(`<Cadence>${Math.min(254, Math.round(s.cadence))}</Cadence>`);
  const tpx = [
    s.speed === undefined ? '' : `<ns3:Speed>${num(s.speed, 3)}</ns3:Speed>`,
    s.power === undefined ? '' : `<ns3:Watts>${Math.round(s.power)}</ns3:Watts>`,
  ].join('');
  if (tpx !== '') parts.push(`<Extensions><ns3:TPX>${tpx}</ns3:TPX></Extensions>`);
  return `<Trackpoint>${parts.join('')}</Trackpoint>`;
}

function lapXml(lap: ParsedLap, samples: readonly ActivitySample[]): string {
  const parts = [`<TotalTimeSeconds>${num(lap.movingTimeS ?? lap.elapsedS ?? 0, 3)}</TotalTimeSeconds>`];
  if (lap.distanceM !== null) parts.push(`<DistanceMeters>${num(lap.distanceM, 2)}</DistanceMeters>`);
  if (lap.maxSpeed !== null) parts.push(`<MaximumSpeed>${num(lap.maxSpeed, 3)}</MaximumSpeed>`);
  parts.push(`<Calories>${Math.round(lap.calories ?? 0)}</Calories>`);
  if (lap.avgHr !== null)
    parts.push(`<AverageHeartRateBpm><Value>${Math.round(lap.avgHr)}</Value></AverageHeartRateBpm>`);
  if (lap.maxHr !== null)
    parts.push(`<MaximumHeartRateBpm><Value>${Math.round(lap.maxHr)}</Value></MaximumHeartRateBpm>`);
  parts.push('<Intensity>Active</Intensity>');
  if (lap.avgCadence !== null) parts.push(`<Cadence>${Math.min(254, Math.round(lap.avgCadence))}</Cadence>`);
  parts.push('<TriggerMethod>Manual</TriggerMethod>');
  if (samples.length > 0) parts.push(`<Track>${samples.map(trackpoint).join('\n')}</Track>`);
  const lx = [
    lap.avgSpeed === null ? '' : `<ns3:AvgSpeed>${num(lap.avgSpeed, 3)}</ns3:AvgSpeed>`,
    lap.avgPower === null ? '' : `<ns3:AvgWatts>${Math.round(lap.avgPower)}</ns3:AvgWatts>`,
  ].join('');
  if (lx !== '') parts.push(`<Extensions><ns3:LX>${lx}</ns3:LX></Extensions>`);
  return `<Lap StartTime="${xmlTime(lap.startedAt.getTime())}">${parts.join('\n')}</Lap>`;
}

/**
 * Writes one activity as Garmin TCX v2: its laps (one covering the whole activity when it has
 * none, the first starting with the activity) with each sample as a trackpoint of the lap it
 * falls in; the name goes to <Notes>.
 */
export function encodeTcxSession(activity: ExportActivity): string {
  const laps = exportLaps(activity).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  // TCX has no activity start but its first lap's: a device's first lap may start a second off.
  if (laps[0] !== undefined) laps[0] = { ...laps[0], startedAt: activity.startedAt };
  const lapSamples = laps.map((): ActivitySample[] => []);
  for (const s of activity.samples) {
    let index = 0;
    for (let i = 1; i < laps.length; i++) if (s.ts >= laps[i]!.startedAt.getTime()) index = i;
    lapSamples[index]!.push(s);
  }
  const notes = activity.name === null ? '' : `<Notes>${escapeXml(activity.name)}</Notes>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"' +
      ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">',
    `<Activities><Activity Sport="${tcxSport(activity.sport)}">`,
    `<Id>${xmlTime(activity.startedAt.getTime())}</Id>`,
    ...laps.map((lap, i) => lapXml(lap, lapSamples[i]!)),
    notes,
    '</Activity></Activities>',
    '</TrainingCenterDatabase>',
    '',
  ].join('\n');
}
