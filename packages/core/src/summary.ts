/** Session summaries, batch and incremental (O(1) per sample, no sample storage). */
import { banisterTrimpIncrement, type Sex } from './load.ts';
import { defaultHrZones, type HrZone, zoneOf } from './zones.ts';

/** One time-stamped reading; every measurement optional, SI units. */
export interface SessionSample {
  /** epoch ms */
  ts: number;
  hr?: number | null;
  speed?: number | null;
  /** cumulative metres */
  distance?: number | null;
  cadence?: number | null;
  power?: number | null;
  alt?: number | null;
  lat?: number | null;
  lon?: number | null;
}

export interface SummaryProfile {
  hrMax: number;
  /** Needed for Banister TRIMP; {@link DEFAULT_HR_REST} is assumed when missing. */
  hrRest?: number | null;
  sex?: Sex | null;
  /** Defaults to {@link defaultHrZones}. */
  zones?: readonly HrZone[];
}

export interface SessionSummary {
  startTs: number | null;
  endTs: number | null;
  durationS: number;
  distanceM: number;
  avgHr: number | null;
  maxHr: number | null;
  avgSpeed: number | null;
  maxSpeed: number | null;
  avgCadence: number | null;
  avgPower: number | null;
  maxPower: number | null;
  /** Seconds in zones 1..5 (index 0 = zone 1). */
  timeInZonesS: number[];
  /** Seconds with HR below zone 1. */
  timeBelowZonesS: number;
  trimp: number | null;
  elevationGainM: number;
  sampleCount: number;
}

export const DEFAULT_HR_REST = 60;
/** A sample stands for at most this long, so a dropout does not count as time in a zone. */
export const MAX_SAMPLE_CREDIT_S = 5;

/**
 * How long each sample's HR counts for time in zones and TRIMP. Live: the time since the
 * previous sample, capped at {@link MAX_SAMPLE_CREDIT_S} (a dropout is not time in a zone).
 * Recorded files: the time until the next record, when that is at most a gap suited to the
 * file's own recording interval (smart recording writes a record every 1–10 s); a longer gap is
 * a pause and credits nothing, as it adds no moving time, so time in zones ≤ moving time.
 * `pausesAt` names samples (by timestamp) that begin after a pause the file marks itself, such
 * as a new GPX track segment: the interval ending there credits nothing, however short.
 */
export type SampleCredit =
  | { mode: 'since-previous'; maxS: number }
  | { mode: 'until-next'; maxS: number; pausesAt?: ReadonlySet<number> };
export const LIVE_SAMPLE_CREDIT: SampleCredit = { mode: 'since-previous', maxS: MAX_SAMPLE_CREDIT_S };
/** Climbs smaller than this are altimeter/GPS noise. */
const ELEVATION_NOISE_M = 2;

class Mean {
  sum = 0;
  n = 0;
  add(v: number): void {
    this.sum += v;
    this.n++;
  }
  get value(): number | null {
    return this.n > 0 ? this.sum / this.n : null;
  }
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Keeps a running summary of a session. Samples must arrive in time order; a sample not newer
 * than the last one is ignored (a resend). Each sample is credited with the time since the
 * previous one, capped at {@link MAX_SAMPLE_CREDIT_S}, unless another {@link SampleCredit} is given.
 */
export class SessionAccumulator {
  private readonly zones: readonly HrZone[];
  private startTs: number | null = null;
  private lastTs: number | null = null;
  private lastDistance: number | null = null;
  private lastSpeed: number | null = null;
  private distance = 0;
  private readonly hr = new Mean();
  private maxHr: number | null = null;
  private readonly speed = new Mean();
  private maxSpeed: number | null = null;
  private readonly cadence = new Mean();
  private readonly power = new Mean();
  private maxPower: number | null = null;
  private readonly timeInZones = [0, 0, 0, 0, 0];
  private timeBelowZones = 0;
  private trimp = 0;
  private hadHr = false;
  private altRef: number | null = null;
  private elevationGain = 0;
  private count = 0;
  private lastHr: number | null = null;

  constructor(
    private readonly profile: SummaryProfile,
    private readonly credit: SampleCredit = LIVE_SAMPLE_CREDIT,
  ) {
    this.zones = profile.zones ?? defaultHrZones({ hrMax: profile.hrMax, hrRest: profile.hrRest });
  }

