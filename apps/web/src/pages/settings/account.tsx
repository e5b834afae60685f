import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, call, errorMessage, fieldError } from '../../api/client.ts';
import {
  keys,
  paths,
  useAccountExport,
  useBackgroundWork,
  useMe,
  useStartAccountExport,
} from '../../api/queries.ts';
import { exportProgressText, ProgressBar } from '../../components/background-work.tsx';
import { Card, Field, Notice } from '../../components/ui.tsx';

function NameCard() {
  const me = useMe().data!;
  const qc = useQueryClient();
  const [name, setName] = useState(me.name);
  useEffect(() => setName(me.name), [me.name]);
  const save = useMutation({
    mutationFn: (next: string) => call('PATCH /api/v1/me', { body: { name: next } }),
    onSuccess: (res) => qc.setQueryData(keys.me, res.user),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(name);
  };
  const error = fieldError(save.error, 'name');
  return (
    <Card title="Your name" id="account-name">
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Display name"
          htmlFor="display-name"
          error={error}
          help="Shown to your teams and coaches."
        >
          <input
            id="display-name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        {save.error && !error ? <Notice kind="error">{errorMessage(save.error)}</Notice> : null}
        {save.isSuccess && name === me.name ? <Notice kind="ok">Name saved.</Notice> : null}
        <div className="row">
          <button className="btn primary" type="submit" disabled={save.isPending || name.trim() === me.name}>
            Save name
          </button>
        </div>
      </form>
    </Card>
  );
}

/**
 * The export is built in the background (a year takes seconds): the card shows parts done of
 * total while it is written, then the download. An export started earlier is picked up again.
 */
function ExportCard() {
  const start = useStartAccountExport();
  const work = useBackgroundWork();
  const latest = work.data?.find((w) => w.kind === 'export') ?? null;
  const id = start.data?.id ?? latest?.id ?? null;
  const report = useAccountExport(id);
  const e = report.data ?? start.data ?? null;
  const busy = e !== null && (e.status === 'queued' || e.status === 'running');
  const percent = e?.total ? Math.floor((100 * e.done) / e.total) : null;
  return (
    <Card title="Export your data" id="export">
      <div className="stack">
        <p className="small muted">
          A ZIP of JSON and CSV files: your profile, sessions, samples, daily summaries and alerts. It is
          prepared in the background; you can leave this page and find it under Background work.
        </p>
        {e ? (
          <div className="stack" style={{ gap: 4 }} data-testid="export-progress" data-status={e.status}>
            <span className="small" aria-live="polite">
              {exportProgressText(e)}
            </span>
            <ProgressBar
              label="Export progress"
              percent={percent}
              finished={!busy}
              failed={e.status === 'failed'}
            />
          </div>
        ) : null}
        {start.error ? <Notice kind="error">{errorMessage(start.error)}</Notice> : null}
        <div className="row">
          <button
            type="button"
            className="btn"
            disabled={start.isPending || busy}
            onClick={() => start.mutate()}
          >
            {e ? 'Prepare a new export' : 'Prepare export'}
          </button>
          {e?.status === 'succeeded' ? (
            <a className="btn primary" href={`${paths.accountExport(e.id)}/download`} download>
              Download export
            </a>
          ) : null}
        </div>
      </div>
    </Card>
  );
}

function PasswordCard() {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const [tooShort, setTooShort] = useState(false);
  const change = useMutation({
    mutationFn: (body: typeof form) => call('POST /api/v1/me/password', { body }),
    onSuccess: () => setForm({ currentPassword: '', newPassword: '' }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const short = form.newPassword.length < 10;
    setTooShort(short);
    if (!short) change.mutate(form);
  };
  const current = fieldError(change.error, 'currentPassword') && 'That is not your current password.';
  const next = tooShort ? 'Use at least 10 characters.' : fieldError(change.error, 'newPassword');
  return (
    <Card title="Change password" id="change-password">
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Current password" htmlFor="current-password" error={current}>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            value={form.currentPassword}
            onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
          />
        </Field>
        <Field label="New password" htmlFor="new-password" error={next} help="At least 10 characters.">
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            value={form.newPassword}
            onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
          />
        </Field>
        {change.error && !current && !next ? (
          <Notice kind="error">{errorMessage(change.error)}</Notice>
        ) : null}
        {change.isSuccess ? (
          <Notice kind="ok">Password changed. Your other devices have been signed out.</Notice>
        ) : null}
        <div className="row">
          <button
            className="btn primary"
            type="submit"
            disabled={change.isPending || !form.currentPassword || !form.newPassword}
          >
            Change password
          </button>
        </div>
      </form>
    </Card>
  );
}

function EmailCard() {
  const me = useMe().data!;
  const [form, setForm] = useState({ newEmail: '', password: '' });
  const [clientError, setClientError] = useState<string | undefined>();
  const change = useMutation({
    mutationFn: (body: typeof form) => call('POST /api/v1/me/email', { body }),
    onSuccess: () => setForm({ newEmail: '', password: '' }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = !/^\S+@\S+\.\S+$/.test(form.newEmail.trim());
    setClientError(bad ? 'Enter a valid email address.' : undefined);
    if (!bad) change.mutate({ ...form, newEmail: form.newEmail.trim() });
  };
  const taken = change.error instanceof ApiError && change.error.code === 'EMAIL_TAKEN';
  const emailError =
    clientError ??
    (taken
      ? 'Another account already uses this address.'
      : fieldError(change.error, 'newEmail') === 'is already your email address'
        ? 'This is already your email address.'
        : fieldError(change.error, 'newEmail') && 'Enter a valid email address.');
  const passwordError = fieldError(change.error, 'password') && 'That is not your password.';
  return (
    <Card title="Email address" id="change-email">
      <form className="stack" onSubmit={submit} noValidate>
        <p className="small muted">
          You sign in with{' '}
          <strong className="address" data-testid="current-email">
            {me.email}
          </strong>
          . A new address is used only once you follow the link we send to it.
        </p>
        <Field label="New email address" htmlFor="new-email" error={emailError}>
          <input
            id="new-email"
            type="email"
            autoComplete="email"
            value={form.newEmail}
            onChange={(e) => setForm({ ...form, newEmail: e.target.value })}
            aria-invalid={!!emailError}
          />
        </Field>
        <Field label="Your password" htmlFor="email-password" error={passwordError}>
          <input
            id="email-password"
            type="password"
            autoComplete="current-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            aria-invalid={!!passwordError}
          />
        </Field>
        {change.error && !emailError && !passwordError ? (
          <Notice kind="error">{errorMessage(change.error)}</Notice>
        ) : null}
        {change.isSuccess ? (
          <Notice kind="ok" title="Check your new inbox">
            We sent a confirmation link to {change.data.pendingEmail}. Until you follow it, you keep signing
            in with {me.email}.
          </Notice>
        ) : null}
        <div className="row">
          <button
            className="btn primary"
            type="submit"
            disabled={change.isPending || !form.newEmail || !form.password}
          >
            Send confirmation link
          </button>
        </div>
      </form>
    </Card>
  );
}

export function AccountSection() {
  const me = useMe().data!;
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const del = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('DELETE /api/v1/me', { body: { password } });
      // The server cleared the session cookies. A full load (not a client-side navigation) leaves
      // nothing of the account in memory; the sign-in page says what happened.
      window.location.replace('/login?deleted=1');
    } catch (err) {
      // The API names the field (body.password) when the password is wrong.
      setError(
        err instanceof ApiError && err.fieldErrors().password
          ? 'Wrong password: nothing was deleted.'
          : errorMessage(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack lg">
      <NameCard />
      <EmailCard />
      <PasswordCard />
      <ExportCard />
      <Card title="Delete account" id="delete-account">
        <div className="stack">
          <p className="small muted">
            Deletes your account and everything stored about you: sessions, samples, wellness data, devices
            and provider connections. This cannot be undone.
          </p>
          <Field label={`Password of ${me.email}, to confirm`} htmlFor="confirm-delete">
            <input
              id="confirm-delete"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
            />
          </Field>
          {error ? <Notice kind="error">{error}</Notice> : null}
          <div className="row">
            <button type="button" className="btn danger" disabled={!password || busy} onClick={del}>
              Delete my account
            </button>
          </div>
        </div>
      </Card>
    </div>
  );
}
