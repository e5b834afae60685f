/**
 * Queries of the training-intelligence endpoints (issue #14): load, form and ACWR, readiness
 * against personal baselines, the recommendation of the day, and readiness checks. The web
 * computes nothing here: every number on screen is one the API serves.
 */
import type { ReadinessCheckBody } from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from './client.ts';

/** A session's EF and decoupling against the athlete's last N of the same sport and duration. */
export function useSessionComparison(sessionId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['session-comparison', sessionId],
    queryFn: async () =>
      (await call('GET /api/v1/sessions/:id/comparison', { params: { id: sessionId! } })).comparison,
    enabled: !!sessionId && enabled,
  });
}

export function usePublicConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: () => call('GET /api/v1/config'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const analyticsKeys = {
  all: (athleteId: string) => ['analytics', athleteId] as const,
  load: (athleteId: string, from: string, to: string) => ['analytics', athleteId, 'load', from, to] as const,
  readiness: (athleteId: string, date?: string) => ['analytics', athleteId, 'readiness', date] as const,
  series: (athleteId: string, from: string, to: string) =>
    ['analytics', athleteId, 'series', from, to] as const,
};

export function useTrainingLoad(athleteId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: analyticsKeys.load(athleteId ?? '', from, to),
    queryFn: async () =>
      (
        await call('GET /api/v1/athletes/:athleteId/load', {
          params: { athleteId: athleteId! },
          query: { from, to },
        })
      ).load,
    enabled: !!athleteId,
  });
}

export function useReadiness(athleteId: string | undefined, date?: string) {
  return useQuery({
    queryKey: analyticsKeys.readiness(athleteId ?? '', date),
    queryFn: async () =>
      (
        await call('GET /api/v1/athletes/:athleteId/readiness', {
          params: { athleteId: athleteId! },
          query: date ? { date } : {},
        })
      ).readiness,
    enabled: !!athleteId,
  });
}

export function useReadinessSeries(athleteId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: analyticsKeys.series(athleteId ?? '', from, to),
    queryFn: async () =>
      (
        await call('GET /api/v1/athletes/:athleteId/readiness/series', {
          params: { athleteId: athleteId! },
          query: { from, to },
        })
      ).days,
    enabled: !!athleteId,
  });
}

/** The coach's morning check of a team, refreshed every 5 minutes while open. */
export function useTeamReadiness(teamId: string | undefined) {
  return useQuery({
    queryKey: ['team', teamId ?? '', 'readiness'],
    queryFn: () => call('GET /api/v1/teams/:teamId/readiness', { params: { teamId: teamId! } }),
    enabled: !!teamId,
    refetchInterval: 5 * 60_000,
  });
}

/**
 * The coach confirms an athlete's readiness-gated threshold for today (one tap); the team table
 * is re-read so the row shows the logged override instead of the suggestion.
 */
export function useConfirmReadinessThreshold(teamId: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { athleteId: string; date: string; suggestedBpm: number }) =>
      (
        await call('POST /api/v1/athletes/:athleteId/readiness/threshold', {
          params: { athleteId: v.athleteId },
          body: { date: v.date, suggestedBpm: v.suggestedBpm },
        })
      ).override,
    onSettled: () => qc.invalidateQueries({ queryKey: ['team', teamId ?? '', 'readiness'] }),
  });
}

/** A resting check changes today's readiness and the series: refresh everything of the athlete. */
export function useRecordReadinessCheck(athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: ReadinessCheckBody) =>
      (await call('POST /api/v1/athletes/:athleteId/readiness/checks', { params: { athleteId }, body }))
        .check,
    onSettled: () => qc.invalidateQueries({ queryKey: analyticsKeys.all(athleteId) }),
  });
}

export function useSaveLoadSettings(athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { ctlDays: number | null; atlDays: number | null }) =>
      (await call('PUT /api/v1/athletes/:athleteId/load/settings', { params: { athleteId }, body })).settings,
    onSuccess: () => qc.invalidateQueries({ queryKey: analyticsKeys.all(athleteId) }),
  });
}
