import type { TrainingSession } from '@athlete/db';
import { isUuid, type UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/**
 * The caller's own session entered by hand, for an edit or a delete: 404 when there is none,
 * 403 when it is someone else's, 409 when it came from a file, a device or a provider (those
 * are the recording's figures, corrected at the source, not here).
 */
export async function ownManualSession(
  deps: Deps,
  principal: UserPrincipal,
  sessionId: string,
  verb: 'edit' | 'delete',
): Promise<TrainingSession> {
  const session = isUuid(sessionId)
    ? await deps.db.prisma.trainingSession.findUnique({ where: { id: sessionId } })
    : null;
  if (!session) throw new AppError('NOT_FOUND', 'Session not found');
  if (session.athleteId !== principal.userId) {
    throw new AppError('FORBIDDEN', `Only the athlete who trained can ${verb} a session`);
  }
  if (session.source !== 'manual') {
    throw new AppError(
      'CONFLICT',
      `Only sessions entered by hand can be ${verb === 'edit' ? 'edited' : 'deleted'} here; this one was recorded (source: ${session.source})`,
      { source: session.source },
    );
  }
  return session;
}
