import type { TrainingLoad } from '@athlete/contracts';
import {
  acwrBand,
  acwrSeries,
  dailyLoads,
  fitnessFatigueForm,
  localDay,
  projectForm,
  sessionLoads,
  weeklyMonotony,
} from '@athlete/core';
import type { Principal } from '../access/index.ts';
import { assertCanViewAthlete } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { plannedLoadsAfter } from '../plans/planned-loads.ts';
import {
  type AthleteLoadProfile,
  addDays,
  athleteLoadProfile,
  closedSessionsUntil,
  daysBetween,
} from './inputs.ts';

export const DEFAULT_LOAD_DAYS = 90;

export interface TrainingLoadOptions {
  deps: Deps;
  athleteId: string;
  /** YYYY-MM-DD, default `to` − 89 days. */
  from?: string;
  /** YYYY-MM-DD, default today in the athlete's time zone (UTC without one). */
  to?: string;
  /** Planned TRIMP for the 14 days after `to` (index 0 = the next day); default: the athlete's plans. */
  plannedLoads?: readonly (number | null)[];
  /**
   * The caller, checked for the `sessions` consent scope. Leave it out only from trusted
   * internal callers that checked access themselves (a coach's team table).
   */
  principal?: Principal | null;
}

/**
 * Daily TRIMP from every closed session whatever its source, each activity counted once
 * (core sessionLoads), with fitness/fatigue/form, ACWR, weekly monotony and a 14-day form
 * projection. Computed on read from training_sessions (no cache: a few ms for years of
 * sessions), so every write path (live close, file import, provider sync, merge, deletion,
 * manual entry) counts at once and nothing needs back-filling.
 */
export async function getTrainingLoad(options: TrainingLoadOptions): Promise<TrainingLoad> {
  const { deps, athleteId } = options;
  if (options.principal !== undefined)
    await assertCanViewAthlete({ deps, principal: options.principal, athleteId, scope: 'sessions' });
  const profile = await athleteLoadProfile(deps, athleteId);
  const to = options.to ?? localDay(Date.now(), profile.timeZone);
  const from = options.from ?? addDays(to, -(DEFAULT_LOAD_DAYS - 1));
  const plannedLoads = options.plannedLoads ?? (await plannedLoadsAfter({ deps, athleteId, after: to }));
  const planned = plannedLoads.some((v) => v !== null && v > 0) ? plannedLoads : undefined;
  return computeTrainingLoad(deps, athleteId, profile, from, to, planned);
}

async function computeTrainingLoad(
  deps: Deps,
  athleteId: string,
  profile: AthleteLoadProfile,
  from: string,
  to: string,
  plannedLoads: readonly (number | null)[] | undefined,
): Promise<TrainingLoad> {
  const sessions = await closedSessionsUntil(deps, athleteId, to, profile.timeZone);
  const loads = sessionLoads(sessions, profile.trimp, profile.precedence, profile.timeZone);
  // The series starts at the first session (or `from`), so CTL carries the whole history.
  const first = loads[0] && loads[0].date < from ? loads[0].date : from;
  const daily = dailyLoads(loads, first, to);
  const { ctlDays, atlDays } = profile.settings;
  const form = fitnessFatigueForm(daily, { ctlDays, atlDays });
  const acwr = acwrSeries(daily);
  const offset = daysBetween(first, from);
  const days = form.slice(offset).map((p, i) => {
    const a = acwr[offset + i]!;
    return {
      date: addDays(from, i),
      load: p.load,
      ctl: p.ctl,
      atl: p.atl,
      tsb: p.tsb,
      rampRate: p.rampRate,
      acwrEwma: a.ewma,
      acwrRolling: a.rolling,
      acwrBand: acwrBand(a.ewma),
    };
  });
  const last = form.at(-1) ?? { ctl: 0, atl: 0 };
  const projection = projectForm(last, { ctlDays, atlDays, days: 14, plannedLoads }).map((p) => ({
    date: addDays(to, p.day),
    load: p.load,
    ctl: p.ctl,
    atl: p.atl,
    tsb: p.tsb,
  }));
  const fromWeek = addDays(from, -6);
  return {
    unit: 'TRIMP',
    from,
    to,
    settings: profile.settings,
    days,
    weeks: weeklyMonotony(first, daily).filter((w) => w.weekStart >= fromWeek),
    sessions: loads
      .filter((l) => l.date >= from && l.date <= to)
      .map((l) => ({ ...l, startedAt: new Date(l.startedAt).toISOString() })),
    projection,
    projectionBasis: plannedLoads ? 'planned' : 'rest',
  };
}
