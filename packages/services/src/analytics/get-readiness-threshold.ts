import type { AthleteReadiness, ReadinessThreshold } from '@athlete/contracts';
import { mergeThresholds, parseThresholds, suggestReadinessThreshold } from '@athlete/core';
import type { Principal } from '../access/index.ts';
import { assertCanViewAthlete } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { loadLiveProfile } from '../live/profile.ts';
import { getAthleteReadiness } from './get-athlete-readiness.ts';
import { athleteToday, dayMs } from './inputs.ts';
import { CONFIRMED_BY, toThresholdOverrideOut } from './threshold-override-view.ts';

export interface ReadinessThresholdOptions {
  deps: Deps;
  athleteId: string;
  /** YYYY-MM-DD (UTC), default today. */
  date?: string;
  /** The day's readiness when the caller has it already (team table), to avoid reading it twice. */
  readiness?: AthleteReadiness;
  /** Checked for the `wellness` scope; leave out only from trusted internal callers. */
  principal?: Principal | null;
}

/**
 * The day's readiness-gated hr_high suggestion (core suggestReadinessThreshold over the
 * thresholds the live engine would use: THRESHOLDS ← the athlete's override, and the athlete's HR
 * max) and the override a coach confirmed for that day, if any.
 */
export async function getReadinessThreshold(options: ReadinessThresholdOptions): Promise<ReadinessThreshold> {
  const { deps, athleteId } = options;
  if (options.principal !== undefined)
    await assertCanViewAthlete({ deps, principal: options.principal, athleteId, scope: 'wellness' });
  const date = options.date ?? (await athleteToday(deps, athleteId));
  const [readiness, profile, row] = await Promise.all([
    options.readiness ?? getAthleteReadiness({ deps, athleteId, date }),
    loadLiveProfile({ deps, athleteId }),
    deps.db.prisma.thresholdDayOverride.findUnique({
      where: { athleteId_date: { athleteId, date: new Date(dayMs(date)) } },
      include: CONFIRMED_BY,
    }),
  ]);
  const suggestion = suggestReadinessThreshold({
    recommendation: readiness.recommendation,
    reasons: readiness.reasons,
    thresholds: mergeThresholds(parseThresholds(deps.config.THRESHOLDS), profile.thresholds),
    hrMax: profile.hrMax,
  });
  return { date, suggestion, override: row ? toThresholdOverrideOut(row) : null };
}
