/** Heart-rate zones. A zone covers [min, max) bpm; the top zone also holds everything above. */

export interface HrZone {
  /** 1..5 */
  zone: number;
  name: string;
  min: number;
  max: number;
}

export const ZONE_NAMES = ['Recovery', 'Endurance', 'Tempo', 'Threshold', 'Maximum'] as const;

/** Lower bounds of zones 1..5 and the top of zone 5, as a fraction of HR max (or of HR reserve). */
const ZONE_FRACTIONS = [0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

export interface ZoneBasis {
  hrMax: number;
  /** When present, zones use the Karvonen method: hrRest + fraction × (hrMax − hrRest). */
  hrRest?: number | null;
}

/** The default five zones (50/60/70/80/90/100 %) of HR max, or of HR reserve when hrRest is known. */
export function defaultHrZones({ hrMax, hrRest }: ZoneBasis): HrZone[] {
  if (!(hrMax > 0)) throw new RangeError('hrMax must be positive');
  const rest = hrRest != null && hrRest > 0 && hrRest < hrMax ? hrRest : null;
  const bound = (f: number): number => Math.round(rest === null ? f * hrMax : rest + f * (hrMax - rest));
  return ZONE_NAMES.map((name, i) => ({
    zone: i + 1,
    name,
    min: bound(ZONE_FRACTIONS[i]!),
    max: bound(ZONE_FRACTIONS[i + 1]!),
  }));
}

/**
 * Zones from stored upper bounds of zones 1..5 (strictly ascending bpm); zone 1 starts at
 * `zone1Min`. Prefer {@link athleteZones}, which decides `zone1Min` by the one rule set.
 */
export function zonesFromUpperBounds(upper: readonly number[], zone1Min: number): HrZone[] {
  if (upper.length !== 5) throw new RangeError('expected 5 zone upper bounds');
  for (let i = 0; i < upper.length; i++) {
    if (!Number.isFinite(upper[i]!)) throw new RangeError('zone upper bounds must be numbers');
    if (i > 0 && !(upper[i]! > upper[i - 1]!)) throw new RangeError('zone upper bounds must be ascending');
  }
  if (!(zone1Min < upper[0]!)) throw new RangeError('zone 1 must start below its upper bound');
  let min = zone1Min;
  return upper.map((max, i) => {
    const z = { zone: i + 1, name: ZONE_NAMES[i]!, min, max };
    min = max;
    return z;
  });
}

/** HR max assumed when the profile has neither an HR max nor a birth year. */
export const DEFAULT_HR_MAX = 190;

export type HrMaxSource = 'profile' | 'estimated' | 'default';

/** What {@link athleteZones} reads from an athlete profile; every field may be missing. */
export interface ZoneProfile {
  hrMax?: number | null;
  hrRest?: number | null;
  birthYear?: number | null;
  /** Stored upper bounds of zones 1..5 (bpm); anything but 5 ascending numbers is ignored. */
  hrZones?: readonly number[] | null;
}

export interface AthleteZones {
  zones: HrZone[];
  /** HR max in effect (for % of max, TRIMP, alerts). */
  hrMax: number;
  hrMaxSource: HrMaxSource;
  /** Resting HR in effect: the profile's when 0 < hrRest < hrMax, else null. */
  hrRest: number | null;
  /** False when the athlete's stored upper bounds are in use. */
  zonesDerived: boolean;
}

const positive = (v: number | null | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0;

/**
 * An athlete's HR max and zones: the ONE rule set every screen and every computation uses
 * (live zone per sample, session time in zones, profile API, web tiles and charts).
 *
 * 1. HR max: the profile's value; else the Tanaka estimate from the birth year at `now`
 *    (208 − 0.7 × age); else {@link DEFAULT_HR_MAX} (190).
 * 2. HR rest counts only when 0 < hrRest < HR max (else ignored).
 * 3. Zone-1 minimum: 50 % of HR reserve above HR rest (Karvonen) with an HR rest, else 50 % of
 *    HR max, rounded to whole bpm.
 * 4. Stored bounds win when they are 5 strictly ascending numbers: zone n ends at bound n and
 *    zone 1 starts at the zone-1 minimum (one bpm below the zone-1 top if the minimum is not
 *    below it).
 * 5. Otherwise the zones are derived: 50/60/70/80/90/100 % of HR reserve (Karvonen) with an HR
 *    rest, else of HR max ({@link defaultHrZones}).
 * HR below the zone-1 minimum is "below zone 1" (zone 0); HR above zone 5's top is zone 5.
 */
export function athleteZones(
  profile: ZoneProfile | null | undefined,
  now: Date | number = Date.now(),
): AthleteZones {
  const estimated =
    profile?.birthYear != null && Number.isFinite(profile.birthYear)
      ? estimateHrMax(profile.birthYear, now)
      : null;
  let hrMax: number;
  let hrMaxSource: HrMaxSource;
  if (positive(profile?.hrMax)) {
    hrMax = profile.hrMax;
    hrMaxSource = 'profile';
  } else if (positive(estimated)) {
    hrMax = estimated;
    hrMaxSource = 'estimated';
  } else {
    hrMax = DEFAULT_HR_MAX;
    hrMaxSource = 'default';
  }
  const hrRest = positive(profile?.hrRest) && profile.hrRest < hrMax ? profile.hrRest : null;
  const derived = defaultHrZones({ hrMax, hrRest });
  const upper = profile?.hrZones;
  if (
    upper?.length === 5 &&
    upper.every((v, i) => Number.isFinite(v) && v > 0 && (i === 0 || v > upper[i - 1]!))
  ) {
    const zone1Min = Math.min(derived[0]!.min, upper[0]! - 1);
    return { zones: zonesFromUpperBounds(upper, zone1Min), hrMax, hrMaxSource, hrRest, zonesDerived: false };
  }
  return { zones: derived, hrMax, hrMaxSource, hrRest, zonesDerived: true };
}

/** Zone number 1..5 for an HR, 0 below zone 1; HR at or above the top of zone 5 is zone 5. */
export function zoneOf(hr: number, zones: readonly HrZone[]): number {
  const first = zones[0];
  if (first === undefined || hr < first.min) return 0;
  for (const z of zones) if (hr < z.max) return z.zone;
  return zones[zones.length - 1]!.zone;
}

/** Age-predicted HR max (Tanaka, Monahan & Seals 2001): 208 − 0.7 × age, rounded to whole bpm. */
export function estimateHrMax(birthYear: number, at: Date | number = Date.now()): number {
  const year = new Date(at).getUTCFullYear();
  const age = Math.max(0, year - birthYear);
  return Math.round(208 - 0.7 * age);
}

/** HR as a fraction of HR max (0.9 = 90 %). */
export function pctOfMax(hr: number, hrMax: number): number {
  if (!(hrMax > 0)) throw new RangeError('hrMax must be positive');
  return hr / hrMax;
}

/** HR as a fraction of HR reserve, clamped to [0, 1]. */
export function hrReserveFraction(hr: number, hrRest: number, hrMax: number): number {
  if (!(hrMax > hrRest)) throw new RangeError('hrMax must exceed hrRest');
  return Math.min(1, Math.max(0, (hr - hrRest) / (hrMax - hrRest)));
}
