import type {
  AccountExport,
  BackgroundWork,
  BulkImport,
  InvitePreview,
  ManualSessionBody,
  ManualSessionPatchBody,
  SignupPendingResponse,
  TeamAlertDefaults,
} from '@athlete/contracts';
import {
  type QueryClient,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from './client.ts';
import type {
  Alert,
  AuthResponse,
  DailySummary,
  Device,
  Integration,
  PendingInvite,
  Profile,
  ProfileSummary,
  SessionLap,
  SessionSample,
  Team,
  TeamAthlete,
  TrainingSession,
  User,
} from './types.ts';

/** Every API path the SPA uses, in one place. */
export const paths = {
  register: '/api/v1/auth/register',
  completeSignup: '/api/v1/auth/complete-signup',
  login: '/api/v1/auth/login',
  logout: '/api/v1/auth/logout',
  me: '/api/v1/me',
  profile: '/api/v1/me/profile',
  preferences: '/api/v1/me/preferences',
  exportData: '/api/v1/me/export',
  accountExports: '/api/v1/me/exports',
  accountExport: (id: string) => `/api/v1/me/exports/${id}`,
  backgroundWork: '/api/v1/me/background-work',
  deleteAccount: '/api/v1/me',
  changePassword: '/api/v1/me/password',
  changeEmail: '/api/v1/me/email',
  forgotPassword: '/api/v1/auth/forgot-password',
  resetPassword: '/api/v1/auth/reset-password',
  confirmEmail: '/api/v1/auth/confirm-email',
  adminOutbox: '/api/v1/admin/outbox',
  config: '/api/v1/config',
  teams: '/api/v1/teams',
  team: (id: string) => `/api/v1/teams/${id}`,
  teamAthletes: (id: string) => `/api/v1/teams/${id}/athletes`,
  teamInvites: (id: string) => `/api/v1/teams/${id}/invites`,
  teamInvite: (teamId: string, inviteId: string) => `/api/v1/teams/${teamId}/invites/${inviteId}`,
  teamAthlete: (teamId: string, athleteId: string) => `/api/v1/teams/${teamId}/athletes/${athleteId}`,
  invite: (code: string) => `/api/v1/invites/${code}`,
  acceptInvite: (code: string) => `/api/v1/invites/${code}/accept`,
  membershipConsent: (teamId: string) => `/api/v1/teams/${teamId}/consent`,
  leaveTeam: (teamId: string) => `/api/v1/teams/${teamId}/membership`,
  devices: '/api/v1/devices',
  device: (id: string) => `/api/v1/devices/${id}`,
  athleteSessions: (id: string) => `/api/v1/athletes/${id}/sessions`,
  athleteDaily: (id: string) => `/api/v1/athletes/${id}/daily`,
  athleteProfile: (id: string) => `/api/v1/athletes/${id}/profile`,
  session: (id: string) => `/api/v1/sessions/${id}`,
  sessionExport: (id: string, format: 'fit' | 'gpx' | 'tcx' | 'original') =>
    `/api/v1/sessions/${id}/export?format=${format}`,
  manualSession: '/api/v1/sessions/manual',
  manualSessionOne: (id: string) => `/api/v1/sessions/manual/${id}`,
  sessionSamples: (id: string) => `/api/v1/sessions/${id}/samples`,
  teamAlerts: (teamId: string) => `/api/v1/teams/${teamId}/alerts`,
  teamAlertDefaults: (teamId: string) => `/api/v1/teams/${teamId}/alert-defaults`,
  athleteAlerts: (athleteId: string) => `/api/v1/athletes/${athleteId}/alerts`,
  ackAlert: (id: string) => `/api/v1/alerts/${id}/ack`,
  integrations: '/api/v1/integrations',
  integrationConnect: (p: string) => `/api/v1/integrations/${p}/connect`,
  integrationSync: (p: string) => `/api/v1/integrations/${p}/sync`,
  integration: (p: string) => `/api/v1/integrations/${p}`,
  imports: '/api/v1/imports',
  bulkImports: '/api/v1/imports/bulk',
  bulkImport: (id: string) => `/api/v1/imports/bulk/${id}`,
  simulator: '/api/v1/simulator',
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
        return (await api.get<{ user: User }>(paths.me, { quiet401: true })).user;
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
      api.post<AuthResponse>(paths.login, body, { quiet401: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
  });
}

/** Signed in at once (201), or, with sign-up by emailed link on the server, a mail to follow (202). */
export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string; name: string; role: 'athlete' | 'coach' }) =>
      api.post<AuthResponse | SignupPendingResponse>(paths.register, body),
    onSuccess: (res) => {
      if ('user' in res) return qc.invalidateQueries({ queryKey: keys.me });
    },
  });
}

/** Follows the link from the sign-up mail: the account is made and this browser signed in. */
export function useCompleteSignup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api.post<AuthResponse>(paths.completeSignup, { token }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
  });
}

