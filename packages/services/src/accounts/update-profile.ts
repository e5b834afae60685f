import type { Profile, ProfileUpdate } from '@athlete/contracts';
import { parseThresholdOverrides, ThresholdsError } from '@athlete/core';
import { Prisma } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { publishProfileChanged } from '../live/profile.ts';
import { EMPTY_PROFILE, toProfileView } from './profile-view.ts';

const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_ERROR', `${field}: ${message}`, [{ field, message }]);

/**
 * Changes the fields present in `input` (null clears one). Checks what single-field schemas
 * cannot: HR rest below HR max, and thresholds against the alert engine's own rules.
 */
export async function updateProfile({
  deps,
  userId,
  input,
}: {
  deps: Deps;
  userId: string;
  input: ProfileUpdate;
}): Promise<Profile> {
  const current = (await deps.db.prisma.athleteProfile.findUnique({ where: { userId } })) ?? EMPTY_PROFILE;
  const hrMax = input.hrMax === undefined ? current.hrMax : input.hrMax;
  const hrRest = input.hrRest === undefined ? current.hrRest : input.hrRest;
  if (hrMax != null && hrRest != null && hrRest >= hrMax) {
    throw invalid(input.hrRest === undefined ? 'body.hrMax' : 'body.hrRest', 'HR rest must be below HR max');
  }
  let thresholds: Record<string, number | null> | null | undefined;
  if (input.thresholds !== undefined) {
    try {
      thresholds =
        input.thresholds === null
          ? null
          : (parseThresholdOverrides(input.thresholds) as Record<string, number | null>);
    } catch (err) {
      if (err instanceof ThresholdsError) throw invalid(`body.thresholds.${err.field}`, err.message);
      throw err;
    }
  }
  const data = {
    ...(input.birthYear !== undefined && { birthYear: input.birthYear }),
    ...(input.sex !== undefined && { sex: input.sex }),
    ...(input.weightKg !== undefined && { weightKg: input.weightKg }),
    ...(input.hrMax !== undefined && { hrMax: input.hrMax }),
    ...(input.hrRest !== undefined && { hrRest: input.hrRest }),
    ...(input.hrZones !== undefined && { hrZones: input.hrZones ?? [] }),
    ...(input.sourcePrecedence !== undefined && { sourcePrecedence: input.sourcePrecedence }),
  };
  const json = thresholds === undefined ? {} : { thresholds: thresholds ?? Prisma.DbNull };
  const row = await deps.db.prisma.athleteProfile.upsert({
    where: { userId },
    create: { userId, ...data, ...json },
    update: { ...data, ...json },
  });
  await deps.platform.cache.deletePrefix(`athlete:${userId}:`);
  // An open live session (on any API process) applies the new zones and thresholds at once.
  await publishProfileChanged(deps, userId);
  return toProfileView(row);
}
