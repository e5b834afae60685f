import { useQueryClient } from '@tanstack/react-query';
import { Fragment, lazy, type ReactNode, Suspense, useEffect } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { onUnauthorized } from './api/client.ts';
import { keys, useMe } from './api/queries.ts';
import type { Role } from './api/types.ts';
import { Layout } from './components/layout.tsx';
import { OfflineNotice } from './components/offline-notice.tsx';
import { Notice, PageLoading } from './components/ui.tsx';
import { setDisplayPreferences } from './lib/format.ts';
import {
  CompleteSignupPage,
  ConfirmEmailPage,
  ForgotPasswordPage,
  ResetPasswordPage,
} from './pages/account-links.tsx';
import { LoginPage, RegisterPage } from './pages/auth.tsx';

const TodayPage = lazy(() => import('./pages/today.tsx'));
const SessionsPage = lazy(() => import('./pages/sessions.tsx'));
const SessionPage = lazy(() => import('./pages/session.tsx'));
const TrendsPage = lazy(() => import('./pages/trends.tsx'));
const RecordPage = lazy(() => import('./pages/record.tsx'));
const OnboardingPage = lazy(() => import('./pages/onboarding.tsx'));
const CoachHome = lazy(() => import('./pages/coach-home.tsx'));
const CoachLive = lazy(() => import('./pages/coach-live.tsx'));
const AthleteLivePage = lazy(() => import('./pages/athlete-live.tsx'));
const TeamManage = lazy(() => import('./pages/team-manage.tsx'));
const TeamReadiness = lazy(() => import('./pages/team-readiness.tsx'));
const TeamAlerts = lazy(() => import('./pages/team-alerts.tsx'));
const TeamSessionsPage = lazy(() => import('./pages/team-sessions.tsx'));
const TeamSessionPage = lazy(() => import('./pages/team-session.tsx'));
const CalendarPage = lazy(() => import('./pages/calendar.tsx'));
const AcceptInvite = lazy(() => import('./pages/accept-invite.tsx'));
const SettingsPage = lazy(() => import('./pages/settings.tsx'));
const AdminOutbox = lazy(() => import('./pages/admin-outbox.tsx'));
const NotFound = lazy(() => import('./pages/not-found.tsx'));

/** Signed-in area: sends anonymous visitors to the login page and back afterwards. */
function RequireAuth({ children, roles }: { children: ReactNode; roles?: Role[] }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError && me.data === undefined) {
    // Not signed out: the server is out of reach (offline, or down). Sending to sign-in would not help.
    return (
      <main className="page" id="main">
        <Notice kind="error" title="The server cannot be reached">
          This page opens once the connection returns.{' '}
          <button type="button" className="btn sm" onClick={() => void me.refetch()}>
            Try again
          </button>
        </Notice>
      </main>
    );
  }
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (roles && !roles.includes(me.data.role)) return <Navigate to="/" replace />;
  // Formatters read the person's units and zone; the key redraws the page when they change.
  const { units, timeZone } = me.data.preferences;
  setDisplayPreferences({ units, timeZone });
  return <Fragment key={`${units}|${timeZone ?? ''}`}>{children}</Fragment>;
}

function Home() {
  const me = useMe();
  if (me.isPending) return <PageLoading />;
  if (!me.data) return <Navigate to="/login" replace />;
  return <Navigate to={me.data.role === 'athlete' ? '/today' : '/coach'} replace />;
}

const page = (node: ReactNode, roles?: Role[]) => (
  <RequireAuth roles={roles}>
    <Suspense fallback={<PageLoading />}>{node}</Suspense>
  </RequireAuth>
);

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/register', element: <RegisterPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  { path: '/confirm-email', element: <ConfirmEmailPage /> },
  { path: '/complete-signup', element: <CompleteSignupPage /> },
  {
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'onboarding', element: page(<OnboardingPage />, ['athlete']) },
      { path: 'today', element: page(<TodayPage />) },
      { path: 'dashboard', element: <Navigate to="/today" replace /> },
      { path: 'record', element: page(<RecordPage />) },
      { path: 'sessions', element: page(<SessionsPage />) },
      { path: 'sessions/:sessionId', element: page(<SessionPage />) },
      { path: 'trends', element: page(<TrendsPage />) },
      { path: 'calendar', element: page(<CalendarPage />) },
      { path: 'coach', element: page(<CoachHome />) },
      { path: 'teams/:teamId/live', element: page(<CoachLive />) },
      { path: 'teams/:teamId/manage', element: page(<TeamManage />) },
      { path: 'teams/:teamId/readiness', element: page(<TeamReadiness />) },
      { path: 'teams/:teamId/calendar', element: page(<CalendarPage />) },
      { path: 'teams/:teamId/alerts', element: page(<TeamAlerts />) },
      { path: 'teams/:teamId/team-sessions', element: page(<TeamSessionsPage />) },
      { path: 'team-sessions/:teamSessionId', element: page(<TeamSessionPage />) },
      { path: 'teams/:teamId/athletes/:athleteId', element: page(<AthleteLivePage />) },
      { path: 'athletes/:athleteId/sessions', element: page(<SessionsPage />) },
      { path: 'athletes/:athleteId/trends', element: page(<TrendsPage />) },
      { path: 'athletes/:athleteId/today', element: page(<TodayPage />) },
      { path: 'athletes/:athleteId/calendar', element: page(<CalendarPage />) },
      { path: 'invite/:code', element: page(<AcceptInvite />) },
      { path: 'settings', element: <Navigate to="/settings/profile" replace /> },
      { path: 'settings/:section', element: page(<SettingsPage />) },
      { path: 'admin/outbox', element: page(<AdminOutbox />, ['admin']) },
      {
        path: '*',
        element: (
          <Suspense fallback={<PageLoading />}>
            <NotFound />
          </Suspense>
        ),
      },
    ],
  },
]);

export function App() {
  const qc = useQueryClient();
  useEffect(() => onUnauthorized(() => qc.setQueryData(keys.me, null)), [qc]);
  return (
    <>
      <OfflineNotice />
      <RouterProvider router={router} />
    </>
  );
}
