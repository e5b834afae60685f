import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, errorMessage } from '../api/client.ts';
import { useLogin, useMe, useRegister } from '../api/queries.ts';
import type { User } from '../api/types.ts';
import { Field, Logo, Notice, PageLoading } from '../components/ui.tsx';

export function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}

/**
 * Where a sign-up by emailed link resumes (an invite, say), kept in this browser until its link
 * is followed: the mailed link carries no `next`. Opened on another device it lands as usual.
 */
const SIGNUP_NEXT_KEY = 'ap.signup-next';
export const signupNext = {
  keep(next: string | null) {
    try {
      if (next) localStorage.setItem(SIGNUP_NEXT_KEY, next);
      else localStorage.removeItem(SIGNUP_NEXT_KEY);
    } catch {
      // Storage refused (private mode): the link then lands on the usual page.
    }
  },
  take(): string | null {
    try {
      const next = localStorage.getItem(SIGNUP_NEXT_KEY);
      localStorage.removeItem(SIGNUP_NEXT_KEY);
      return safeNext(next);
    } catch {
      return null;
    }
  },
};

export function landingFor(user: Pick<User, 'role'>, next: string | null, isNew: boolean): string {
  if (next) return next;
  if (user.role === 'athlete') return isNew ? '/onboarding' : '/today';
  return '/coach';
}

export function AuthHero() {
  return (
    <aside className="auth-hero">
      <div className="brand">
        <Logo /> Athlete Platform
      </div>
      <div>
        <h1>Every heartbeat of the session, live.</h1>
        <p className="lede">
          Heart rate, speed, distance and GPS at 1 Hz for athletes, and the whole squad on one screen for
          coaches, with history from Garmin and WHOOP.
        </p>
      </div>
      <svg className="pulse" viewBox="0 0 560 120" aria-hidden="true">
        <path
          d="M0 70 H150 L170 40 L190 100 L215 10 L240 110 L260 70 H330 L345 55 L360 80 L372 70 H560"
          fill="none"
          stroke="var(--accent)"
          strokeWidth="3"
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      </svg>
    </aside>
  );
}

/** The frame of the one-message pages (emailed links, "Check your email"): the hero and one column. */
export function AuthShell({ children, title }: { children: ReactNode; title: string }) {
  return (
    <div className="auth-wrap">
      <AuthHero />
      <main className="auth-form" id="main">
        <div className="stack">
          <h1>{title}</h1>
          {children}
        </div>
      </main>
    </div>
  );
}

