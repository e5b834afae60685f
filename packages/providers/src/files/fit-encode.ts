import { Encoder, type Mesg, Profile } from '@garmin/fitsdk';
import { type ActivitySample, type ExportActivity, exportLaps, type ParsedLap } from './types.ts';

const DEGREES_TO_SEMICIRCLES = 2 ** 31 / 180;

export interface FitActivityInput {
  /** FIT sport name, e.g. "running", "cycling". */
  sport: string;
  samples: readonly ActivitySample[];
  calories?: number;
}

/** FIT sport and sub-sport for a platform sport with no FIT names of its own. */
const FIT_SPORT: Record<string, [string, string]> = {
  running: ['running', 'generic'],
  cycling: ['cycling', 'generic'],
  swimming: ['swimming', 'generic'],
  walking: ['walking', 'generic'],
  hiking: ['hiking', 'generic'],
  rowing: ['rowing', 'generic'],
  skiing: ['crossCountrySkiing', 'generic'],
  strength: ['training', 'strengthTraining'],
  yoga: ['training', 'yoga'],
};

const isFitValue = (type: 'sport' | 'subSport', name: string | null): name is string =>
  name !== null && Object.values(Profile.types[type] as Record<string, string>).includes(name);

/** The file's own FIT names when they are FIT names, else the platform sport's. */
function fitSport(activity: ExportActivity): { sport: string; subSport: string } {
  if (isFitValue('sport', activity.sourceSport)) {
    const subSport = isFitValue('subSport', activity.sourceSubSport) ? activity.sourceSubSport : 'generic';
    return { sport: activity.sourceSport, subSport };
  }
  const [sport, subSport] = FIT_SPORT[activity.sport ?? ''] ?? ['generic', 'generic'];
  return { sport, subSport };
}

const orUndefined = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? undefined : value;
const roundedOrUndefined = (value: number | null) => {
  const n = orUndefined(value);
  return n === undefined ? undefined : Math.round(n);
};

function lapMesg(lap: ParsedLap, index: number, sport: { sport: string; subSport: string }) {
  const elapsedS = lap.elapsedS ?? lap.movingTimeS ?? 0;
  return {
    messageIndex: index,
    timestamp: new Date(lap.startedAt.getTime() + elapsedS * 1000),
    startTime: lap.startedAt,
    event: 'lap',
    eventType: 'stop',
    totalElapsedTime: elapsedS,
    totalTimerTime: lap.movingTimeS ?? elapsedS,
    totalDistance: orUndefined(lap.distanceM),
    avgHeartRate: roundedOrUndefined(lap.avgHr),
    maxHeartRate: roundedOrUndefined(lap.maxHr),
    enhancedAvgSpeed: orUndefined(lap.avgSpeed),
    enhancedMaxSpeed: orUndefined(lap.maxSpeed),
    avgPower: roundedOrUndefined(lap.avgPower),
    avgCadence: roundedOrUndefined(lap.avgCadence),
    totalAscent: roundedOrUndefined(lap.totalAscentM),
    totalCalories: roundedOrUndefined(lap.calories),
    ...sport,
  };
}

/**
 * Writes one activity as a FIT activity file (file id, timer events, a record per sample, laps,
 * session, activity) with the Garmin SDK encoder. FIT records hold whole seconds, so samples of
 * one second would collapse on import; stored samples already are one per instant.
 */
