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
 * Zones from the profile's stored upper bounds of zones 1..5 (ascending bpm). Zone 1 starts at
 * `zone1Min` (default: half of the zone 5 top).
 */
export function zonesFromUpperBounds(upper: readonly number[], zone1Min?: number): HrZone[] {
  if (upper.length !== 5) throw new RangeError('expected 5 zone upper bounds');
  for (let i = 1; i < upper.length; i++) {
    if (!(upper[i]! > upper[i - 1]!)) throw new RangeError('zone upper bounds must be ascending');
  }
  let min = zone1Min ?? Math.round(upper[4]! / 2);
  return upper.map((max, i) => {
    const z = { zone: i + 1, name: ZONE_NAMES[i]!, min, max };
    min = max;
    return z;
  });
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
