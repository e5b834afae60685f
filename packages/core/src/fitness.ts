/** Fitness, fatigue and form (Banister's impulse-response model as TrainingPeaks/intervals.icu show it). */
import { monotonyAndStrain } from './load.ts';

export const DEFAULT_CTL_DAYS = 42;
export const DEFAULT_ATL_DAYS = 7;

export interface FormOptions {
  /** Fitness (chronic training load) time constant in days, default 42. */
  ctlDays?: number;
  /** Fatigue (acute training load) time constant in days, default 7. */
  atlDays?: number;
  /** Values before the first day (e.g. carried over from an earlier window); default 0. */
  initialCtl?: number;
  initialAtl?: number;
}

export interface FormPoint {
  load: number;
  /** Fitness after this day's load. */
  ctl: number;
  /** Fatigue after this day's load. */
  atl: number;
  /** Form going into the day: yesterday's CTL − yesterday's ATL. */
  tsb: number;
  /** CTL change over the last 7 days (CTL today − CTL 7 days earlier); null for the first 7 days. */
  rampRate: number | null;
}

/**
 * CTL and ATL as exponentially weighted averages of consecutive daily loads (missing days must
 * be passed as 0): X_t = X_{t−1} + (load_t − X_{t−1}) / τ. TSB is taken before today's load.
 */
export function fitnessFatigueForm(dailyLoads: readonly number[], options: FormOptions = {}): FormPoint[] {
  const ctlDays = options.ctlDays ?? DEFAULT_CTL_DAYS;
  const atlDays = options.atlDays ?? DEFAULT_ATL_DAYS;
  if (!(ctlDays >= 1) || !(atlDays >= 1)) throw new RangeError('time constants must be at least 1 day');
  let ctl = options.initialCtl ?? 0;
  let atl = options.initialAtl ?? 0;
  const out: FormPoint[] = [];
  for (const raw of dailyLoads) {
    const load = Number.isFinite(raw) ? raw : 0;
    const tsb = ctl - atl;
    ctl += (load - ctl) / ctlDays;
    atl += (load - atl) / atlDays;
    const weekAgo = out.length >= 7 ? out[out.length - 7]!.ctl : null;
    out.push({ load, ctl, atl, tsb, rampRate: weekAgo === null ? null : ctl - weekAgo });
  }
  return out;
}

export interface ProjectedForm {
  /** Days after the last known day (1 = tomorrow). */
  day: number;
  load: number;
  ctl: number;
  atl: number;
  tsb: number;
}

/**
 * Form projected `days` ahead from the last known CTL/ATL, with the planned daily loads when
 * given (missing entries count as rest, load 0).
 */
export function projectForm(
  last: { ctl: number; atl: number },
  options: FormOptions & { days?: number; plannedLoads?: readonly (number | null | undefined)[] } = {},
): ProjectedForm[] {
  const days = options.days ?? 14;
  const loads = Array.from({ length: days }, (_, i) => {
    const v = options.plannedLoads?.[i];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
  });
  return fitnessFatigueForm(loads, { ...options, initialCtl: last.ctl, initialAtl: last.atl }).map(
    (p, i) => ({
      day: i + 1,
      load: p.load,
      ctl: p.ctl,
      atl: p.atl,
      tsb: p.tsb,
    }),
  );
}

export interface WeekLoad {
  /** Monday of the ISO week, YYYY-MM-DD. */
  weekStart: string;
  weeklyLoad: number;
  /** Foster's monotony: mean / SD of the week's 7 daily loads; null when SD is 0. */
  monotony: number | null;
  /** Weekly load × monotony. */
  strain: number | null;
  /** Days of the week inside the data (a partial first or last week has fewer). */
  days: number;
}

const DAY_MS = 86_400_000;

/**
 * Foster's monotony and strain per ISO week (Monday–Sunday) of a daily series starting on
 * `firstDay` (YYYY-MM-DD, UTC).
 */
export function weeklyMonotony(firstDay: string, dailyLoads: readonly number[]): WeekLoad[] {
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  if (!Number.isFinite(start)) throw new RangeError(`not a date: ${firstDay}`);
  const weeks = new Map<string, number[]>();
  dailyLoads.forEach((load, i) => {
    const t = start + i * DAY_MS;
    const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
    const monday = new Date(t - weekday * DAY_MS).toISOString().slice(0, 10);
    const list = weeks.get(monday) ?? [];
    list.push(load);
    weeks.set(monday, list);
  });
  return [...weeks].map(([weekStart, loads]) => {
    const { monotony, strain, weeklyLoad } = monotonyAndStrain(loads, 7);
    return { weekStart, weeklyLoad, monotony, strain, days: loads.length };
  });
}
