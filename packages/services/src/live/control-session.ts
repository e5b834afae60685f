import type { Session } from '@athlete/contracts';
import type { Principal } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { toSessionOut } from '../sessions/serialize.ts';
import type { LiveSource } from './live-sessions.ts';
import type { LiveParts } from './parts.ts';

async function resolveWriter(parts: LiveParts, principal: Principal | null, athleteId: string | undefined) {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in or use an ingest key');
  const id =
    athleteId ??
    (principal.kind === 'user'
      ? principal.userId
      : principal.deviceKind === 'personal'
        ? principal.athleteId
        : null);
  if (!id)
    throw new AppError('VALIDATION_ERROR', 'athleteId: is required for a gateway key', [
      { field: 'athleteId', message: 'is required' },
    ]);
  if (!(await parts.permits.mayIngestFor(principal, id))) {
    throw new AppError('FORBIDDEN', `Not allowed to control sessions of athlete ${id}`, [
      { field: 'athleteId', athleteId: id },
    ]);
  }
  return id;
}

/** Opens (or returns the already open) live session of an athlete the caller may write for. */
export async function startLiveSession({
  parts,
  principal,
  athleteId,
  source = 'live',
}: {
  parts: LiveParts;
  principal: Principal | null;
  athleteId?: string;
  source?: LiveSource;
}): Promise<Session> {
  const id = await resolveWriter(parts, principal, athleteId);
  const open = await parts.sessions.start(id, source);
  const row = await parts.deps.db.prisma.trainingSession.findUniqueOrThrow({ where: { id: open.id } });
  return toSessionOut(row);
}

/** Closes a live session by id (summary, daily load); the caller must be allowed to write for its athlete. */
export async function stopLiveSession({
  parts,
  principal,
  sessionId,
  athleteId,
}: {
  parts: LiveParts;
  principal: Principal | null;
  sessionId?: string;
  athleteId?: string;
}): Promise<Session | null> {
  if (sessionId) {
    const row = await parts.deps.db.prisma.trainingSession.findUnique({ where: { id: sessionId } });
    if (!row) throw new AppError('NOT_FOUND', 'Session not found');
    await resolveWriter(parts, principal, row.athleteId);
    if (row.source !== 'live' && row.source !== 'simulator') {
      throw new AppError('CONFLICT', 'Only live sessions can be stopped');
    }
    const closed = await parts.sessions.close(row.id, row.athleteId);
    return closed ? toSessionOut(closed) : null;
  }
  const id = await resolveWriter(parts, principal, athleteId);
  const closed = await parts.sessions.stopAthlete(id);
  return closed ? toSessionOut(closed) : null;
}