export async function logout(qc: QueryClient): Promise<void> {
  try {
    await api.post(paths.logout, {});
  } finally {
    qc.setQueryData(keys.me, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  }
}

export function useProfile(enabled = true) {
  return useQuery({
    queryKey: keys.profile,
    queryFn: async () => (await api.get<{ profile: Profile | null }>(paths.profile)).profile,
    enabled,
  });
}

export function useAthleteProfile(athleteId: string | undefined) {
  return useQuery({
    queryKey: ['athlete-profile', athleteId],
    queryFn: async () =>
      (
        await api.get<{ athleteId: string; name: string; profile: ProfileSummary }>(
          paths.athleteProfile(athleteId!),
        )
      ).profile,
    enabled: !!athleteId,
    retry: false,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: keys.teams,
    queryFn: async () => (await api.get<{ teams: Team[] }>(paths.teams)).teams,
    enabled,
  });
}

export function teamAlertDefaultsQuery(teamId: string) {
  return queryOptions({
    queryKey: keys.teamAlertDefaults(teamId),
    queryFn: async () =>
      (await api.get<{ defaults: TeamAlertDefaults }>(paths.teamAlertDefaults(teamId))).defaults,
  });
}

export function useTeamAlertDefaults(teamId: string | undefined) {
  return useQuery({ ...teamAlertDefaultsQuery(teamId ?? ''), enabled: !!teamId });
}

export function useTeamAthletes(teamId: string | undefined) {
  return useQuery({
    queryKey: keys.teamAthletes(teamId ?? ''),
    queryFn: async () => (await api.get<{ athletes: TeamAthlete[] }>(paths.teamAthletes(teamId!))).athletes,
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
    queryFn: async () => (await api.get<{ invites: PendingInvite[] }>(paths.teamInvites(teamId!))).invites,
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
    queryFn: async () => (await api.get<{ invite: InvitePreview }>(paths.invite(code!))).invite,
    enabled: !!code,
    retry: false,
  });
}

export function useDevices() {
  return useQuery({
    queryKey: keys.devices,
    queryFn: async () => (await api.get<{ devices: Device[] }>(paths.devices)).devices,
    retry: false,
  });
}

/** An athlete's sessions in a range, newest first, up to the API's default page of 500 (trends, dashboard). */
export function useSessions(athleteId: string | undefined, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: keys.sessions(athleteId ?? '', range.from, range.to),
    queryFn: async () =>
      (await api.get<SessionPage>(paths.athleteSessions(athleteId!), { query: range })).sessions,
    enabled: !!athleteId,
  });
}

export interface SessionPage {
  sessions: TrainingSession[];
  nextCursor: string | null;
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
      api.get<SessionPage>(paths.athleteSessions(athleteId!), {
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
    queryFn: () => api.get<{ session: TrainingSession; laps?: SessionLap[] }>(paths.session(id!)),
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
    mutationFn: (name: string | null) => api.patch<{ session: TrainingSession }>(paths.session(id), { name }),
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
      const { bulkImport } = await api.get<{ bulkImport: BulkImport }>(paths.bulkImport(id));
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
    mutationFn: (body: ManualSessionBody) =>
      api.post<{ session: TrainingSession }>(paths.manualSession, body),
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
      api.patch<{ session: TrainingSession }>(paths.manualSessionOne(id), body),
    onSuccess: () => void qc.invalidateQueries(),
  });
}

/** Delete a session entered by hand (with its rating and notes); every read is refreshed. */
export function useDeleteManualSession(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>(paths.manualSessionOne(id)),
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
      (await api.get<{ samples: SessionSample[] }>(paths.sessionSamples(id!), { query: { maxPoints } }))
        .samples,
    enabled: !!id,
    staleTime: 5 * 60_000,
  });
}

export function useDaily(athleteId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: keys.daily(athleteId ?? '', from, to),
    queryFn: async () =>
      (await api.get<{ daily: DailySummary[] }>(paths.athleteDaily(athleteId!), { query: { from, to } }))
        .daily,
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
    queryFn: async () => (await api.get<{ alerts: Alert[] }>(path, { query: { active } })).alerts,
    enabled: enabled && !!path,
    retry: false,
  });
}

export interface AlertPage {
  alerts: Alert[];
  nextCursor: string | null;
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
      api.get<AlertPage>(paths.teamAlerts(teamId!), {
        query: { ...filters, limit, cursor: pageParam ?? undefined },
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
    queryFn: async () => (await api.get<{ integrations: Integration[] }>(paths.integrations)).integrations,
    retry: false,
  });
}

/** Starts building the account export in the background; its report comes back at once. */
export function useStartAccountExport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => (await api.post<{ export: AccountExport }>(paths.accountExports, {})).export,
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
    queryFn: async () => (await api.get<{ export: AccountExport }>(paths.accountExport(id!))).export,
    refetchInterval: (q) => (unfinished(q.state.data?.status) ? 1_000 : false),
  });
}

/** Every background job the user started, polled every 2 s while any is unfinished. */
export function useBackgroundWork() {
  return useQuery({
    queryKey: keys.backgroundWork,
    queryFn: async () => (await api.get<{ work: BackgroundWork[] }>(paths.backgroundWork)).work,
    refetchInterval: (q) => ((q.state.data ?? []).some((w) => unfinished(w.status)) ? 2_000 : false),
  });
}
