export type WearableSource = 'whoop' | 'garmin';
export type SessionSource = WearableSource | 'file';

/** One athlete-day from one provider. Units SI-ish as stored: bpm, ms, s, kcal; null when unknown. */
export interface DailyMetrics {
  /** YYYY-MM-DD in the athlete's local time, per the provider's offset or calendar date. */
  date: string;
  source: WearableSource;
  restingHr: number | null;
  hrvRmssdMs: number | null;
  sleepDurationS: number | null;
  /** 0–100. WHOOP: sleep performance %. Garmin: overall sleep score. */
  sleepScore: number | null;
  /** 0–100 (WHOOP recovery). */
  recoveryScore: number | null;
  /** 0–21 (WHOOP day strain). */
  strain: number | null;
  steps: number | null;
  /** Total energy expenditure of the day (active + resting). */
  caloriesKcal: number | null;
  /** Breaths per minute (WHOOP: during the night's sleep; Garmin: the day's all-day readings). */
  respiratoryRate: number | null;
  /** Absolute skin temperature, °C (WHOOP recovery). */
  skinTempC: number | null;
  /** Skin temperature against the device's own baseline, °C (Garmin). */
  skinTempDeviationC: number | null;
}

export interface NormalisedSession {
  source: SessionSource;
  /** The provider's id, stable across re-deliveries (upsert key with `source`). */
  externalId: string;
  /** Platform sport vocabulary, see `normaliseSport`. */
  sport: string;
  startedAt: Date;
  endedAt: Date;
  durationS: number;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  /** kcal */
  calories: number | null;
  /** Seconds per heart-rate zone, index 0 = below zone 1 (WHOOP zone_zero … zone_five). */
  timeInZonesS?: number[];
}

export function emptyDailyMetrics(date: string, source: WearableSource): DailyMetrics {
  return {
    date,
    source,
    restingHr: null,
    hrvRmssdMs: null,
    sleepDurationS: null,
    sleepScore: null,
    recoveryScore: null,
    strain: null,
    steps: null,
    caloriesKcal: null,
    respiratoryRate: null,
    skinTempC: null,
    skinTempDeviationC: null,
  };
}
