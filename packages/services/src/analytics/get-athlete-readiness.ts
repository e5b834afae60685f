import type { AthleteReadiness } from '@athlete/contracts';
import { acwrBand, monotonyAndStrain, type RecommendationInput, recommendTraining } from '@athlete/core';
import type { Principal } from '../access/index.ts';
import { assertCanViewAthlete } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { toReadinessCheckOut } from './check-view.ts';
import { getReadinessSeries } from './get-readiness-series.ts';
import { getTrainingLoad } from './get-training-load.ts';
import { addDays, athleteToday, dayMs } from './inputs.ts';

export interface AthleteReadinessOptions {
  deps: Deps;
  athleteId: string;
  /** YYYY-MM-DD, default today (UTC). */
  date?: string;
  /** A wellness answer judged poor or not by the questionnaire's owner, when there is one. */
  wellness?: RecommendationInput['wellness'];
  /** Planned TRIMP for the days after `date` (form projection). */
  plannedLoads?: readonly (number | null)[];
  /** Checked for the `wellness` scope; leave out only from trusted internal callers. */
  principal?: Principal | null;
}

const delta = (
  b: { recent: number | null; mean: number; verdict: 'below' | 'within' | 'above' | null } | null,
) =>
  b && b.recent !== null
    ? { verdict: b.verdict, recent: b.recent, mean: b.mean, delta: b.recent - b.mean }
    : null;

/**
 * The day's readiness (HRV, resting HR and sleep against their baselines, anomaly flags), form
 * and load, and the recommendation of the day with every reason (core recommendTraining). Load
 * signals are those going into the day (TSB, and ACWR/monotony at yesterday's close), so a
 * session trained today does not change the morning's advice.
 */
export async function getAthleteReadiness(options: AthleteReadinessOptions): Promise<AthleteReadiness> {
  const { deps, athleteId } = options;
  if (options.principal !== undefined)
    await assertCanViewAthlete({ deps, principal: options.principal, athleteId, scope: 'wellness' });
  const date = options.date ?? (await athleteToday(deps, athleteId));
  const [load, series, check] = await Promise.all([
    getTrainingLoad({
      deps,
      athleteId,
      from: addDays(date, -7),
      to: date,
      plannedLoads: options.plannedLoads,
    }),
    getReadinessSeries({ deps, athleteId, from: date, to: date }),
    deps.db.prisma.readinessCheck.findFirst({
      where: { athleteId, date: new Date(dayMs(date)) },
      orderBy: { measuredAt: 'desc' },
    }),
  ]);
  const today = series[0]!;
  const day = load.days.at(-1)!;
  const yesterday = load.days.at(-2)!;
  const hadLoad = load.days.some((d) => d.ctl > 0);
  const { monotony } = monotonyAndStrain(
    load.days.slice(0, -1).map((d) => d.load),
    7,
  );
  const input: RecommendationInput = {
    tsb: hadLoad ? day.tsb : null,
    acwr: yesterday.acwrEwma,
    monotony,
    hrv: delta(today.hrvBaseline),
    restingHr: delta(today.restingHrBaseline),
    sleep: delta(today.sleepBaseline),
    flags: today.flags.map((f) => f.label),
    wellness: options.wellness ?? null,
  };
  const { recommendation, reasons } = recommendTraining(input);
  return {
    date,
    recommendation,
    reasons,
    form: {
      ctl: hadLoad ? day.ctl : null,
      atl: hadLoad ? day.atl : null,
      tsb: input.tsb,
      rampRate: hadLoad ? day.rampRate : null,
      acwr: yesterday.acwrEwma,
      acwrBand: acwrBand(yesterday.acwrEwma),
      monotony,
      settings: load.settings,
    },
    today,
    latestCheck: check ? toReadinessCheckOut(check) : null,
  };
}
