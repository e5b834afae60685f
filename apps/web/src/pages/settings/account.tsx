import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../api/client.ts';
import { paths, useMe } from '../../api/queries.ts';
import { Card, Field, Notice } from '../../components/ui.tsx';

export function AccountSection() {
  const me = useMe().data!;
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const del = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(paths.deleteAccount, { body: { password } });
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
      <Card title="Export your data" id="export">
        <p className="small muted" style={{ marginBottom: 12 }}>
          A ZIP of JSON and CSV files: your profile, sessions, samples, daily summaries and alerts.
        </p>
        <a className="btn" href={paths.exportData} download>
          Download export
        </a>
      </Card>
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
