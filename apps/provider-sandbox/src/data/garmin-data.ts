import type {
  ActivitySample,
  GarminActivity,
  GarminActivityDetails,
  GarminBodyComp,
  GarminDaily,
  GarminHrv,
  GarminRespiration,
  GarminSkinTemp,
  GarminSleep,
  GarminStressDetails,
  GarminUserMetrics,
} from '@athlete/providers';
import { baseRespiratoryRate, isOffNight, OFF_NIGHT_SHIFT } from './off-nights.ts';
import { addDays, localDateOf, localTimeMs, round, seededRandom } from './random.ts';
import type { SandboxUser } from './users.ts';

/** One local day of Garmin data; `uploadS` says when each summary reached Garmin (pull filter). */
export interface GarminDay {
  date: string;
  daily: GarminDaily;
  sleep: GarminSleep;
  hrv: GarminHrv;
  stressDetails: GarminStressDetails;
  userMetrics: GarminUserMetrics;
  bodyComp: GarminBodyComp | null;
  skinTemp: GarminSkinTemp;
  respiration: GarminRespiration;
  activity: GarminActivity | null;
  uploadS: number;
  activityUploadS: number | null;
}

const ACTIVITY_TYPES = [
  'RUNNING',
  'ROAD_BIKING',
  'TRAIL_RUNNING',
  'LAP_SWIMMING',
  'WALKING',
  'INDOOR_CYCLING',
] as const;

/** Every local date of the data set, oldest first. */
export function garminDates(user: SandboxUser, days: number, nowMs: number): string[] {
  const today = localDateOf(nowMs, user.offsetMinutes);
  return Array.from({ length: days }, (_, i) => addDays(today, i - (days - 1)));
}

