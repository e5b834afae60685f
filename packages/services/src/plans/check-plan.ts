import type { UserPrincipal } from '../access/index.ts';
import { dayMs, isoDay } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { teamAccess } from '../teams/team-access.ts';

const DAY_MS = 86_400_000;

/**
 * The checks every plan write passes before anything is stored: the caller coaches the team
 * (or is an admin), the athlete (when named) is an athlete of it, and the day is not over. A
 * day counts as past from the day before today's UTC date, so a coach west of UTC may still
 * plan their own today, as the wellness form allows a day of clock skew the other way.
 */
export async function checkPlanWrite({
  deps,
  principal,
  teamId,
  athleteId,
  date,
  now = Date.now(),
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  athleteId: string | null;
  date: string;
  now?: number;
}): Promise<void> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  if (dayMs(date) < dayMs(isoDay(now)) - DAY_MS) {
    throw new AppError('VALIDATION_ERROR', 'body.date: must not be in the past', [
      { field: 'body.date', message: 'must not be in the past' },
    ]);
  }
  if (athleteId === null) return;
  const member = await deps.db.prisma.teamMember.findFirst({
    where: { teamId, userId: athleteId, role: 'athlete' },
    select: { userId: true },
  });
  if (!member) {
    throw new AppError('VALIDATION_ERROR', 'body.athleteId: is not an athlete of this team', [
      { field: 'body.athleteId', message: 'is not an athlete of this team' },
    ]);
  }
}
