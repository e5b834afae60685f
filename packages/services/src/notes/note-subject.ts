import { assertCanViewAthlete, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { findViewableSession } from '../sessions/get-session.ts';

/** What a thread is about: one session, or one athlete's day. */
export type NoteSubject = { sessionId: string } | { athleteId: string; date: string };

/**
 * Resolves a thread's subject for a principal who may see it: a session under the sessions
 * consent, a day under the wellness consent (401/403/404 otherwise, nothing read).
 */
export async function resolveNoteSubject({
  deps,
  principal,
  subject,
}: {
  deps: Deps;
  principal: Principal | null;
  subject: NoteSubject;
}): Promise<{ athleteId: string; sessionId: string | null; date: Date | null }> {
  if ('sessionId' in subject) {
    const session = await findViewableSession({ deps, principal, sessionId: subject.sessionId });
    return { athleteId: session.athleteId, sessionId: session.id, date: null };
  }
  await assertCanViewAthlete({ deps, principal, athleteId: subject.athleteId, scope: 'wellness' });
  return { athleteId: subject.athleteId, sessionId: null, date: new Date(`${subject.date}T00:00:00Z`) };
}
