import type { PlanWeek } from '@athlete/contracts';
import { summarisePlans } from '@athlete/core';
import { addDays, dayMs } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { athletePlanResults } from './athlete-plan-results.ts';

/** Monday of the ISO week holding `date`. */
export const weekStartOf = (date: string) => addDays(date, -((new Date(dayMs(date)).getUTCDay() + 6) % 7));

/**
 * Planned vs done in the ISO week (Monday … Sunday) holding `date`, for one team's plans. No
 * access check: the team table checks the coach and the athlete's sessions consent.
 */
export async function planWeek({
  deps,
  athleteId,
  teamId,
  date,
  now,
}: {
  deps: Deps;
  athleteId: string;
  teamId: string;
  date: string;
  now?: number;
}): Promise<PlanWeek> {
  const weekStart = weekStartOf(date);
  const { plans } = await athletePlanResults({
    deps,
    athleteId,
    from: weekStart,
    to: addDays(weekStart, 6),
    teamIds: [teamId],
    now,
  });
  return { weekStart, ...summarisePlans(plans) };
}
