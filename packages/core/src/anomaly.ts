/** Robust personal bands: median ± k × MAD, for flagging days outside an athlete's usual range. */

/** MAD × 1.4826 estimates the SD of normally distributed data, so k reads like a z-score. */
export const MAD_SCALE = 1.4826;
export const DEFAULT_ANOMALY_K = 3;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface RobustBand {
  median: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  lower: number;
  upper: number;
  /** Values the band rests on. */
  days: number;
}

/**
 * median ± k × 1.4826 × MAD of the values (history only, not the day judged); null with fewer
 * than `minDays` values. A MAD of 0 (identical history) falls back to 1 % of the median, so one
 * tiny change does not flag.
 */
export function robustBand(
  history: readonly (number | null | undefined)[],
  options: { k?: number; minDays?: number } = {},
): RobustBand | null {
  const k = options.k ?? DEFAULT_ANOMALY_K;
  const values = history.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length < (options.minDays ?? 14)) return null;
  const med = median(values)!;
  const mad = median(values.map((v) => Math.abs(v - med)))!;
  const spread = Math.max(k * MAD_SCALE * mad, Math.abs(med) * 0.01);
  return { median: med, mad, lower: med - spread, upper: med + spread, days: values.length };
}

export type AnomalyDirection = 'high' | 'low';

/** 'high' / 'low' when the value lies outside the band, else null. */
export function anomalyOf(
  value: number | null | undefined,
  band: RobustBand | null,
): AnomalyDirection | null {
  if (band === null || typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value > band.upper) return 'high';
  if (value < band.lower) return 'low';
  return null;
}
