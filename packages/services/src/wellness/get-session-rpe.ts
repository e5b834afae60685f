import type { SessionRpe } from '@athlete/contracts';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { findViewableSession } from '../sessions/get-session.ts';
import { toSessionRpeOut } from './wellness-views.ts';

/** A session's RPE rating, null while unrated (whoever may see the session). */
export async function getSessionRpe({
  deps,
  principal,
  sessionId,
}: {
  deps: Deps;
  principal: Principal | null;
  sessionId: string;
}): Promise<SessionRpe | null> {
  const session = await findViewableSession({ deps, principal, sessionId });
  const row = await deps.db.prisma.sessionRpe.findUnique({ where: { sessionId: session.id } });
  return row ? toSessionRpeOut(row) : null;
}
