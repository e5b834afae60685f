import type { ApiQuery, ManualSessionBody, ManualSessionPatchBody } from '@athlete/contracts';
import {
  type QueryClient,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { call } from './client.ts';

/**
 * Paths the SPA uses outside `call` (links, downloads, uploads, cache keys). JSON requests name
 * their route in `API_ROUTES` (contracts) instead.
 */
export const paths = {
  accountExport: (id: string) => `/api/v1/me/exports/${id}`,
  sessionExport: (id: string, format: 'fit' | 'gpx' | 'tcx' | 'original') =>
    `/api/v1/sessions/${id}/export?format=${format}`,
  teamAlerts: (teamId: string) => `/api/v1/teams/${teamId}/alerts`,
  athleteAlerts: (athleteId: string) => `/api/v1/athletes/${athleteId}/alerts`,
  integrationConnect: (p: string) => `/api/v1/integrations/${p}/connect`,
  imports: '/api/v1/imports',
  bulkImports: '/api/v1/imports/bulk',
} as const;

export const keys = {
  me: ['me'] as const,
  profile: ['profile'] as const,
  teams: ['teams'] as const,
  team: (id: string) => ['team', id] as const,
  teamAthletes: (id: string) => ['team', id, 'athletes'] as const,
  teamInvites: (id: string) => ['team', id, 'invites'] as const,
  teamAlertDefaults: (id: string) => ['team', id, 'alert-defaults'] as const,
  invite: (code: string) => ['invite', code] as const,
  devices: ['devices'] as const,
  sessions: (athleteId: string, from?: string, to?: string) => ['sessions', athleteId, from, to] as const,
  /** Paged list (an infinite query: its data has another shape than `sessions`). */
  sessionPages: (athleteId: string, from?: string, to?: string, sport?: string) =>
    ['sessions', athleteId, from, to, 'pages', sport] as const,
  session: (id: string) => ['session', id] as const,
  samples: (id: string, maxPoints: number) => ['session', id, 'samples', maxPoints] as const,
  daily: (athleteId: string, from: string, to: string) => ['daily', athleteId, from, to] as const,
  alerts: (scope: Record<string, string | undefined>) => ['alerts', scope] as const,
  integrations: ['integrations'] as const,
  backgroundWork: ['background-work'] as const,
};

/** The signed-in user, or null when signed out (a 401 is not an error here). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return (await call('GET /api/v1/me', { quiet401: true })).user;
      } catch (err) {
        if ((err as { status?: number }).status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      call('POST /api/v1/auth/login', { body, quiet401: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
  });
}

/** Signed in at once (201), or, with sign-up by emailed link on the server, a mail to follow (202). */
export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string; name: string; role: 'athlete' | 'coach' }) =>
      call('POST /api/v1/auth/register', { body }),
    onSuccess: (res) => {
      if ('user' in res) return qc.invalidateQueries({ queryKey: keys.me });
    },
  });
}

/** Follows the link from the sign-up mail: the account is made and this browser signed in. */
export function useCompleteSignup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => call('POST /api/v1/auth/complete-signup', { body: { token } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
  });
}

