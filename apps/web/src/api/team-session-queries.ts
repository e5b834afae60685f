/**
 * Queries of team sessions (issue #15 item 5): the team's list with the running one, starting
 * and ending it from the live view, and the review.
 */
import type { TeamSessionStartBody } from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from './client.ts';

export const teamSessionKeys = {
  all: ['team-sessions'] as const,
  list: (teamId: string) => ['team-sessions', 'list', teamId] as const,
  review: (id: string) => ['team-sessions', 'review', id] as const,
};

export function useTeamSessions(teamId: string | undefined) {
  return useQuery({
    queryKey: teamSessionKeys.list(teamId ?? ''),
    queryFn: () => call('GET /api/v1/teams/:teamId/team-sessions', { params: { teamId: teamId! } }),
    enabled: !!teamId,
    // Another coach of the team may start or end it: the control follows within half a minute.
    refetchInterval: 30_000,
  });
}

export function useTeamSessionReview(id: string | undefined) {
  return useQuery({
    queryKey: teamSessionKeys.review(id ?? ''),
    queryFn: () => call('GET /api/v1/team-sessions/:id', { params: { id: id! } }),
    enabled: !!id,
  });
}

export function useStartTeamSession(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamSessionStartBody) =>
      call('POST /api/v1/teams/:teamId/team-sessions', { params: { teamId }, body }),
    onSettled: () => qc.invalidateQueries({ queryKey: teamSessionKeys.all }),
  });
}

export function useEndTeamSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('POST /api/v1/team-sessions/:id/end', { params: { id } }),
    onSettled: () => qc.invalidateQueries({ queryKey: teamSessionKeys.all }),
  });
}
