import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, errorMessage } from '../api/client.ts';
import { keys, paths, useMe } from '../api/queries.ts';
import type { Consent } from '../api/types.ts';
import { Card, Notice } from '../components/ui.tsx';

const SCOPES: Array<{ key: keyof Consent; label: string; help: string }> = [
  { key: 'live', label: 'Live data', help: 'Heart rate, speed and position while you train.' },
  { key: 'sessions', label: 'Sessions', help: 'Your recorded and imported sessions.' },
  { key: 'wellness', label: 'Wellness', help: 'Sleep, HRV, resting HR and recovery.' },
];

export default function AcceptInvite() {
  const { code } = useParams();
  const me = useMe().data!;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [consent, setConsent] = useState<Consent>({ live: true, sessions: true, wellness: true });
  const accept = useMutation({
    mutationFn: () => api.post(paths.acceptInvite(code!), { consent }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.teams });
      navigate('/today');
    },
  });
  return (
    <main className="page" id="main" style={{ maxWidth: 640 }}>
      <h1>Join a team</h1>
      {me.role !== 'athlete' ? (
        <Notice kind="warn">Invites are for athletes. You are signed in as a {me.role}.</Notice>
      ) : null}
      <Card title="What do you want to share with the coach?">
        <div className="stack">
          {SCOPES.map((s) => (
            <label key={s.key} className="check" style={{ alignItems: 'flex-start' }}>
              <input
                type="checkbox"
                checked={consent[s.key]}
                onChange={(e) => setConsent({ ...consent, [s.key]: e.target.checked })}
              />
              <span>
                <strong>{s.label}</strong>
                <span className="muted small" style={{ display: 'block' }}>
                  {s.help}
                </span>
              </span>
            </label>
          ))}
          <p className="small muted">
            You can change this at any time in Settings; the coach sees it at once.
          </p>
          {accept.error ? <Notice kind="error">{errorMessage(accept.error)}</Notice> : null}
          <div className="row">
            <button
              type="button"
              className="btn primary"
              disabled={accept.isPending}
              onClick={() => accept.mutate()}
            >
              Accept invite
            </button>
          </div>
        </div>
      </Card>
    </main>
  );
}