export async function logout(qc: QueryClient): Promise<void> {
  try {
    await call('POST /api/v1/auth/logout');
  } finally {
    qc.setQueryData(keys.me, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  }
}

export function useProfile(enabled = true) {
  return useQuery({
    queryKey: keys.profile,
    queryFn: async () => (await call('GET /api/v1/me/profile')).profile,
    enabled,
  });
}

export function useAthleteProfile(athleteId: string | undefined) {
  return useQuery({
    queryKey: ['athlete-profile', athleteId],
    queryFn: async () =>
      (await call('GET /api/v1/athletes/:athleteId/profile', { params: { athleteId: athleteId! } })).profile,
    enabled: !!athleteId,
    retry: false,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: keys.teams,
    queryFn: async () => (await call('GET /api/v1/teams')).teams,
    enabled,
  });
}

export function teamAlertDefaultsQuery(teamId: string) {
  return queryOptions({
    queryKey: keys.teamAlertDefaults(teamId),
    queryFn: async () =>
      (await call('GET /api/v1/teams/:teamId/alert-defaults', { params: { teamId } })).defaults,
  });
}

export function useTeamAlertDefaults(teamId: string | undefined) {
  return useQuery({ ...teamAlertDefaultsQuery(teamId ?? ''), enabled: !!teamId });
}

export function useTeamAthletes(teamId: string | undefined) {
  return useQuery({
    queryKey: keys.teamAthletes(teamId ?? ''),
    queryFn: async () => (await call('GET /api/v1/teams/:id/athletes', { params: { id: teamId! } })).athletes,
    enabled: !!teamId,
  });
}

/** How often a coach's open Manage page re-reads the pending invites, so accepted ones leave. */
export const PENDING_INVITES_REFRESH_MS = 30_000;

/**
 * A team's invites not yet accepted, revoked or expired (coaches and admins), re-read every
 * {@link PENDING_INVITES_REFRESH_MS} while the page is visible (never from a hidden tab).
 */
export function teamInvitesQuery(teamId: string | undefined) {
  return queryOptions({
    queryKey: keys.teamInvites(teamId ?? ''),
    queryFn: async () => (await call('GET /api/v1/teams/:id/invites', { params: { id: teamId! } })).invites,
    enabled: !!teamId,
    refetchInterval: PENDING_INVITES_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}

export function useTeamInvites(teamId: string | undefined) {
  return useQuery(teamInvitesQuery(teamId));
}

/** What an invite link is for (team, coach, still open?), read when the link is opened. */
export function useInvitePreview(code: string | undefined) {
  return useQuery({
    queryKey: keys.invite(code ?? ''),
    queryFn: async () => (await call('GET /api/v1/invites/:code', { params: { code: code! } })).invite,
    enabled: !!code,
    retry: false,
  });
}

export function useDevices() {
  return useQuery({
    queryKey: keys.devices,
    queryFn: async () => (await call('GET /api/v1/devices')).devices,
    retry: false,
  });
}

/** An athlete's sessions in a range, newest first, up to the API's default page of 500 (trends, dashboard). */
export function useSessions(athleteId: string | undefined, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: keys.sessions(athleteId ?? '', range.from, range.to),
    queryFn: async () =>
      (
        await call('GET /api/v1/athletes/:athleteId/sessions', {
          params: { athleteId: athleteId! },
          query: range,
        })
      ).sessions,
    enabled: !!athleteId,
  });
}

/** An athlete's sessions page by page, newest first; `fetchNextPage` loads older ones. */
export function useSessionPages(
  athleteId: string | undefined,
  range: { from?: string; to?: string; sport?: string } = {},
  limit = 50,
) {
  return useInfiniteQuery({
    queryKey: keys.sessionPages(athleteId ?? '', range.from, range.to, range.sport),
    queryFn: ({ pageParam }) =>
      call('GET /api/v1/athletes/:athleteId/sessions', {
        params: { athleteId: athleteId! },
        query: { ...range, limit, cursor: pageParam ?? undefined },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!athleteId,
  });
}

const sessionQuery = (id: string | undefined) =>
  queryOptions({
    queryKey: keys.session(id ?? ''),
    queryFn: () => call('GET /api/v1/sessions/:id', { params: { id: id! } }),
    enabled: !!id,
  });

export function useSession(id: string | undefined) {
  return useQuery({ ...sessionQuery(id), select: (d) => d.session });
}

/** The laps the session's file recorded (empty for sessions without laps). */
export function useSessionLaps(id: string | undefined) {
  return useQuery({ ...sessionQuery(id), select: (d) => d.laps ?? [] });
}

/** Rename a session of one's own (null clears the name). */
export function useRenameSession(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string | null) =>
      call('PATCH /api/v1/sessions/:id', { params: { id }, body: { name } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.session(id) });
      void qc.invalidateQueries({ queryKey: ['sessions'] });
    },
  });
}

/** A bulk import's report, re-read every 2 s until the job has finished. */
export function useBulkImport(id: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['bulk-import', id],
    queryFn: async () => {
      const { bulkImport } = await call('GET /api/v1/imports/bulk/:id', { params: { id } });
      if (bulkImport.status === 'succeeded') void qc.invalidateQueries({ queryKey: ['sessions'] });
      return bulkImport;
    },
    refetchInterval: (q) =>
      q.state.data?.status === 'succeeded' || q.state.data?.status === 'failed' ? false : 2_000,
  });
}

/** Enter a session by hand (manual: no file, no samples). */
export function useCreateManualSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ManualSessionBody) => call('POST /api/v1/sessions/manual', { body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sessions'] }),
  });
}

/**
 * Correct a session entered by hand. Load, sRPE and every series counting it are computed from
 * the session on read, so all cached reads are refreshed.
 */
export function useUpdateManualSession(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ManualSessionPatchBody) =>
      call('PATCH /api/v1/sessions/manual/:id', { params: { id }, body }),
    onSuccess: () => void qc.invalidateQueries(),
  });
}

