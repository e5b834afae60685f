import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { call, errorMessage } from '../api/client.ts';
import { keys, useInvitePreview, useMe } from '../api/queries.ts';
import type { Consent } from '../api/types.ts';
import { Card, Notice, PageLoading } from '../components/ui.tsx';
import { formatDateTime } from '../lib/format.ts';
import { inviteProblem } from '../lib/invite-problem.ts';

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
  const preview = useInvitePreview(code);
  const [consent, setConsent] = useState<Consent>({ live: true, sessions: true, wellness: true });
  const accept = useMutation({
    mutationFn: () =>
      call('POST /api/v1/invites/:code/accept', { params: { code: code! }, body: { consent } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.teams });
      void qc.invalidateQueries({ queryKey: keys.me });
      navigate('/today');
    },
  });
  if (preview.isPending) return <PageLoading label="Reading the invite…" />;
  const invite = preview.data;
  const problem = inviteProblem(invite, preview.error);
  const member = invite ? me.memberships?.find((m) => m.teamId === invite.teamId) : undefined;
  return (
    <main className="page" id="main" style={{ maxWidth: 640 }}>
      <h1>Join a team</h1>
      {invite ? (
        <p className="subtitle" data-testid="invite-from">
          <strong>{invite.coachName}</strong> invites you to join <strong>{invite.teamName}</strong>.
        </p>
      ) : null}
      {problem ? (
        <Notice kind="error" title="This invite cannot be used">
          <span data-testid="invite-problem">{problem}</span>
        </Notice>
      ) : member ? (
        <Notice kind="info" title={`You are already in ${invite!.teamName}`}>
          What you share with it is under <Link to="/settings/teams">Settings → Teams</Link>.
        </Notice>
      ) : me.role !== 'athlete' ? (
        <Notice kind="warn">Invites are for athletes. You are signed in as a {me.role}.</Notice>
      ) : null}
      {problem || member || !invite ? null : (
        <Card title={`What do you want to share with ${invite.coachName}?`}>
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
              You can change this at any time in Settings; the coach sees it at once. The invite works until{' '}
              {formatDateTime(invite.expiresAt)}.
            </p>
            {accept.error ? <Notice kind="error">{errorMessage(accept.error)}</Notice> : null}
            <div className="row">
              <button
                type="button"
                className="btn primary"
                disabled={accept.isPending || me.role !== 'athlete'}
                onClick={() => accept.mutate()}
              >
                Accept invite
              </button>
            </div>
          </div>
        </Card>
      )}
    </main>
  );
}
