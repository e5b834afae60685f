/** Acute:chronic workload ratio, EWMA and rolling-sum variants, and its named bands. */
import { trainingLoad } from './load.ts';

export type AcwrBand = 'low' | 'optimal' | 'caution' | 'high';

/** The bands as shown: [lower bound inclusive, upper bound exclusive). */
export const ACWR_BANDS: readonly { band: AcwrBand; from: number; to: number; label: string }[] = [
  { band: 'low', from: 0, to: 0.8, label: 'below 0.8: less than you are used to' },
  { band: 'optimal', from: 0.8, to: 1.3, label: '0.8–1.3: the usual range' },
  { band: 'caution', from: 1.3, to: 1.5, label: '1.3–1.5: caution, a quick rise' },
  { band: 'high', from: 1.5, to: Number.POSITIVE_INFINITY, label: 'above 1.5: a spike, high risk' },
];

/** The band of a ratio: < 0.8 low, 0.8–1.3 optimal, 1.3–1.5 caution, ≥ 1.5 high. */
export function acwrBand(ratio: number | null): AcwrBand | null {
  if (ratio === null || !Number.isFinite(ratio)) return null;
  if (ratio < 0.8) return 'low';
  if (ratio < 1.3) return 'optimal';
  if (ratio < 1.5) return 'caution';
  return 'high';
}

export interface AcwrPoint {
  /** EWMA 7:28 (λ = 2/(N+1), Williams et al. 2017). */
  ewma: number | null;
  /** Rolling sums: mean load of the last 7 days / mean of the last 28 (coupled); null before 28 days. */
  rolling: number | null;
  acute7: number;
  chronic28: number;
}

/** Both ACWR variants for each day of a consecutive daily series (missing days as 0). */
export function acwrSeries(dailyLoads: readonly number[]): AcwrPoint[] {
  const ewma = trainingLoad(dailyLoads, { acuteDays: 7, chronicDays: 28 });
  const loads = dailyLoads.map((v) => (Number.isFinite(v) ? v : 0));
  let sum7 = 0;
  let sum28 = 0;
  return loads.map((load, i) => {
    sum7 += load - (i >= 7 ? loads[i - 7]! : 0);
    sum28 += load - (i >= 28 ? loads[i - 28]! : 0);
    const acute7 = sum7 / 7;
    const chronic28 = sum28 / 28;
    return {
      ewma: ewma[i]!.acwr,
      rolling: i >= 27 && chronic28 > 0 ? acute7 / chronic28 : null,
      acute7,
      chronic28,
    };
  });
}
