import type { Alert } from '@athlete/contracts';
import { assertCanViewAthlete, isUuid, type Principal, viewableAthleteIdsForTeam } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS } from '../sessions/range.ts';
import { toAlertOut, WITH_ACKNOWLEDGER } from '../sessions/serialize.ts';
import { hideUnknownAcknowledgers } from './acknowledger-visibility.ts';
import { isTeamMember } from './queries.ts';

const MAX_ALERTS = 500;

/**
 * An athlete's alerts, newest first; `active` keeps only those not cleared yet (cached). The
 * athlete sees who acknowledged only when it was one of their coaches.
 */
export async function listAthleteAlerts({
  deps,
  principal,
  athleteId,
  active,
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  active?: boolean;
}): Promise<Alert[]> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'live' });
  // Cached as coaches see them; hidden per viewer after.
  const alerts = await deps.platform.cache.wrap(
    await athleteCacheKey(deps, athleteId, `alerts:${active ? 'active' : 'all'}`),
    READ_CACHE_TTL_MS,
    async () => {
      const rows = await deps.db.prisma.alert.findMany({
        where: { athleteId, ...(active ? { clearedAt: null } : {}) },
        orderBy: { startedAt: 'desc' },
        take: MAX_ALERTS,
        include: WITH_ACKNOWLEDGER,
      });
      return rows.map(toAlertOut);
    },
  );
  return hideUnknownAcknowledgers({ deps, principal, alerts });
}

/**
 * Alerts of a team's athletes the principal may watch live (consenting athletes for the
 * team's coaches and admins, only themselves for an athlete member), newest first.
 */
export async function listTeamAlerts({
  deps,
  principal,
  teamId,
  active,
}: {
  deps: Deps;
  principal: Principal | null;
  teamId: string;
  active?: boolean;
}): Promise<Alert[]> {
  if (principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in to see team alerts');
  const team = isUuid(teamId) ? await deps.db.query('SELECT 1 FROM teams WHERE id = $1::uuid', [teamId]) : [];
  if (team.length === 0) throw new AppError('NOT_FOUND', 'Team not found');
  if (!(await isTeamMember(deps, principal, teamId))) {
    throw new AppError('FORBIDDEN', "You are not allowed to see this team's alerts");
  }
  const athleteIds = await viewableAthleteIdsForTeam({ deps, principal, teamId, scope: 'live' });
  if (athleteIds.length === 0) return [];
  const rows = await deps.db.prisma.alert.findMany({
    where: { athleteId: { in: athleteIds }, ...(active ? { clearedAt: null } : {}) },
    orderBy: { startedAt: 'desc' },
    take: MAX_ALERTS,
    include: WITH_ACKNOWLEDGER,
  });
  return hideUnknownAcknowledgers({ deps, principal, alerts: rows.map(toAlertOut) });
}
