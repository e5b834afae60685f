import { type Alert, type AlertState, MAX_PAGE_LIMIT } from '@athlete/contracts';
import type { Prisma } from '@athlete/db';
import { assertCanViewAthlete, isUuid, type Principal, viewableAthleteIdsForTeam } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS, rangeBounds, rangeKey } from '../sessions/range.ts';
import { toAlertOut, WITH_ACKNOWLEDGER } from '../sessions/serialize.ts';
import { hideUnknownAcknowledgers } from './acknowledger-visibility.ts';
import { isTeamMember } from './queries.ts';

/** What an alert list may be narrowed by (all optional, combined with AND). */
export interface AlertFilters {
  /** Kept for the live view: same as `state: 'active'`. */
  active?: boolean;
  state?: AlertState;
  rule?: string;
  sessionId?: string;
  /** Started at or after (a bare date starts that UTC day). */
  from?: string;
  /** Started up to (a bare date includes that whole UTC day). */
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface AlertPage {
  alerts: Alert[];
  nextCursor: string | null;
}

const STATE_WHERE: Record<AlertState, Prisma.AlertWhereInput> = {
  active: { clearedAt: null },
  cleared: { clearedAt: { not: null } },
  acknowledged: { acknowledgedAt: { not: null } },
  unacknowledged: { acknowledgedAt: null },
};

const filterKey = (f: AlertFilters) =>
  [
    f.active ? 'active' : '',
    f.state ?? '',
    f.rule ?? '',
    f.sessionId ?? '',
    rangeKey(f),
    f.limit ?? '',
    f.cursor ?? '',
  ].join(':');

/**
 * One page of alerts, newest first, keyset-paged on (startedAt, id) like the session list, so
 * alerts sharing a start are neither skipped nor repeated and new alerts do not shift pages.
 */
async function readPage(
  deps: Deps,
  athleteWhere: Prisma.AlertWhereInput,
  f: AlertFilters,
): Promise<AlertPage> {
  const limit = f.limit ?? MAX_PAGE_LIMIT;
  const after = f.cursor === undefined ? null : decodeCursor(f.cursor);
  const and: Prisma.AlertWhereInput[] = [athleteWhere];
  if (f.active) and.push(STATE_WHERE.active);
  if (f.state) and.push(STATE_WHERE[f.state]);
  if (f.rule) and.push({ rule: f.rule });
  if (f.sessionId) and.push({ sessionId: f.sessionId });
  if (f.from || f.to) and.push({ startedAt: rangeBounds(f) });
  if (after) {
    and.push({
      OR: [
        { startedAt: { lt: new Date(after.at) } },
        { startedAt: new Date(after.at), id: { lt: after.id } },
      ],
    });
  }
  const rows = await deps.db.prisma.alert.findMany({
    where: { AND: and },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    include: WITH_ACKNOWLEDGER,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    alerts: page.map(toAlertOut),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: last.startedAt.getTime(), id: last.id }) : null,
  };
}

/**
 * An athlete's alerts, newest first, filtered and paged (cached). The athlete sees who
 * acknowledged only when it was one of their coaches.
 */
export async function listAthleteAlerts({
  deps,
  principal,
  athleteId,
  ...filters
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
} & AlertFilters): Promise<AlertPage> {
  await assertCanViewAthlete({ deps, principal, athleteId, scope: 'live' });
  // Cached as coaches see them; hidden per viewer after.
  const page = await deps.platform.cache.wrap(
    await athleteCacheKey(deps, athleteId, `alerts:${filterKey(filters)}`),
    READ_CACHE_TTL_MS,
    () => readPage(deps, { athleteId }, filters),
  );
  return { ...page, alerts: await hideUnknownAcknowledgers({ deps, principal, alerts: page.alerts }) };
}

/**
 * Alerts of a team's athletes the principal may watch live (consenting athletes for the
 * team's coaches and admins, only themselves for an athlete member), newest first, filtered
 * and paged; `athleteId` narrows to one of them (another athlete gives an empty list).
 */
export async function listTeamAlerts({
  deps,
  principal,
  teamId,
  athleteId,
  ...filters
}: {
  deps: Deps;
  principal: Principal | null;
  teamId: string;
  athleteId?: string;
} & AlertFilters): Promise<AlertPage> {
  if (principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in to see team alerts');
  const team = isUuid(teamId) ? await deps.db.query('SELECT 1 FROM teams WHERE id = $1::uuid', [teamId]) : [];
  if (team.length === 0) throw new AppError('NOT_FOUND', 'Team not found');
  if (!(await isTeamMember(deps, principal, teamId))) {
    throw new AppError('FORBIDDEN', "You are not allowed to see this team's alerts");
  }
  const viewable = await viewableAthleteIdsForTeam({ deps, principal, teamId, scope: 'live' });
  const athleteIds = athleteId === undefined ? viewable : viewable.filter((id) => id === athleteId);
  if (athleteIds.length === 0) return { alerts: [], nextCursor: null };
  const page = await readPage(deps, { athleteId: { in: athleteIds } }, filters);
  return { ...page, alerts: await hideUnknownAcknowledgers({ deps, principal, alerts: page.alerts }) };
}
