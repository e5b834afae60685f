import type { Note } from '@athlete/contracts';
import type { Note as NoteRow } from '@athlete/db';

export const WITH_AUTHOR = { author: { select: { id: true, name: true, role: true } } } as const;

type NoteWithAuthor = NoteRow & { author: { id: string; name: string; role: 'athlete' | 'coach' | 'admin' } };

export function toNoteOut(row: NoteWithAuthor): Note {
  return {
    id: row.id,
    athleteId: row.athleteId,
    sessionId: row.sessionId,
    date: row.date ? row.date.toISOString().slice(0, 10) : null,
    author: {
      id: row.author.id,
      name: row.author.name,
      role: row.author.id === row.athleteId ? 'athlete' : row.author.role,
    },
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}