  private creditHr(hr: number, seconds: number): void {
    if (seconds <= 0) return;
    const zone = zoneOf(hr, this.zones);
    if (zone === 0) this.timeBelowZones += seconds;
    else this.timeInZones[zone - 1]! += seconds;
    this.trimp += banisterTrimpIncrement(hr, seconds, {
      hrMax: this.profile.hrMax,
      hrRest: this.profile.hrRest ?? DEFAULT_HR_REST,
      sex: this.profile.sex,
    });
  }

  /** Returns false when the sample was ignored as not newer than the last. */
  add(s: SessionSample): boolean {
    if (!finite(s.ts) || (this.lastTs !== null && s.ts <= this.lastTs)) return false;
    const gapS = this.lastTs === null ? 0 : (s.ts - this.lastTs) / 1000;
    // A file's gap over the cap is a pause, which moving time leaves out too: it credits nothing.
    const credit =
      this.credit.mode === 'until-next' && (gapS > this.credit.maxS || this.credit.pausesAt?.has(s.ts))
        ? 0
        : Math.min(gapS, this.credit.maxS);
    // Until-next: the interval just ended belongs to the previous sample's HR.
    if (this.credit.mode === 'until-next' && this.lastHr !== null) this.creditHr(this.lastHr, credit);
    if (this.startTs === null) this.startTs = s.ts;
    this.lastTs = s.ts;
    this.count++;

    if (finite(s.distance)) {
      // Cumulative distance; a decrease means the sensor reset, so count from the new origin.
      if (this.lastDistance !== null && s.distance >= this.lastDistance)
        this.distance += s.distance - this.lastDistance;
      this.lastDistance = s.distance;
    } else if (finite(this.lastSpeed) && credit > 0) {
      this.distance += this.lastSpeed * credit;
    }
    if (finite(s.speed)) {
      this.speed.add(s.speed);
      this.maxSpeed = Math.max(this.maxSpeed ?? s.speed, s.speed);
      this.lastSpeed = s.speed;
    }
    if (finite(s.hr) && s.hr > 0) {
      this.hadHr = true;
      this.hr.add(s.hr);
      this.maxHr = Math.max(this.maxHr ?? s.hr, s.hr);
      if (this.credit.mode === 'since-previous') this.creditHr(s.hr, credit);
      this.lastHr = s.hr;
    } else {
      this.lastHr = null;
    }
    if (finite(s.cadence)) this.cadence.add(s.cadence);
    if (finite(s.power)) {
      this.power.add(s.power);
      this.maxPower = Math.max(this.maxPower ?? s.power, s.power);
    }
    if (finite(s.alt)) {
      // Count a climb only once it exceeds the noise band above the lowest point since the last climb.
      if (this.altRef === null || s.alt < this.altRef) this.altRef = s.alt;
      else if (s.alt - this.altRef >= ELEVATION_NOISE_M) {
        this.elevationGain += s.alt - this.altRef;
        this.altRef = s.alt;
      }
    }
    return true;
  }

  snapshot(): SessionSummary {
    const durationS = this.startTs !== null && this.lastTs !== null ? (this.lastTs - this.startTs) / 1000 : 0;
    return {
      startTs: this.startTs,
      endTs: this.lastTs,
      durationS,
      distanceM: this.distance,
      avgHr: this.hr.value,
      maxHr: this.maxHr,
      avgSpeed: durationS > 0 && this.distance > 0 ? this.distance / durationS : this.speed.value,
      maxSpeed: this.maxSpeed,
      avgCadence: this.cadence.value,
      avgPower: this.power.value,
      maxPower: this.maxPower,
      timeInZonesS: [...this.timeInZones],
      timeBelowZonesS: this.timeBelowZones,
      trimp: this.hadHr ? this.trimp : null,
      elevationGainM: this.elevationGain,
      sampleCount: this.count,
    };
  }
}

/** Summary of a whole session; samples may be in any order, duplicates by `ts` are ignored. */
export function summariseSession(
  samples: readonly SessionSample[],
  profile: SummaryProfile,
  credit: SampleCredit = LIVE_SAMPLE_CREDIT,
): SessionSummary {
  const acc = new SessionAccumulator(profile, credit);
  for (const s of [...samples].sort((a, b) => a.ts - b.ts)) acc.add(s);
  return acc.snapshot();
}
