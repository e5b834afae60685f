/**
 * Queries of planned sessions (issue #15 item 4): an athlete's plans with what was done, a team's
 * plans with each athlete's result, the coach's plan writes, and the athlete's calendar feed.
 */
import type { AthletePlans, CalendarFeed, Plan, PlanBody, PlanPatch, TeamPlans } from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export const planPaths = {
  athletePlans: (athleteId: string) => `/api/v1/athletes/${athleteId}/plans`,
  teamPlans: (teamId: string) => `/api/v1/teams/${teamId}/plans`,
  plan: (planId: string) => `/api/v1/plans/${planId}`,
  calendarFeed: '/api/v1/me/calendar-feed',
} as const;

export const planKeys = {
  all: ['plans'] as const,
  athlete: (athleteId: string, from: string, to: string) =>
    ['plans', 'athlete', athleteId, from, to] as const,
  team: (teamId: string, from: string, to: string) => ['plans', 'team', teamId, from, to] as const,
  feed: ['calendar-feed'] as const,
};

export function useAthletePlans(athleteId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: planKeys.athlete(athleteId ?? '', from, to),
    queryFn: () => api.get<AthletePlans>(planPaths.athletePlans(athleteId!), { query: { from, to } }),
    enabled: !!athleteId,
  });
}

export function useTeamPlans(teamId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: planKeys.team(teamId ?? '', from, to),
    queryFn: () => api.get<TeamPlans>(planPaths.teamPlans(teamId!), { query: { from, to } }),
    enabled: !!teamId,
  });
}

/** Creates (no `planId`) or changes a plan; every plan view refreshes after. */
export function useSavePlan(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ planId, body }: { planId?: string; body: PlanBody | PlanPatch }) =>
      planId
        ? api.patch<{ plan: Plan }>(planPaths.plan(planId), body)
        : api.post<{ plan: Plan }>(planPaths.teamPlans(teamId), body),
    onSuccess: () => qc.invalidateQueries({ queryKey: planKeys.all }),
  });
}

export function useDeletePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (planId: string) => api.delete<void>(planPaths.plan(planId)),
    onSuccess: () => qc.invalidateQueries({ queryKey: planKeys.all }),
  });
}

export function useCalendarFeed() {
  return useQuery({
    queryKey: planKeys.feed,
    queryFn: async () => (await api.get<{ feed: CalendarFeed }>(planPaths.calendarFeed)).feed,
  });
}

/** Make or rotate (`POST`) or revoke (`DELETE`) the feed URL; the URL comes back only from POST. */
export function useChangeCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (action: 'rotate' | 'revoke') =>
      action === 'rotate'
        ? (await api.post<{ feed: CalendarFeed }>(planPaths.calendarFeed)).feed
        : (await api.delete<{ feed: CalendarFeed }>(planPaths.calendarFeed)).feed,
    onSuccess: (feed) => qc.setQueryData(planKeys.feed, { active: feed.active, createdAt: feed.createdAt }),
  });
}
