import type { Session } from '@athlete/contracts';
import { isUuid, type UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { invalidateAthleteCache } from './range.ts';
import { toSessionOut } from './serialize.ts';

/** `PATCH /api/v1/sessions/:id`: the athlete names (or un-names, with null) a session of their own. */
export async function renameSession({
  deps,
  principal,
  sessionId,
  name,
}: {
  deps: Deps;
  principal: UserPrincipal;
  sessionId: string;
  name: string | null;
}): Promise<Session> {
  const session = isUuid(sessionId)
    ? await deps.db.prisma.trainingSession.findUnique({
        where: { id: sessionId },
        select: { athleteId: true },
      })
    : null;
  if (!session) throw new AppError('NOT_FOUND', 'Session not found');
  if (session.athleteId !== principal.userId) {
    throw new AppError('FORBIDDEN', 'Only the athlete who trained can rename a session');
  }
  const row = await deps.db.prisma.trainingSession.update({ where: { id: sessionId }, data: { name } });
  await invalidateAthleteCache(deps, session.athleteId);
  return toSessionOut(row);
}
