import type { Note } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { type NoteSubject, resolveNoteSubject } from './note-subject.ts';
import { toNoteOut, WITH_AUTHOR } from './note-views.ts';

/**
 * Adds a note to the thread on a session or an athlete's day: the athlete (a reply) or anyone
 * who may see that subject (their coach under the matching consent, an admin).
 */
export async function addNote({
  deps,
  principal,
  subject,
  body,
}: {
  deps: Deps;
  principal: UserPrincipal;
  subject: NoteSubject;
  body: string;
}): Promise<Note> {
  const target = await resolveNoteSubject({ deps, principal, subject });
  const row = await deps.db.prisma.note.create({
    data: { ...target, authorId: principal.userId, body },
    include: WITH_AUTHOR,
  });
  return toNoteOut(row);
}
