/** Training load: Banister and Edwards TRIMP, EWMA acute/chronic load, ACWR, monotony, strain. */
import { hrReserveFraction } from './zones.ts';

export type Sex = 'male' | 'female' | 'other';

export interface TrimpProfile {
  hrMax: number;
  hrRest: number;
  /** Unknown or 'other' uses the mean of the male and female weightings. */
  sex?: Sex | null;
}

/** Banister's weighting factor y for an HR-reserve fraction x. */
export function banisterWeight(x: number, sex?: Sex | null): number {
  const male = 0.64 * Math.exp(1.92 * x);
  const female = 0.86 * Math.exp(1.67 * x);
  if (sex === 'male') return male;
  if (sex === 'female') return female;
  return (male + female) / 2;
}

/** Banister TRIMP contributed by `seconds` spent at `hr`: minutes × x × y(x). */
export function banisterTrimpIncrement(hr: number, seconds: number, profile: TrimpProfile): number {
  const x = hrReserveFraction(hr, profile.hrRest, profile.hrMax);
  return (seconds / 60) * x * banisterWeight(x, profile.sex);
}

/** Banister TRIMP over an evenly sampled HR series (default 1 Hz); nulls (no reading) add nothing. */
export function banisterTrimp(
  hr: readonly (number | null | undefined)[],
  profile: TrimpProfile,
  sampleSeconds = 1,
): number {
  let total = 0;
  for (const v of hr)
    if (v != null && Number.isFinite(v)) total += banisterTrimpIncrement(v, sampleSeconds, profile);
  return total;
}

/** Edwards' summated-zone TRIMP: Σ minutes in zone i × i, for zones 1..5 (index 0 = zone 1). */
export function edwardsTrimp(timeInZonesSeconds: readonly number[]): number {
  return timeInZonesSeconds.slice(0, 5).reduce((sum, s, i) => sum + (s / 60) * (i + 1), 0);
}

export interface LoadPoint {
  load: number;
  /** 7-day EWMA */
  acute: number;
  /** 28-day EWMA */
  chronic: number;
  /** acute / chronic; null while chronic is 0 */
  acwr: number | null;
}

export interface LoadOptions {
  acuteDays?: number;
  chronicDays?: number;
  /** Starting values for the averages (e.g. carried over from before the window). */
  initialAcute?: number;
  initialChronic?: number;
}

/**
 * Acute and chronic training load as exponentially weighted moving averages of consecutive
 * daily loads (missing days must be passed as 0), with λ = 2 / (N + 1) (Williams et al. 2017),
 * and the acute:chronic workload ratio.
 */
export function trainingLoad(dailyLoads: readonly number[], options: LoadOptions = {}): LoadPoint[] {
  const la = 2 / ((options.acuteDays ?? 7) + 1);
  const lc = 2 / ((options.chronicDays ?? 28) + 1);
  let acute = options.initialAcute ?? 0;
  let chronic = options.initialChronic ?? 0;
  return dailyLoads.map((raw) => {
    const load = Number.isFinite(raw) ? raw : 0;
    acute = la * load + (1 - la) * acute;
    chronic = lc * load + (1 - lc) * chronic;
    return { load, acute, chronic, acwr: chronic > 0 ? acute / chronic : null };
  });
}

/**
 * Foster's monotony (mean / SD of daily load over the last `days`, default 7) and strain
 * (weekly load × monotony). Monotony is null when the SD is 0 or fewer than 2 days are given.
 */
export function monotonyAndStrain(
  dailyLoads: readonly number[],
  days = 7,
): { monotony: number | null; strain: number | null; weeklyLoad: number } {
  const window = dailyLoads.slice(-days).map((v) => (Number.isFinite(v) ? v : 0));
  const weeklyLoad = window.reduce((a, b) => a + b, 0);
  if (window.length < 2) return { monotony: null, strain: null, weeklyLoad };
  const mean = weeklyLoad / window.length;
  const sd = Math.sqrt(window.reduce((a, v) => a + (v - mean) ** 2, 0) / (window.length - 1));
  if (sd === 0) return { monotony: null, strain: null, weeklyLoad };
  const monotony = mean / sd;
  return { monotony, strain: weeklyLoad * monotony, weeklyLoad };
}
