import { z } from 'zod';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from './common.ts';

/** `POST …/notes`: a coach's note or the athlete's reply. */
export const noteBodySchema = z.object({
  body: z
    .string('must be text')
    .trim()
    .min(1, 'must not be empty')
    .max(4000, 'must be at most 4000 characters'),
});
export type NoteBody = z.infer<typeof noteBodySchema>;

/** One note of a thread about an athlete's session (`sessionId`) or day (`date`). */
export const noteSchema = z.object({
  id: uuidSchema,
  athleteId: uuidSchema,
  sessionId: uuidSchema.nullable(),
  date: isoDateSchema.nullable(),
  author: z.object({
    id: uuidSchema,
    name: z.string(),
    /** `athlete` when the athlete the thread is about wrote it, else the author's account role. */
    role: z.enum(['athlete', 'coach', 'admin']),
  }),
  body: z.string(),
  createdAt: isoDateTimeSchema,
});
export type Note = z.infer<typeof noteSchema>;

export const notesResponseSchema = z.object({ notes: z.array(noteSchema) });
export const noteResponseSchema = z.object({ note: noteSchema });

export const athleteDayParamsSchema = z.object({ athleteId: uuidSchema, date: isoDateSchema });
