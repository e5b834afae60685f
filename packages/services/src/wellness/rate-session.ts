import type { SessionRpe } from '@athlete/contracts';
import { sessionRpeLoad } from '@athlete/core';
import { isUuid, type UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { invalidateAthleteCache } from '../sessions/range.ts';
import { toSessionRpeOut } from './wellness-views.ts';

/**
 * The athlete rates a finished session of their own (CR-10); the sRPE load is RPE × minutes
 * of the session's stored duration. Rating again replaces the rating.
 */
export async function rateSession({
  deps,
  principal,
  sessionId,
  rpe,
}: {
  deps: Deps;
  principal: UserPrincipal;
  sessionId: string;
  rpe: number;
}): Promise<SessionRpe> {
  const session = isUuid(sessionId)
    ? await deps.db.prisma.trainingSession.findUnique({ where: { id: sessionId } })
    : null;
  if (!session) throw new AppError('NOT_FOUND', 'Session not found');
  if (session.athleteId !== principal.userId) {
    throw new AppError('FORBIDDEN', 'Only the athlete who trained can rate a session');
  }
  if (session.status === 'open' || session.durationS == null) {
    throw new AppError('CONFLICT', 'The session is still running: rate it once it has ended');
  }
  const durationMin = Math.round((session.durationS / 60) * 10) / 10;
  const data = { rpe, durationMin, load: sessionRpeLoad(rpe, durationMin) };
  const row = await deps.db.prisma.sessionRpe.upsert({
    where: { sessionId },
    create: { sessionId, athleteId: session.athleteId, ...data },
    update: data,
  });
  await invalidateAthleteCache(deps, session.athleteId);
  return toSessionRpeOut(row);
}
