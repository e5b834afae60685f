import { Encoder, type Mesg, Profile } from '@garmin/fitsdk';
import type { ActivitySample } from './types.ts';

const DEGREES_TO_SEMICIRCLES = 2 ** 31 / 180;

export interface FitActivityInput {
  /** FIT sport name, e.g. "running", "cycling". */
  sport: string;
  samples: readonly ActivitySample[];
  calories?: number;
}

/**
 * Writes a minimal valid FIT activity (file id, records, lap, session, activity) with the Garmin
 * SDK encoder. Used by tests and the provider sandbox to serve believable activity files.
 */
export function encodeFitActivity(input: FitActivityInput): Uint8Array {
  const first = input.samples[0];
  const last = input.samples.at(-1);
  if (first === undefined || last === undefined)
    throw new RangeError('a FIT activity needs at least one sample');
  const start = new Date(first.ts);
  const end = new Date(last.ts);
  const elapsedS = (last.ts - first.ts) / 1000;
  const heartRates = input.samples.map((s) => s.hr).filter((hr) => hr !== undefined);
  const avgHr =
    heartRates.length === 0
      ? undefined
      : Math.round(heartRates.reduce((a, b) => a + b, 0) / heartRates.length);
  const maxHr = heartRates.length === 0 ? undefined : Math.max(...heartRates);
  const totalDistance = last.distance;

  const encoder = new Encoder();
  const write = (name: string, mesg: Record<string, unknown>) => {
    const mesgNum = Profile.MesgNum[name];
    if (mesgNum === undefined) throw new Error(`unknown FIT message ${name}`);
    encoder.onMesg(mesgNum, mesg as Mesg);
  };
  write('FILE_ID', {
    type: 'activity',
    manufacturer: 'development',
    product: 1,
    serialNumber: 1234,
    timeCreated: start,
  });
  write('EVENT', { timestamp: start, event: 'timer', eventType: 'start' });
  for (const sample of input.samples) {
    const record: Record<string, unknown> = { timestamp: new Date(sample.ts) };
    if (sample.hr !== undefined) record.heartRate = Math.round(sample.hr);
    if (sample.speed !== undefined) record.speed = sample.speed;
    if (sample.distance !== undefined) record.distance = sample.distance;
    if (sample.alt !== undefined) record.altitude = sample.alt;
    if (sample.cadence !== undefined) record.cadence = Math.round(sample.cadence);
    if (sample.power !== undefined) record.power = Math.round(sample.power);
    if (sample.lat !== undefined && sample.lon !== undefined) {
      record.positionLat = Math.round(sample.lat * DEGREES_TO_SEMICIRCLES);
      record.positionLong = Math.round(sample.lon * DEGREES_TO_SEMICIRCLES);
    }
    write('RECORD', record);
  }
  write('EVENT', { timestamp: end, event: 'timer', eventType: 'stop' });
  const totals = {
    timestamp: end,
    startTime: start,
    totalElapsedTime: elapsedS,
    totalTimerTime: elapsedS,
    totalDistance,
    avgHeartRate: avgHr,
    maxHeartRate: maxHr,
    totalCalories: input.calories,
    sport: input.sport,
    subSport: 'generic',
  };
  write('LAP', { ...totals, messageIndex: 0 });
  write('SESSION', { ...totals, messageIndex: 0, firstLapIndex: 0, numLaps: 1 });
  write('ACTIVITY', {
    timestamp: end,
    numSessions: 1,
    type: 'manual',
    event: 'activity',
    eventType: 'stop',
    totalTimerTime: elapsedS,
  });
  return encoder.close();
}
