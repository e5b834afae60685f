import type { Note } from '@athlete/contracts';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { type NoteSubject, resolveNoteSubject } from './note-subject.ts';
import { toNoteOut, WITH_AUTHOR } from './note-views.ts';

/** The thread on a session or an athlete's day, oldest first. */
export async function listNotes({
  deps,
  principal,
  subject,
}: {
  deps: Deps;
  principal: Principal | null;
  subject: NoteSubject;
}): Promise<Note[]> {
  const where = await resolveNoteSubject({ deps, principal, subject });
  const rows = await deps.db.prisma.note.findMany({
    where: where.sessionId
      ? { sessionId: where.sessionId }
      : { athleteId: where.athleteId, date: where.date },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 500,
    include: WITH_AUTHOR,
  });
  return rows.map(toNoteOut);
}