/** Delete a session entered by hand (with its rating and notes); every read is refreshed. */
export function useDeleteManualSession(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call('DELETE /api/v1/sessions/manual/:id', { params: { id } }),
    onSuccess: () => {
      qc.removeQueries({ queryKey: keys.session(id) });
      void qc.invalidateQueries();
    },
  });
}

export function useSessionSamples(id: string | undefined, maxPoints: number) {
  return useQuery({
    queryKey: keys.samples(id ?? '', maxPoints),
    queryFn: async () =>
      (await call('GET /api/v1/sessions/:id/samples', { params: { id: id! }, query: { maxPoints } })).samples,
    enabled: !!id,
    staleTime: 5 * 60_000,
  });
}

export function useDaily(athleteId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: keys.daily(athleteId ?? '', from, to),
    queryFn: async () =>
      (
        await call('GET /api/v1/athletes/:athleteId/daily', {
          params: { athleteId: athleteId! },
          query: { from, to },
        })
      ).daily,
    enabled: !!athleteId,
    retry: false,
  });
}

/** Alerts of a team (or one athlete); `active` keeps those not cleared yet. */
export function useAlerts(scope: { teamId?: string; athleteId?: string; active?: boolean }, enabled = true) {
  const path = scope.teamId
    ? paths.teamAlerts(scope.teamId)
    : scope.athleteId
      ? paths.athleteAlerts(scope.athleteId)
      : '';
  const active = scope.active ? 'true' : undefined;
  return useQuery({
    queryKey: keys.alerts({ path, active }),
    queryFn: async () =>
      (scope.teamId
        ? await call('GET /api/v1/teams/:teamId/alerts', {
            params: { teamId: scope.teamId },
            query: { active },
          })
        : await call('GET /api/v1/athletes/:athleteId/alerts', {
            params: { athleteId: scope.athleteId! },
            query: { active },
          })
      ).alerts,
    enabled: enabled && !!path,
    retry: false,
  });
}

/** What the team's alert history is narrowed by (all optional; see `teamAlertsQuerySchema`). */
export interface AlertHistoryFilters {
  athleteId?: string;
  /** One training session's alerts only (`?sessionId`, as the API takes it). */
  sessionId?: string;
  rule?: string;
  state?: string;
  from?: string;
  to?: string;
}

/** A team's alert history page by page, newest first; `fetchNextPage` loads older ones. */
export function useAlertPages(teamId: string | undefined, filters: AlertHistoryFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: [...keys.alerts({ path: paths.teamAlerts(teamId ?? ''), history: 'pages' }), filters, limit],
    queryFn: ({ pageParam }) =>
      call('GET /api/v1/teams/:teamId/alerts', {
        params: { teamId: teamId! },
        // Filters come from the address bar as they were typed; the API answers a 400 naming
        // a value it does not know (shown on the page), so they are passed through unchecked.
        query: {
          ...filters,
          limit,
          cursor: pageParam ?? undefined,
        } as ApiQuery<'GET /api/v1/teams/:teamId/alerts'>,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!teamId,
    retry: false,
  });
}

export function useIntegrations() {
  return useQuery({
    queryKey: keys.integrations,
    queryFn: async () => (await call('GET /api/v1/integrations')).integrations,
    retry: false,
  });
}

/** Starts building the account export in the background; its report comes back at once. */
export function useStartAccountExport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => (await call('POST /api/v1/me/exports')).export,
    onSuccess: (e) => {
      qc.setQueryData(['account-export', e.id], e);
      void qc.invalidateQueries({ queryKey: keys.backgroundWork });
    },
  });
}

const unfinished = (status: string | undefined) => status !== 'succeeded' && status !== 'failed';

/** One export's report, polled each second while it is being built. */
export function useAccountExport(id: string | null) {
  return useQuery({
    queryKey: ['account-export', id],
    enabled: id !== null,
    queryFn: async () => (await call('GET /api/v1/me/exports/:id', { params: { id: id! } })).export,
    refetchInterval: (q) => (unfinished(q.state.data?.status) ? 1_000 : false),
  });
}

/** Every background job the user started, polled every 2 s while any is unfinished. */
export function useBackgroundWork() {
  return useQuery({
    queryKey: keys.backgroundWork,
    queryFn: async () => (await call('GET /api/v1/me/background-work')).work,
    refetchInterval: (q) => ((q.state.data ?? []).some((w) => unfinished(w.status)) ? 2_000 : false),
  });
}
