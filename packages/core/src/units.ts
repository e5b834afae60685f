/** Small SI conversions. Internally everything is SI: m, m/s, s, bpm, ms, W. */

export const metersPerSecondToKmh = (mps: number): number => mps * 3.6;

export const kmhToMetersPerSecond = (kmh: number): number => kmh / 3.6;

/** Pace in minutes per kilometre; null when standing still (pace is undefined at 0 m/s). */
export function paceMinPerKm(mps: number): number | null {
  if (!(mps > 0)) return null;
  return 1000 / mps / 60;
}

/** Inverse of {@link paceMinPerKm}. */
export function paceMinPerKmToMetersPerSecond(minPerKm: number): number {
  if (!(minPerKm > 0)) throw new RangeError('pace must be positive');
  return 1000 / (minPerKm * 60);
}

/** Formats a pace as `m:ss` per km, e.g. 4.5 → "4:30"; "–" when undefined. */
export function formatPace(minPerKm: number | null): string {
  if (minPerKm === null || !Number.isFinite(minPerKm)) return '–';
  let minutes = Math.floor(minPerKm);
  let seconds = Math.round((minPerKm - minutes) * 60);
  if (seconds === 60) {
    minutes += 1;
    seconds = 0;
  }
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
