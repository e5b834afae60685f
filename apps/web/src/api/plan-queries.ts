/**
 * Queries of planned sessions (issue #15 item 4): an athlete's plans with what was done, a team's
 * plans with each athlete's result, the coach's plan writes, and the athlete's calendar feed.
 */
import type { PlanBody } from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from './client.ts';

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
    queryFn: () =>
      call('GET /api/v1/athletes/:athleteId/plans', {
        params: { athleteId: athleteId! },
        query: { from, to },
      }),
    enabled: !!athleteId,
  });
}

export function useTeamPlans(teamId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: planKeys.team(teamId ?? '', from, to),
    queryFn: () =>
      call('GET /api/v1/teams/:teamId/plans', { params: { teamId: teamId! }, query: { from, to } }),
    enabled: !!teamId,
  });
}

/** Creates (no `planId`) or changes a plan; every plan view refreshes after. */
export function useSavePlan(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ planId, body }: { planId?: string; body: PlanBody }) =>
      planId
        ? call('PATCH /api/v1/plans/:id', { params: { id: planId }, body })
        : call('POST /api/v1/teams/:teamId/plans', { params: { teamId }, body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: planKeys.all }),
  });
}

export function useDeletePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (planId: string) => call('DELETE /api/v1/plans/:id', { params: { id: planId } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: planKeys.all }),
  });
}

export function useCalendarFeed() {
  return useQuery({
    queryKey: planKeys.feed,
    queryFn: async () => (await call('GET /api/v1/me/calendar-feed')).feed,
  });
}

/** Make or rotate (`POST`) or revoke (`DELETE`) the feed URL; the URL comes back only from POST. */
export function useChangeCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (action: 'rotate' | 'revoke') =>
      action === 'rotate'
        ? (await call('POST /api/v1/me/calendar-feed')).feed
        : (await call('DELETE /api/v1/me/calendar-feed')).feed,
    onSuccess: (feed) => qc.setQueryData(planKeys.feed, { active: feed.active, createdAt: feed.createdAt }),
  });
}
