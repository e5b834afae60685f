import type { Session, SessionLap } from '@athlete/contracts';
import type { TrainingSession } from '@athlete/db';
import { assertCanViewAthlete, isUuid, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS } from './range.ts';
import { toLapOut, toSessionOut } from './serialize.ts';

/**
 * Loads a session the principal may see (scope sessions). Unknown ids and sessions of
 * athletes the principal cannot see both answer 404/403 as assertCanViewAthlete decides,
 * after a 404 for an id that names nothing.
 */
export async function findViewableSession({
  deps,
  principal,
  sessionId,
}: {
  deps: Deps;
  principal: Principal | null;
  sessionId: string;
}): Promise<TrainingSession> {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see sessions');
  const row = isUuid(sessionId)
    ? await deps.db.prisma.trainingSession.findUnique({ where: { id: sessionId } })
    : null;
  if (!row) throw new AppError('NOT_FOUND', 'Session not found');
  await assertCanViewAthlete({ deps, principal, athleteId: row.athleteId, scope: 'sessions' });
  return row;
}

/** `GET /api/v1/sessions/:id` with its laps; closed sessions are cached (they no longer change). */
export async function getSession(opts: {
  deps: Deps;
  principal: Principal | null;
  sessionId: string;
}): Promise<{ session: Session; laps: SessionLap[] }> {
  const row = await findViewableSession(opts);
  const read = async () => {
    const laps = await opts.deps.db.prisma.sessionLap.findMany({
      where: { sessionId: row.id },
      orderBy: { lapIndex: 'asc' },
    });
    return { session: toSessionOut(row), laps: laps.map(toLapOut) };
  };
  if (row.status === 'open') return read();
  return opts.deps.platform.cache.wrap(
    await athleteCacheKey(opts.deps, row.athleteId, `session-laps:${row.id}`),
    READ_CACHE_TTL_MS,
    read,
  );
}
