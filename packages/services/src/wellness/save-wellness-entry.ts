import type { WellnessAnswers, WellnessEntry } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { invalidateAthleteCache } from '../sessions/range.ts';
import { isoDay, toWellnessOut } from './wellness-views.ts';

const DAY_MS = 86_400_000;
/** How far back the form may be filled in late (a forgotten morning, not a rewritten season). */
const MAX_DAYS_BACK = 60;

/**
 * The athlete's own morning form for a day (replaces that day's answers). Only the athlete
 * answers for themselves; tomorrow is allowed because the athlete's morning may already be
 * tomorrow in UTC.
 */
export async function saveWellnessEntry({
  deps,
  principal,
  date,
  answers,
  now = Date.now(),
}: {
  deps: Deps;
  principal: UserPrincipal;
  date: string;
  answers: WellnessAnswers;
  now?: number;
}): Promise<WellnessEntry> {
  const day = Date.parse(`${date}T00:00:00Z`);
  const today = Date.parse(`${isoDay(new Date(now))}T00:00:00Z`);
  if (day > today + DAY_MS) {
    throw new AppError('VALIDATION_ERROR', 'date must not be in the future', [
      { field: 'date', reason: 'must not be in the future' },
    ]);
  }
  if (day < today - MAX_DAYS_BACK * DAY_MS) {
    throw new AppError('VALIDATION_ERROR', `date must be within the last ${MAX_DAYS_BACK} days`, [
      { field: 'date', reason: `must be within the last ${MAX_DAYS_BACK} days` },
    ]);
  }
  const data = {
    sleepQuality: answers.sleepQuality,
    fatigue: answers.fatigue,
    soreness: answers.soreness,
    stress: answers.stress,
    mood: answers.mood,
    note: answers.note ? answers.note : null,
  };
  const row = await deps.db.prisma.wellnessEntry.upsert({
    where: { athleteId_date: { athleteId: principal.userId, date: new Date(day) } },
    create: { athleteId: principal.userId, date: new Date(day), ...data },
    update: data,
  });
  await invalidateAthleteCache(deps, principal.userId);
  return toWellnessOut(row);
}
