import type { Preferences, PreferencesUpdate } from '@athlete/contracts';
import { canonicalTimeZone } from '@athlete/core';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { publishProfileChanged } from '../live/profile.ts';

/** The stored preferences as the API shows them. */
export const toPreferences = (u: { units: 'metric' | 'imperial'; timeZone: string | null }): Preferences => ({
  units: u.units,
  timeZone: u.timeZone,
});

/**
 * Changes the display preferences present in `input`. A time zone must be one Intl knows, and
 * is stored in its canonical spelling so the web app, exports and emails read the same name.
 */
export async function updatePreferences({
  deps,
  userId,
  input,
}: {
  deps: Deps;
  userId: string;
  input: PreferencesUpdate;
}): Promise<Preferences> {
  let timeZone: string | null | undefined = input.timeZone;
  if (typeof timeZone === 'string') {
    const canonical = canonicalTimeZone(timeZone);
    if (canonical === null) {
      const message = 'must be a time zone name such as Europe/London or America/New_York';
      throw new AppError('VALIDATION_ERROR', `Time zone “${timeZone}” is not one we know: it ${message}`, [
        { field: 'body.timeZone', message },
      ]);
    }
    timeZone = canonical;
  }
  const user = await deps.db.prisma.user.update({
    where: { id: userId },
    data: {
      ...(input.units !== undefined && { units: input.units }),
      ...(timeZone !== undefined && { timeZone }),
    },
  });
  // The zone decides which day an open live session's samples fall on (day thresholds, load).
  if (timeZone !== undefined) await publishProfileChanged(deps, userId);
  return toPreferences(user);
}
