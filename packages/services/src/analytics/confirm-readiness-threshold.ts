import type { ThresholdDayOverride } from '@athlete/contracts';
import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { publishProfileChanged } from '../live/profile.ts';
import { getReadinessThreshold } from './get-readiness-threshold.ts';
import { athleteToday, dayMs } from './inputs.ts';
import { CONFIRMED_BY, toThresholdOverrideOut } from './threshold-override-view.ts';

const isUniqueViolation = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';

/**
 * A coach confirms today's readiness-gated suggestion: the athlete's hr_high threshold is the
 * suggested bpm for the rest of that UTC day only. The stored row is the log (who, when,
 * old → new, why); open live sessions pick it up through live.profile-changed.
 */
export async function confirmReadinessThreshold(options: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  date: string;
  /** The bpm the coach was shown: a changed suggestion is refused rather than applied unseen. */
  suggestedBpm: number;
}): Promise<ThresholdDayOverride> {
  const { deps, principal, athleteId, date } = options;
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'wellness' });
  if (principal?.kind !== 'user' || principal.userId === athleteId)
    throw new AppError('FORBIDDEN', "Only a coach of the athlete's team can confirm a lower threshold");
  const today = await athleteToday(deps, athleteId);
  if (date !== today)
    throw new AppError(
      'VALIDATION_ERROR',
      `A lower threshold is confirmed on its own day: date must be today (${today}), got ${date}`,
      { field: 'body.date' },
    );
  const { suggestion, override } = await getReadinessThreshold({ deps, athleteId, date });
  if (override)
    throw new AppError(
      'CONFLICT',
      `Already confirmed today: ${override.previousBpm} → ${override.hrAboveBpm} bpm by ${override.confirmedBy?.name ?? 'a former user'}`,
    );
  if (!suggestion)
    throw new AppError(
      'CONFLICT',
      "Today's readiness does not call for a lower threshold: nothing to confirm",
    );
  if (suggestion.suggestedBpm !== options.suggestedBpm)
    throw new AppError(
      'CONFLICT',
      `The suggestion changed since you saw it: it is now ${suggestion.suggestedBpm} bpm, not ${options.suggestedBpm}. Reload and confirm again`,
    );
  let row: Parameters<typeof toThresholdOverrideOut>[0];
  try {
    row = await deps.db.prisma.thresholdDayOverride.create({
      data: {
        athleteId,
        date: new Date(dayMs(date)),
        previousBpm: suggestion.currentBpm,
        hrAboveBpm: suggestion.suggestedBpm,
        recommendation: suggestion.recommendation,
        reason: suggestion.reason,
        formula: suggestion.formula,
        confirmedById: principal.userId,
      },
      include: CONFIRMED_BY,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'Already confirmed today by another coach');
    throw err;
  }
  deps.log.info(
    { athleteId, date, from: suggestion.currentBpm, to: suggestion.suggestedBpm, by: principal.userId },
    'readiness-gated threshold confirmed',
  );
  await publishProfileChanged(deps, athleteId);
  return toThresholdOverrideOut(row);
}