/** Deterministic per (user, date): independent of `now` and of how many days are served. */
export function garminDay(user: SandboxUser, date: string): GarminDay {
  const offset = user.offsetMinutes;
  const offsetS = offset * 60;
  const rng = seededRandom(`${user.login}|garmin|${date}`);
  const dayStartS = localTimeMs(date, 0, offset) / 1000;
  const idBase = `${user.garminUserId.slice(0, 8)}-${date.replaceAll('-', '')}`;

  const restingHr = rng.int(44, 60);
  const steps = rng.int(3_500, 19_000);
  const daily: GarminDaily = {
    summaryId: `${idBase}-d`,
    calendarDate: date,
    startTimeInSeconds: dayStartS,
    startTimeOffsetInSeconds: offsetS,
    activityType: 'GENERIC',
    durationInSeconds: 86_400,
    steps,
    distanceInMeters: round(steps * rng.between(0.7, 0.82), 1),
    activeTimeInSeconds: rng.int(2_400, 12_000),
    activeKilocalories: rng.int(250, 1_300),
    bmrKilocalories: rng.int(1_550, 1_850),
    moderateIntensityDurationInSeconds: rng.int(0, 3_600),
    vigorousIntensityDurationInSeconds: rng.int(0, 3_000),
    floorsClimbed: rng.int(0, 25),
    minHeartRateInBeatsPerMinute: restingHr - rng.int(2, 6),
    averageHeartRateInBeatsPerMinute: restingHr + rng.int(12, 25),
    maxHeartRateInBeatsPerMinute: rng.int(130, 185),
    restingHeartRateInBeatsPerMinute: restingHr,
    timeOffsetHeartRateSamples: Object.fromEntries(
      Array.from({ length: 96 }, (_, k) => [String(k * 900), restingHr + rng.int(0, 40)]),
    ),
    averageStressLevel: rng.int(15, 55),
    maxStressLevel: rng.int(60, 99),
    stressDurationInSeconds: rng.int(10_000, 30_000),
    restStressDurationInSeconds: rng.int(20_000, 40_000),
    stressQualifier: rng.pick(['calm', 'balanced', 'stressful']),
    bodyBatteryChargedValue: rng.int(30, 80),
    bodyBatteryDrainedValue: rng.int(30, 80),
    stepsGoal: 10_000,
    floorsClimbedGoal: 10,
  };

  const sleepStartS = localTimeMs(addDays(date, -1), 22 * 60 + rng.int(15, 120), offset) / 1000;
  const deep = rng.int(3_600, 7_200);
  const light = rng.int(10_800, 16_200);
  const rem = rng.int(4_500, 7_800);
  const awake = rng.int(600, 2_700);
  const sleepEndS = sleepStartS + deep + light + rem + awake;
  const sleepScore = rng.int(55, 96);
  const sleep: GarminSleep = {
    summaryId: `${idBase}-s`,
    calendarDate: date,
    startTimeInSeconds: sleepStartS,
    startTimeOffsetInSeconds: offsetS,
    durationInSeconds: deep + light + rem,
    unmeasurableSleepInSeconds: 0,
    deepSleepDurationInSeconds: deep,
    lightSleepDurationInSeconds: light,
    remSleepInSeconds: rem,
    awakeDurationInSeconds: awake,
    validation: 'ENHANCED_FINAL',
    overallSleepScore: {
      value: sleepScore,
      qualifierKey:
        sleepScore >= 90 ? 'EXCELLENT' : sleepScore >= 80 ? 'GOOD' : sleepScore >= 60 ? 'FAIR' : 'POOR',
    },
    sleepLevelsMap: {
      deep: [{ startTimeInSeconds: sleepStartS + 600, endTimeInSeconds: sleepStartS + 600 + deep }],
      light: [
        { startTimeInSeconds: sleepStartS + 600 + deep, endTimeInSeconds: sleepStartS + 600 + deep + light },
      ],
    },
  };

  const hrvAvg = rng.int(38, 95);
  const hrv: GarminHrv = {
    summaryId: `${idBase}-h`,
    calendarDate: date,
    startTimeInSeconds: sleepStartS,
    startTimeOffsetInSeconds: offsetS,
    durationInSeconds: sleepEndS - sleepStartS,
    lastNightAvg: hrvAvg,
    lastNight5MinHigh: hrvAvg + rng.int(10, 40),
    hrvValues: Object.fromEntries(
      Array.from({ length: 12 }, (_, k) => [String(k * 300), hrvAvg + rng.int(-15, 15)]),
    ),
  };

  const stressDetails: GarminStressDetails = {
    summaryId: `${idBase}-st`,
    calendarDate: date,
    startTimeInSeconds: dayStartS,
    startTimeOffsetInSeconds: offsetS,
    durationInSeconds: 86_400,
    timeOffsetStressLevelValues: Object.fromEntries(
      Array.from({ length: 480 }, (_, k) => [String(k * 180), rng.next() < 0.05 ? -1 : rng.int(5, 90)]),
    ),
    timeOffsetBodyBatteryValues: Object.fromEntries(
      Array.from({ length: 48 }, (_, k) => [String(k * 1800), rng.int(10, 100)]),
    ),
  };

  const userMetrics: GarminUserMetrics = {
    summaryId: `${idBase}-um`,
    calendarDate: date,
    vo2Max: round(rng.between(44, 56), 1),
    enhanced: true,
    fitnessAge: rng.int(25, 40),
  };

  const isWeighIn = new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
  const bodyComp: GarminBodyComp | null = isWeighIn
    ? {
        summaryId: `${idBase}-bc`,
        measurementTimeInSeconds: localTimeMs(date, 7 * 60, offset) / 1000,
        measurementTimeOffsetInSeconds: offsetS,
        weightInGrams: rng.int(68_000, 74_000),
        bodyFatInPercent: round(rng.between(11, 16), 1),
        bodyWaterInPercent: round(rng.between(55, 62), 1),
        muscleMassInGrams: rng.int(30_000, 34_000),
        boneMassInGrams: rng.int(3_000, 3_500),
        bodyMassIndex: round(rng.between(21, 23.5), 1),
      }
    : null;

  // Seeded apart from the rest of the day, so adding them left every other value as it was.
  const vitals = seededRandom(`${user.login}|garmin|vitals|${date}`);
  const off = isOffNight(user.login, date) ? 1 : 0;
  const skinTemp: GarminSkinTemp = {
    summaryId: `${idBase}-sk`,
    calendarDate: date,
    startTimeInSeconds: sleepStartS,
    startTimeOffsetInSeconds: offsetS,
    durationInSeconds: sleepEndS - sleepStartS,
    avgDeviationCelsius: round(vitals.between(-0.3, 0.3) + off * OFF_NIGHT_SHIFT.skinTempC, 2),
  };
  const breaths =
    baseRespiratoryRate(user.login) + vitals.between(-0.4, 0.4) + off * OFF_NIGHT_SHIFT.respiratoryRate;
  const respiration: GarminRespiration = {
    summaryId: `${idBase}-r`,
    startTimeInSeconds: dayStartS,
    startTimeOffsetInSeconds: offsetS,
    durationInSeconds: 86_400,
    // A reading every 5 minutes (Garmin sends one a minute; fewer keep the sandbox light).
    timeOffsetEpochToBreaths: Object.fromEntries(
      Array.from({ length: 288 }, (_, k) => [String(k * 300), round(breaths + vitals.between(-1.5, 1.5), 2)]),
    ),
  };

  let activity: GarminActivity | null = null;
  if (rng.next() < 0.5) {
    const activityType = rng.pick(ACTIVITY_TYPES);
    const startS = localTimeMs(date, 17 * 60 + rng.int(0, 120), offset) / 1000;
    const durationS = rng.int(20, 80) * 60;
    const speed =
      activityType.includes('BIKING') || activityType.includes('CYCLING')
        ? 7.8
        : activityType.includes('SWIM')
          ? 0.9
          : activityType === 'WALKING'
            ? 1.5
            : 3.1;
    const avgHr = rng.int(118, 160);
    const activityId =
      10_000_000_000 +
      (Number.parseInt(user.garminUserId.slice(0, 6), 16) % 100_000) * 100_000 +
      (Math.floor(dayStartS / 86_400) % 100_000);
    activity = {
      summaryId: String(activityId),
      activityId,
      activityName: `${activityType.toLowerCase().replaceAll('_', ' ')} (sandbox)`,
      activityType,
      deviceName: 'forerunner965',
      startTimeInSeconds: startS,
      startTimeOffsetInSeconds: offsetS,
      durationInSeconds: durationS,
      averageHeartRateInBeatsPerMinute: avgHr,
      maxHeartRateInBeatsPerMinute: avgHr + rng.int(10, 30),
      averageSpeedInMetersPerSecond: speed,
      maxSpeedInMetersPerSecond: round(speed * 1.4, 2),
      activeKilocalories: Math.round((durationS / 60) * rng.between(8, 13)),
      distanceInMeters: round(durationS * speed, 1),
      startingLatitudeInDegree: 45.07 + (rng.next() - 0.5) / 50,
      startingLongitudeInDegree: 7.68 + (rng.next() - 0.5) / 50,
      totalElevationGainInMeters: round(rng.between(0, 250), 1),
      totalElevationLossInMeters: round(rng.between(0, 250), 1),
      manual: false,
      isWebUpload: false,
    };
  }
  const uploadS = Math.max(sleepEndS, dayStartS + 86_400) + 600;
  const activityUploadS =
    activity === null ? null : activity.startTimeInSeconds + activity.durationInSeconds + 900;
  return {
    date,
    daily,
    sleep,
    hrv,
    stressDetails,
    userMetrics,
    bodyComp,
    skinTemp,
    respiration,
    activity,
    uploadS,
    activityUploadS,
  };
}

