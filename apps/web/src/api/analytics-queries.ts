/**
 * Queries of the training-intelligence endpoints (issue #14): load, form and ACWR, readiness
 * against personal baselines, the recommendation of the day, and readiness checks. The web
 * computes nothing here: every number on screen is one the API serves.
 */
import type {
  AthleteReadiness,
  LoadSettings,
  PublicConfig,
  ReadinessCheck,
  ReadinessCheckBody,
  ReadinessDay,
  SessionComparison,
  TeamReadiness,
  ThresholdDayOverride,
  TrainingLoad,
} from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export const analyticsPaths = {
  load: (athleteId: string) => `/api/v1/athletes/${athleteId}/load`,
  loadSettings: (athleteId: string) => `/api/v1/athletes/${athleteId}/load/settings`,
  readiness: (athleteId: string) => `/api/v1/athletes/${athleteId}/readiness`,
  readinessSeries: (athleteId: string) => `/api/v1/athletes/${athleteId}/readiness/series`,
  readinessChecks: (athleteId: string) => `/api/v1/athletes/${athleteId}/readiness/checks`,
  sessionComparison: (sessionId: string) => `/api/v1/sessions/${sessionId}/comparison`,
} as const;

/** A session's EF and decoupling against the athlete's last N of the same sport and duration. */
export function useSessionComparison(sessionId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['session-comparison', sessionId],
    queryFn: async () =>
      (await api.get<{ comparison: SessionComparison }>(analyticsPaths.sessionComparison(sessionId!)))
        .comparison,
    enabled: !!sessionId && enabled,
  });
}

export function usePublicConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: () => api.get<PublicConfig>('/api/v1/config'),
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
      (await api.get<{ load: TrainingLoad }>(analyticsPaths.load(athleteId!), { query: { from, to } })).load,
    enabled: !!athleteId,
  });
}

export function useReadiness(athleteId: string | undefined, date?: string) {
  return useQuery({
    queryKey: analyticsKeys.readiness(athleteId ?? '', date),
    queryFn: async () =>
      (
        await api.get<{ readiness: AthleteReadiness }>(analyticsPaths.readiness(athleteId!), {
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
        await api.get<{ days: ReadinessDay[] }>(analyticsPaths.readinessSeries(athleteId!), {
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
    queryFn: () => api.get<TeamReadiness>(`/api/v1/teams/${teamId}/readiness`),
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
        await api.post<{ override: ThresholdDayOverride }>(
          `/api/v1/athletes/${v.athleteId}/readiness/threshold`,
          {
            date: v.date,
            suggestedBpm: v.suggestedBpm,
          },
        )
      ).override,
    onSettled: () => qc.invalidateQueries({ queryKey: ['team', teamId ?? '', 'readiness'] }),
  });
}

/** A resting check changes today's readiness and the series: refresh everything of the athlete. */
export function useRecordReadinessCheck(athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: ReadinessCheckBody) =>
      (await api.post<{ check: ReadinessCheck }>(analyticsPaths.readinessChecks(athleteId), body)).check,
    onSettled: () => qc.invalidateQueries({ queryKey: analyticsKeys.all(athleteId) }),
  });
}

export function useSaveLoadSettings(athleteId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { ctlDays: number | null; atlDays: number | null }) =>
      (await api.put<{ settings: LoadSettings }>(analyticsPaths.loadSettings(athleteId), body)).settings,
    onSuccess: () => qc.invalidateQueries({ queryKey: analyticsKeys.all(athleteId) }),
  });
}
