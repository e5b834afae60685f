/**
 * Queries of team sessions (issue #15 item 5): the team's list with the running one, starting
 * and ending it from the live view, and the review.
 */
import type {
  TeamSessionEndResponse,
  TeamSessionListResponse,
  TeamSessionResponse,
  TeamSessionReviewResponse,
  TeamSessionStartBody,
} from '@athlete/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export const teamSessionPaths = {
  list: (teamId: string) => `/api/v1/teams/${teamId}/team-sessions`,
  one: (id: string) => `/api/v1/team-sessions/${id}`,
  end: (id: string) => `/api/v1/team-sessions/${id}/end`,
} as const;

export const teamSessionKeys = {
  all: ['team-sessions'] as const,
  list: (teamId: string) => ['team-sessions', 'list', teamId] as const,
  review: (id: string) => ['team-sessions', 'review', id] as const,
};

export function useTeamSessions(teamId: string | undefined) {
  return useQuery({
    queryKey: teamSessionKeys.list(teamId ?? ''),
    queryFn: () => api.get<TeamSessionListResponse>(teamSessionPaths.list(teamId!)),
    enabled: !!teamId,
    // Another coach of the team may start or end it: the control follows within half a minute.
    refetchInterval: 30_000,
  });
}

export function useTeamSessionReview(id: string | undefined) {
  return useQuery({
    queryKey: teamSessionKeys.review(id ?? ''),
    queryFn: () => api.get<TeamSessionReviewResponse>(teamSessionPaths.one(id!)),
    enabled: !!id,
  });
}

export function useStartTeamSession(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamSessionStartBody) =>
      api.post<TeamSessionResponse>(teamSessionPaths.list(teamId), body),
    onSettled: () => qc.invalidateQueries({ queryKey: teamSessionKeys.all }),
  });
}

export function useEndTeamSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<TeamSessionEndResponse>(teamSessionPaths.end(id)),
    onSettled: () => qc.invalidateQueries({ queryKey: teamSessionKeys.all }),
  });
}