export function encodeFitSession(activity: ExportActivity): Uint8Array {
  const start = activity.startedAt;
  const end = new Date(start.getTime() + activity.durationS * 1000);
  const sport = fitSport(activity);
  const encoder = new Encoder();
  const write = (name: string, mesg: Record<string, unknown>) => {
    const mesgNum = Profile.MesgNum[name];
    if (mesgNum === undefined) throw new Error(`unknown FIT message ${name}`);
    const defined = Object.fromEntries(Object.entries(mesg).filter(([, v]) => v !== undefined));
    encoder.onMesg(mesgNum, defined as Mesg);
  };
  write('FILE_ID', {
    type: 'activity',
    manufacturer: 'development',
    product: 1,
    serialNumber: 1234,
    timeCreated: start,
  });
  write('SPORT', { ...sport, name: activity.name ?? undefined });
  write('EVENT', { timestamp: start, event: 'timer', eventType: 'start' });
  for (const sample of activity.samples) {
    const record: Record<string, unknown> = { timestamp: new Date(sample.ts) };
    if (sample.hr !== undefined) record.heartRate = Math.round(sample.hr);
    if (sample.speed !== undefined) record.enhancedSpeed = sample.speed;
    if (sample.distance !== undefined) record.distance = sample.distance;
    if (sample.alt !== undefined) record.enhancedAltitude = sample.alt;
    if (sample.cadence !== undefined) record.cadence = Math.round(sample.cadence);
    if (sample.power !== undefined) record.power = Math.round(sample.power);
    if (sample.lat !== undefined && sample.lon !== undefined) {
      record.positionLat = Math.round(sample.lat * DEGREES_TO_SEMICIRCLES);
      record.positionLong = Math.round(sample.lon * DEGREES_TO_SEMICIRCLES);
    }
    write('RECORD', record);
  }
  write('EVENT', { timestamp: end, event: 'timer', eventType: 'stopAll' });
  const laps = exportLaps(activity);
  for (const [i, lap] of laps.entries()) write('LAP', lapMesg(lap, i, sport));
  write('SESSION', {
    messageIndex: 0,
    timestamp: end,
    startTime: start,
    event: 'session',
    eventType: 'stop',
    totalElapsedTime: activity.durationS,
    totalTimerTime: activity.movingTimeS ?? activity.durationS,
    totalDistance: orUndefined(activity.distanceM),
    avgHeartRate: roundedOrUndefined(activity.avgHr),
    maxHeartRate: roundedOrUndefined(activity.maxHr),
    enhancedAvgSpeed: orUndefined(activity.avgSpeed),
    enhancedMaxSpeed: orUndefined(activity.maxSpeed),
    totalAscent: roundedOrUndefined(activity.totalAscentM),
    totalCalories: roundedOrUndefined(activity.calories),
    sportProfileName: activity.name ?? undefined,
    firstLapIndex: 0,
    numLaps: laps.length,
    ...sport,
  });
  write('ACTIVITY', {
    timestamp: end,
    numSessions: 1,
    type: 'manual',
    event: 'activity',
    eventType: 'stop',
    totalTimerTime: activity.movingTimeS ?? activity.durationS,
  });
  return encoder.close();
}

/**
 * A minimal FIT activity from samples alone (totals computed from them): used by tests and the
 * provider sandbox to serve believable activity files.
 */
export function encodeFitActivity(input: FitActivityInput): Uint8Array {
  const first = input.samples[0];
  const last = input.samples.at(-1);
  if (first === undefined || last === undefined)
    throw new RangeError('a FIT activity needs at least one sample');
  const elapsedS = (last.ts - first.ts) / 1000;
  const heartRates = input.samples.map((s) => s.hr).filter((hr) => hr !== undefined);
  return encodeFitSession({
    name: null,
    sport: null,
    sourceSport: input.sport,
    sourceSubSport: 'generic',
    startedAt: new Date(first.ts),
    durationS: elapsedS,
    movingTimeS: elapsedS,
    distanceM: last.distance ?? null,
    avgHr:
      heartRates.length === 0 ? null : Math.round(heartRates.reduce((a, b) => a + b, 0) / heartRates.length),
    maxHr: heartRates.length === 0 ? null : Math.max(...heartRates),
    avgSpeed: null,
    maxSpeed: null,
    totalAscentM: null,
    calories: input.calories ?? null,
    samples: input.samples,
    laps: [],
  });
}
