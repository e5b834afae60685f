// The notes front door: threads on an athlete's session or day.
export * from './add-note.ts';
export * from './list-notes.ts';
export type { NoteSubject } from './note-subject.ts';