/** 1 Hz samples for an activity, deterministic per activity id. */
export function activitySamples(activity: GarminActivity): ActivitySample[] {
  const rng = seededRandom(`samples|${activity.activityId}`);
  const speed = activity.averageSpeedInMetersPerSecond ?? 3;
  const avgHr = activity.averageHeartRateInBeatsPerMinute ?? 140;
  const samples: ActivitySample[] = [];
  let distance = 0;
  let lat = activity.startingLatitudeInDegree ?? 45;
  const lon = activity.startingLongitudeInDegree ?? 7;
  for (let t = 0; t <= activity.durationInSeconds; t++) {
    const v = Math.max(0, speed * (1 + Math.sin(t / 97) * 0.08 + (rng.next() - 0.5) * 0.05));
    distance += v;
    lat += v / 111_195;
    samples.push({
      ts: (activity.startTimeInSeconds + t) * 1000,
      hr: Math.round(avgHr - 20 * Math.exp(-t / 240) + Math.sin(t / 300) * 6),
      speed: round(v, 3),
      distance: round(distance, 2),
      cadence: 80 + rng.int(0, 10),
      alt: round(240 + Math.sin(t / 400) * 15, 1),
      lat,
      lon,
    });
  }
  return samples;
}

export function activityDetails(activity: GarminActivity): GarminActivityDetails {
  const { summaryId, ...summary } = activity;
  return {
    summaryId: `${summaryId}-detail`,
    activityId: activity.activityId,
    summary,
    samples: activitySamples(activity).map((s) => ({
      startTimeInSeconds: s.ts / 1000,
      heartRate: s.hr,
      speedMetersPerSecond: s.speed,
      totalDistanceInMeters: s.distance,
      elevationInMeters: s.alt,
      latitudeInDegree: s.lat,
      longitudeInDegree: s.lon,
      stepsPerMinute: s.cadence === undefined ? undefined : s.cadence * 2,
      timerDurationInSeconds: s.ts / 1000 - activity.startTimeInSeconds,
      clockDurationInSeconds: s.ts / 1000 - activity.startTimeInSeconds,
      movingDurationInSeconds: s.ts / 1000 - activity.startTimeInSeconds,
    })),
    laps: [{ startTimeInSeconds: activity.startTimeInSeconds }],
  };
}
