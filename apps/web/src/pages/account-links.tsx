import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, call, errorMessage, fieldError } from '../api/client.ts';
import { useCompleteSignup } from '../api/queries.ts';
import { Field, Notice } from '../components/ui.tsx';
import { AuthShell, landingFor, signupNext } from './auth.tsx';

/** What a person should read when an emailed link cannot be used, and what to do next. */
function linkProblem(err: unknown, again: { to: string; label: string }) {
  // A cut-off link fails the token's shape check (400 on body.token): the same as a bogus one.
  const code = fieldError(err, 'token') ? 'TOKEN_INVALID' : err instanceof ApiError ? err.code : '';
  const known = ['TOKEN_INVALID', 'TOKEN_USED', 'TOKEN_EXPIRED'].includes(code);
  const sentence =
    code === 'TOKEN_EXPIRED'
      ? 'This link has expired.'
      : code === 'TOKEN_USED'
        ? 'This link has already been used.'
        : code === 'TOKEN_INVALID'
          ? 'This link is not valid. Check that you opened the whole link from the email.'
          : errorMessage(err);
  return (
    <Notice kind="error" title={known ? 'The link cannot be used' : undefined}>
      {sentence}{' '}
      {known ? (
        <>
          <Link to={again.to}>{again.label}</Link>.
        </>
      ) : null}
    </Notice>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const ask = useMutation({
    mutationFn: (e: string) => call('POST /api/v1/auth/forgot-password', { body: { email: e } }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = !/^\S+@\S+\.\S+$/.test(email.trim());
    setClientError(bad ? 'Enter the email address you sign in with.' : undefined);
    if (!bad) ask.mutate(email.trim());
  };
  const error = clientError ?? (fieldError(ask.error, 'email') && 'Enter a valid email address.');
  return (
    <AuthShell title="Forgot your password?">
      {ask.isSuccess ? (
        <>
          <Notice kind="ok" title="Check your email">
            If an account uses {email.trim()}, a link to choose a new password is on its way. It works once,
            for a short while. Nothing arrived? Look in your spam folder or ask again.
          </Notice>
          <p className="small muted">
            <Link to="/login">Back to sign in</Link>
          </p>
        </>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <p className="muted">Enter the email address you sign in with and we will send you a link.</p>
          <Field label="Email" htmlFor="email" error={error}>
            <input
              id="email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={!!error}
            />
          </Field>
          {ask.error && !error ? <Notice kind="error">{errorMessage(ask.error)}</Notice> : null}
          <button className="btn primary lg block" type="submit" disabled={ask.isPending}>
            {ask.isPending ? 'Sending…' : 'Send reset link'}
          </button>
          <p className="small muted">
            Remembered it? <Link to="/login">Sign in</Link>
          </p>
        </form>
      )}
    </AuthShell>
  );
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const reset = useMutation({
    mutationFn: (p: string) => call('POST /api/v1/auth/reset-password', { body: { token, password: p } }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const short = password.length < 10;
    setTooShort(short);
    if (!short) reset.mutate(password);
  };
  const again = { to: '/forgot-password', label: 'Ask for a new link' };
  if (!token) {
    return (
      <AuthShell title="Choose a new password">
        {linkProblem(new ApiError(400, 'TOKEN_INVALID', ''), again)}
      </AuthShell>
    );
  }
  const passwordError = tooShort ? 'Use at least 10 characters.' : fieldError(reset.error, 'password');
  return (
    <AuthShell title="Choose a new password">
      {reset.isSuccess ? (
        <>
          <Notice kind="ok" title="Password changed">
            Every device that was signed in to your account has been signed out.
          </Notice>
          <Link className="btn primary lg block" to="/login?reset=1">
            Sign in
          </Link>
        </>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <Field
            label="New password"
            htmlFor="new-password"
            error={passwordError}
            help="At least 10 characters."
          >
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={!!passwordError}
            />
          </Field>
          {reset.error && !passwordError ? linkProblem(reset.error, again) : null}
          <button className="btn primary lg block" type="submit" disabled={reset.isPending || !password}>
            {reset.isPending ? 'Saving…' : 'Set new password'}
          </button>
        </form>
      )}
    </AuthShell>
  );
}

export function ConfirmEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const confirm = useMutation({
    mutationFn: () => call('POST /api/v1/auth/confirm-email', { body: { token } }),
  });
  const again = { to: '/settings/account', label: 'Ask for a new link in your account settings' };
  return (
    <AuthShell title="Confirm your new email">
      {!token ? (
        linkProblem(new ApiError(400, 'TOKEN_INVALID', ''), again)
      ) : confirm.isSuccess ? (
        <>
          <Notice kind="ok" title="Email address changed">
            You now sign in with {confirm.data.email}.
          </Notice>
          <Link className="btn primary lg block" to="/">
            Continue
          </Link>
        </>
      ) : (
        <>
          {/* A button, not an action on opening: mail scanners open links without a person. */}
          <p className="muted">Use this address to sign in from now on?</p>
          {confirm.error ? linkProblem(confirm.error, again) : null}
          <button
            className="btn primary lg block"
            type="button"
            disabled={confirm.isPending}
            onClick={() => confirm.mutate()}
          >
            {confirm.isPending ? 'Confirming…' : 'Confirm new email address'}
          </button>
        </>
      )}
    </AuthShell>
  );
}

export function CompleteSignupPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const complete = useCompleteSignup();
  const again = { to: '/register', label: 'Sign up again for a new link' };
  const finish = async () => {
    const res = await complete.mutateAsync(token).catch(() => null);
    if (res) navigate(landingFor(res.user, signupNext.take(), true), { replace: true });
  };
  const taken = complete.error instanceof ApiError && complete.error.code === 'EMAIL_TAKEN';
  return (
    <AuthShell title="Finish signing up">
      {!token ? (
        linkProblem(new ApiError(400, 'TOKEN_INVALID', ''), again)
      ) : (
        <>
          {/* A button, not an action on opening: mail scanners open links without a person. */}
          <p className="muted">Create your account now and sign in?</p>
          {taken ? (
            <Notice kind="error" title="This address has an account already">
              <Link to="/login">Sign in</Link>, or <Link to="/forgot-password">reset your password</Link> if
              you forgot it.
            </Notice>
          ) : complete.error ? (
            linkProblem(complete.error, again)
          ) : null}
          <button
            className="btn primary lg block"
            type="button"
            disabled={complete.isPending || taken}
            onClick={() => void finish()}
          >
            {complete.isPending ? 'Creating account…' : 'Create my account'}
          </button>
        </>
      )}
    </AuthShell>
  );
}
