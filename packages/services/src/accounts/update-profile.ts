import type { Profile, ProfileUpdate } from '@athlete/contracts';
import { parseThresholdOverrides, ThresholdsError } from '@athlete/core';
import { Prisma } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toProfileView } from './profile-view.ts';
import { writeProfile } from './write-profile.ts';

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
    ...(thresholds !== undefined && { thresholds: thresholds ?? Prisma.DbNull }),
  };
  // writeProfile marks each changed value the athlete's (a cleared one goes back to providers),
  // drops cached reads and tells open live sessions (any API process) when it changed.
  const row = await writeProfile({
    deps,
    userId,
    source: 'user',
    change: (current) => {
      const hrMax = input.hrMax === undefined ? current.hrMax : input.hrMax;
      const hrRest = input.hrRest === undefined ? current.hrRest : input.hrRest;
      if (hrMax != null && hrRest != null && hrRest >= hrMax) {
        throw invalid(
          input.hrRest === undefined ? 'body.hrMax' : 'body.hrRest',
          'HR rest must be below HR max',
        );
      }
      return data;
    },
  });
  return toProfileView(row);
}
