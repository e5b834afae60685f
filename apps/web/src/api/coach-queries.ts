/**
 * Queries of the coach workflow (issue #15): wellness form, session RPE, sRPE load, and later
 * notes, plans and team sessions. Kept beside queries.ts so that file stays the core app's.
 */
import type {
  Note,
  SessionRpe,
  SrpeSeries,
  WellnessAnswers,
  WellnessEntry,
  WellnessList,
} from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export const coachPaths = {
  myWellness: (date: string) => `/api/v1/me/wellness/${date}`,
  athleteWellness: (athleteId: string) => `/api/v1/athletes/${athleteId}/wellness`,
  athleteSrpe: (athleteId: string) => `/api/v1/athletes/${athleteId}/srpe`,
  sessionRpe: (sessionId: string) => `/api/v1/sessions/${sessionId}/rpe`,
  sessionNotes: (sessionId: string) => `/api/v1/sessions/${sessionId}/notes`,
  dayNotes: (athleteId: string, date: string) => `/api/v1/athletes/${athleteId}/days/${date}/notes`,
} as const;

export const coachKeys = {
  wellness: (athleteId: string, from?: string, to?: string) => ['wellness', athleteId, from, to] as const,
  srpe: (athleteId: string, from?: string, to?: string) => ['srpe', athleteId, from, to] as const,
  sessionRpe: (sessionId: string) => ['session', sessionId, 'rpe'] as const,
  notes: (path: string) => ['notes', path] as const,
};

export function useWellness(athleteId: string | undefined, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: coachKeys.wellness(athleteId ?? '', range.from, range.to),
    queryFn: () => api.get<WellnessList>(coachPaths.athleteWellness(athleteId!), { query: range }),
    enabled: !!athleteId,
  });
}

export function useSaveWellness(athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ date, answers }: { date: string; answers: WellnessAnswers }) =>
      api.put<{ entry: WellnessEntry }>(coachPaths.myWellness(date), answers),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['wellness', athleteId] }),
  });
}

export function useSessionRpe(sessionId: string | undefined) {
  return useQuery({
    queryKey: coachKeys.sessionRpe(sessionId ?? ''),
    queryFn: async () => (await api.get<{ rpe: SessionRpe | null }>(coachPaths.sessionRpe(sessionId!))).rpe,
    enabled: !!sessionId,
  });
}

export function useRateSession(sessionId: string, athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (rpe: number) => api.put<{ rpe: SessionRpe }>(coachPaths.sessionRpe(sessionId), { rpe }),
    onSuccess: (res) => {
      qc.setQueryData(coachKeys.sessionRpe(sessionId), res.rpe);
      void qc.invalidateQueries({ queryKey: ['srpe', athleteId] });
    },
  });
}

export function useSrpe(athleteId: string | undefined, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: coachKeys.srpe(athleteId ?? '', range.from, range.to),
    queryFn: () => api.get<SrpeSeries>(coachPaths.athleteSrpe(athleteId!), { query: range }),
    enabled: !!athleteId,
  });
}

/** A thread of notes: on a session (`{sessionId}`) or on an athlete's day (`{athleteId, date}`). */
export type NoteThreadSubject = { sessionId: string } | { athleteId: string; date: string };

const threadPath = (subject: NoteThreadSubject) =>
  'sessionId' in subject
    ? coachPaths.sessionNotes(subject.sessionId)
    : coachPaths.dayNotes(subject.athleteId, subject.date);

export function useNotes(subject: NoteThreadSubject) {
  const path = threadPath(subject);
  return useQuery({
    queryKey: coachKeys.notes(path),
    queryFn: async () => (await api.get<{ notes: Note[] }>(path)).notes,
  });
}

export function useAddNote(subject: NoteThreadSubject) {
  const qc = useQueryClient();
  const path = threadPath(subject);
  return useMutation({
    mutationFn: (body: string) => api.post<{ note: Note }>(path, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: coachKeys.notes(path) }),
  });
}
