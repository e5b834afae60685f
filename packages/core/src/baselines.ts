/** Personal baselines (Plews/Buchheit style): 7-day rolling mean against the 60-day normal ± SWC. */

export type BaselineVerdict = 'below' | 'within' | 'above';

export interface Baseline {
  /** Mean of the values of the last `recentDays` days (null when none). */
  recent: number | null;
  /** Mean of the values of the last `baselineDays` days. */
  mean: number;
  /** Sample standard deviation of those values. */
  sd: number;
  /** Smallest worthwhile change: swcFactor × SD (0.5 by default). */
  swc: number;
  lower: number;
  upper: number;
  verdict: BaselineVerdict | null;
  /** How many days with a value the baseline rests on. */
  days: number;
}

export interface BaselineOptions {
  recentDays?: number;
  baselineDays?: number;
  /** No baseline with fewer days of data than this (default 14). */
  minDays?: number;
  swcFactor?: number;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Baseline of a daily series that ends on the day judged (index last = today, one entry per
 * day, null for days without a value). Null before `minDays` days of data.
 */
export function personalBaseline(
  daily: readonly (number | null | undefined)[],
  options: BaselineOptions = {},
): Baseline | null {
  const recentDays = options.recentDays ?? 7;
  const baselineDays = options.baselineDays ?? 60;
  const minDays = options.minDays ?? 14;
  const swcFactor = options.swcFactor ?? 0.5;
  const window = daily.slice(-baselineDays).filter(finite);
  if (window.length < Math.max(minDays, 2)) return null;
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  const sd = Math.sqrt(window.reduce((a, v) => a + (v - mean) ** 2, 0) / (window.length - 1));
  const swc = swcFactor * sd;
  const recentValues = daily.slice(-recentDays).filter(finite);
  const recent = recentValues.length ? recentValues.reduce((a, b) => a + b, 0) / recentValues.length : null;
  const lower = mean - swc;
  const upper = mean + swc;
  const verdict: BaselineVerdict | null =
    recent === null ? null : recent < lower ? 'below' : recent > upper ? 'above' : 'within';
  return { recent, mean, sd, swc, lower, upper, verdict, days: window.length };
}