export function LoginPage() {
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const notice = params.get('deleted')
    ? 'Your account and its data were deleted.'
    : params.get('reset')
      ? 'Your password was changed. Sign in with the new one.'
      : params.get('email')
        ? 'Your email address was changed. Sign in with the new one.'
        : null;

  if (me.isPending) return <PageLoading />;
  if (me.data) return <Navigate to={landingFor(me.data, next, false)} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await login.mutateAsync({ email, password }).catch(() => null);
    if (res) navigate(landingFor(res.user, next, false), { replace: true });
  };

  const err = login.error;
  return (
    <div className="auth-wrap">
      <AuthHero />
      <main className="auth-form" id="main">
        <form onSubmit={submit} noValidate aria-labelledby="login-title">
          <div>
            <h1 id="login-title">Sign in</h1>
            <p className="muted">Welcome back.</p>
          </div>
          {notice && !err ? <Notice kind="ok">{notice}</Notice> : null}
          {err ? (
            <Notice kind="error">
              {err instanceof ApiError && err.status === 401 ? 'Wrong email or password.' : errorMessage(err)}
              {err instanceof ApiError && err.status === 429 ? (
                <>
                  {' '}
                  Or <Link to="/forgot-password">reset your password</Link>, which lifts the lock on your
                  account.
                </>
              ) : null}
            </Notice>
          ) : null}
          <Field label="Email" htmlFor="email">
            <input
              id="email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <Field
            label="Password"
            htmlFor="password"
            help={
              <Link to="/forgot-password" data-testid="forgot-password-link">
                Forgot password?
              </Link>
            }
          >
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <button className="btn primary lg block" type="submit" disabled={login.isPending}>
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </button>
          <p className="small muted">
            New here?{' '}
            <Link to={`/register${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
          </p>
        </form>
      </main>
    </div>
  );
}

export function RegisterPage() {
  const me = useMe();
  const register = useRegister();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [form, setForm] = useState({
    name: '',
    email: '',
    password: '',
    role: (params.get('role') === 'coach' ? 'coach' : 'athlete') as 'athlete' | 'coach',
  });
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});

  if (me.isPending) return <PageLoading />;
  if (me.data && !register.isSuccess) return <Navigate to={landingFor(me.data, next, false)} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = 'Enter your name.';
    if (!/^\S+@\S+\.\S+$/.test(form.email)) errs.email = 'Enter a valid email address.';
    if (form.password.length < 10) errs.password = 'Use at least 10 characters.';
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const res = await register.mutateAsync({ ...form, name: form.name.trim() }).catch(() => null);
    if (res && 'user' in res) navigate(landingFor(res.user, next, true), { replace: true });
    else if (res) signupNext.keep(next);
  };

  // The server mails a link instead of signing in; the answer is the same whether or not the
  // address has an account, and so is this page.
  if (register.data && 'status' in register.data) {
    return (
      <AuthShell title="Check your email">
        <Notice kind="ok" title={`We sent a mail to ${register.data.email}`}>
          Follow the link in it to finish creating your account; it signs you in. The link works once, for the
          time the mail says. Nothing arrived? Look in your spam folder, or sign up again for a new link.
        </Notice>
        <p className="small muted">
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </AuthShell>
    );
  }

  const serverErrors = register.error instanceof ApiError ? register.error.fieldErrors() : {};
  const errors = { ...serverErrors, ...clientErrors };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });

  return (
    <div className="auth-wrap">
      <AuthHero />
      <main className="auth-form" id="main">
        <form onSubmit={submit} noValidate aria-labelledby="register-title">
          <div>
            <h1 id="register-title">Create your account</h1>
            <p className="muted">Athletes track their training; coaches watch their team live.</p>
          </div>
          {register.error && Object.keys(serverErrors).length === 0 ? (
            <Notice kind="error">{errorMessage(register.error)}</Notice>
          ) : null}
          <fieldset className="role-picker" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="visually-hidden">I am</legend>
            {(['athlete', 'coach'] as const).map((r) => (
              <label key={r}>
                <input
                  type="radio"
                  name="role"
                  value={r}
                  checked={form.role === r}
                  onChange={() => setForm({ ...form, role: r })}
                />
                <strong>{r === 'athlete' ? 'Athlete' : 'Coach'}</strong>
                <span className="muted xs">
                  {r === 'athlete' ? 'Record and review my training' : 'Watch and manage a team'}
                </span>
              </label>
            ))}
          </fieldset>
          <Field label="Name" htmlFor="name" error={errors.name}>
            <input
              id="name"
              autoComplete="name"
              value={form.name}
              onChange={set('name')}
              aria-invalid={!!errors.name}
            />
          </Field>
          <Field label="Email" htmlFor="email" error={errors.email}>
            <input
              id="email"
              type="email"
              autoComplete="email"
              value={form.email}
              onChange={set('email')}
              aria-invalid={!!errors.email}
            />
          </Field>
          <Field label="Password" htmlFor="password" error={errors.password} help="At least 10 characters.">
            <input
              id="password"
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set('password')}
              aria-invalid={!!errors.password}
            />
          </Field>
          <button className="btn primary lg block" type="submit" disabled={register.isPending}>
            {register.isPending ? 'Creating account…' : 'Create account'}
          </button>
          <p className="small muted">
            Already registered?{' '}
            <Link to={`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Sign in</Link>
          </p>
        </form>
      </main>
    </div>
  );
}
