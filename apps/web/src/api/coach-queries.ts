/**
 * Queries of the coach workflow (issue #15): wellness form, session RPE, sRPE load, and later
 * notes, plans and team sessions. Kept beside queries.ts so that file stays the core app's.
 */
import type { WellnessAnswers } from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from './client.ts';

export const coachKeys = {
  wellness: (athleteId: string, from?: string, to?: string) => ['wellness', athleteId, from, to] as const,
  srpe: (athleteId: string, from?: string, to?: string) => ['srpe', athleteId, from, to] as const,
  sessionRpe: (sessionId: string) => ['session', sessionId, 'rpe'] as const,
  notes: (path: string) => ['notes', path] as const,
};

export function useWellness(athleteId: string | undefined, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: coachKeys.wellness(athleteId ?? '', range.from, range.to),
    queryFn: () =>
      call('GET /api/v1/athletes/:athleteId/wellness', { params: { athleteId: athleteId! }, query: range }),
    enabled: !!athleteId,
  });
}

export function useSaveWellness(athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ date, answers }: { date: string; answers: WellnessAnswers }) =>
      call('PUT /api/v1/me/wellness/:date', { params: { date }, body: answers }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['wellness', athleteId] }),
  });
}

export function useSessionRpe(sessionId: string | undefined) {
  return useQuery({
    queryKey: coachKeys.sessionRpe(sessionId ?? ''),
    queryFn: async () => (await call('GET /api/v1/sessions/:id/rpe', { params: { id: sessionId! } })).rpe,
    enabled: !!sessionId,
  });
}

export function useRateSession(sessionId: string, athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (rpe: number) =>
      call('PUT /api/v1/sessions/:id/rpe', { params: { id: sessionId }, body: { rpe } }),
    onSuccess: (res) => {
      qc.setQueryData(coachKeys.sessionRpe(sessionId), res.rpe);
      void qc.invalidateQueries({ queryKey: ['srpe', athleteId] });
    },
  });
}

export function useSrpe(athleteId: string | undefined, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: coachKeys.srpe(athleteId ?? '', range.from, range.to),
    queryFn: () =>
      call('GET /api/v1/athletes/:athleteId/srpe', { params: { athleteId: athleteId! }, query: range }),
    enabled: !!athleteId,
  });
}

/** A thread of notes: on a session (`{sessionId}`) or on an athlete's day (`{athleteId, date}`). */
export type NoteThreadSubject = { sessionId: string } | { athleteId: string; date: string };

/** The thread's path, which also keys its cache entry. */
const threadPath = (subject: NoteThreadSubject) =>
  'sessionId' in subject
    ? `/api/v1/sessions/${subject.sessionId}/notes`
    : `/api/v1/athletes/${subject.athleteId}/days/${subject.date}/notes`;

export function useNotes(subject: NoteThreadSubject) {
  const path = threadPath(subject);
  return useQuery({
    queryKey: coachKeys.notes(path),
    queryFn: async () =>
      ('sessionId' in subject
        ? await call('GET /api/v1/sessions/:id/notes', { params: { id: subject.sessionId } })
        : await call('GET /api/v1/athletes/:athleteId/days/:date/notes', { params: subject })
      ).notes,
  });
}

export function useAddNote(subject: NoteThreadSubject) {
  const qc = useQueryClient();
  const path = threadPath(subject);
  return useMutation({
    mutationFn: (body: string) =>
      'sessionId' in subject
        ? call('POST /api/v1/sessions/:id/notes', { params: { id: subject.sessionId }, body: { body } })
        : call('POST /api/v1/athletes/:athleteId/days/:date/notes', { params: subject, body: { body } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: coachKeys.notes(path) }),
  });
}
