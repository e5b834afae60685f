import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { call, errorMessage, fieldError } from '../api/client.ts';
import { keys, useTeamAthletes, useTeamInvites, useTeams } from '../api/queries.ts';
import type { Consent, Invite } from '../api/types.ts';
import { Card, Empty, Field, Notice, PageLoading, QueryError } from '../components/ui.tsx';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { TeamAlertDefaultsCard } from './team-alert-defaults.tsx';

function ConsentBadges({ consent }: { consent?: Consent }) {
  if (!consent) return <span className="muted small">unknown</span>;
  return (
    <span className="row" style={{ gap: 4 }}>
      {(['live', 'sessions', 'wellness'] as const).map((k) => (
        <span
          key={k}
          className={`badge ${consent[k] ? 'ok' : ''}`}
          title={`${k}: ${consent[k] ? 'shared' : 'not shared'}`}
        >
          {consent[k] ? '✓' : '✕'} {k}
        </span>
      ))}
    </span>
  );
}

export default function TeamManage() {
  const { teamId } = useParams();
  const teams = useTeams();
  const team = teams.data?.find((t) => t.id === teamId);
  const athletes = useTeamAthletes(teamId);
  const pending = useTeamInvites(teamId);
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [sendEmail, setSendEmail] = useState(true);
  const [created, setCreated] = useState<Invite | null>(null);
  const invite = useMutation({
    mutationFn: (e: string) =>
      call('POST /api/v1/teams/:id/invites', { params: { id: teamId! }, body: { email: e, sendEmail } }),
    onSuccess: (res) => {
      setCreated(res.invite);
      setEmail('');
      void qc.invalidateQueries({ queryKey: keys.teamInvites(teamId!) });
    },
  });
  const revoke = useMutation({
    mutationFn: (inviteId: string) =>
      call('DELETE /api/v1/teams/:id/invites/:inviteId', { params: { id: teamId!, inviteId } }),
    onSuccess: (_res, inviteId) => {
      // The link shown above is dead once its invite is revoked.
      if (created?.id === inviteId) setCreated(null);
      void qc.invalidateQueries({ queryKey: keys.teamInvites(teamId!) });
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) =>
      call('DELETE /api/v1/teams/:id/athletes/:athleteId', { params: { id: teamId!, athleteId: userId } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['team', teamId] }),
  });
  const link = created ? `${window.location.origin}/invite/${created.code}` : '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) invite.mutate(email.trim());
  };
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/coach">Teams</Link> / manage
          </p>
          <h1>{team?.name ?? 'Team'}</h1>
          <p className="subtitle">Invite athletes and see what each has agreed to share.</p>
        </div>
        <Link className="btn primary" to={`/teams/${teamId}/live`}>
          Live view
        </Link>
      </div>

      <Card title="Invite an athlete" id="invite">
        <form className="row" onSubmit={submit} style={{ alignItems: 'flex-end' }}>
          <div style={{ flex: 1, minWidth: 240 }}>
            <Field label="Athlete's email" htmlFor="invite-email" error={fieldError(invite.error, 'email')}>
              <input
                id="invite-email"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </Field>
          </div>
          <button className="btn primary" type="submit" disabled={invite.isPending || !email.trim()}>
            Create invite
          </button>
        </form>
        <label className="row small" style={{ gap: 8, marginTop: 8 }}>
          <input
            type="checkbox"
            checked={sendEmail}
            onChange={(e) => setSendEmail(e.target.checked)}
            data-testid="invite-send-email"
          />
          Email the invite link to this address
        </label>
        {invite.error && !fieldError(invite.error, 'email') ? (
          <Notice kind="error">{errorMessage(invite.error)}</Notice>
        ) : null}
        {created ? (
          <div className="stack" style={{ marginTop: 16 }}>
            {created.emailed ? (
              <Notice kind="ok" title="Invite sent">
                We emailed the link to {created.email}. You can also pass it on yourself. They choose what to
                share when they accept.
              </Notice>
            ) : (
              <Notice kind={sendEmail ? 'warn' : 'ok'} title="Invite created">
                {sendEmail ? 'The email could not be sent. ' : ''}Send this link to the athlete. They choose
                what to share when they accept.
              </Notice>
            )}
            <div className="code-box" data-testid="invite-link">
              {link}
            </div>
            <div className="row">
              <button type="button" className="btn sm" onClick={() => navigator.clipboard?.writeText(link)}>
                Copy link
              </button>
              <span className="muted small">
                Code <code data-testid="invite-code">{created.code}</code>
              </span>
            </div>
          </div>
        ) : null}
      </Card>

      <Card title="Pending invites" id="pending-invites">
        <p className="muted small">
          Invite links are shown only once, when created: they are stored hashed and cannot be shown again. If
          a link was lost, revoke the invite and create a new one.
        </p>
        {pending.error ? (
          <QueryError error={pending.error} what="Pending invites" />
        ) : pending.isPending ? (
          <PageLoading />
        ) : (pending.data ?? []).length === 0 ? (
          <Empty title="No pending invites">Invites waiting for their athlete appear here.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table stackable" data-testid="pending-invites">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Invited by</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col" className="right">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pending.data!.map((i) => (
                  <tr key={i.id} data-testid="pending-invite-row">
                    <td className="lead">{i.email}</td>
                    <td data-label="Invited by">{i.createdBy.name}</td>
                    <td className="num" data-label="Created">
                      {formatDateTime(i.createdAt)}
                    </td>
                    <td className="num" data-label="Expires">
                      {formatDateTime(i.expiresAt)}
                    </td>
                    <td className="right actions">
                      <button
                        type="button"
                        className="btn sm danger"
                        disabled={revoke.isPending && revoke.variables === i.id}
                        aria-label={`Revoke the invite for ${i.email}`}
                        onClick={() => {
                          if (window.confirm(`Revoke the invite for ${i.email}? Its link will stop working.`))
                            revoke.mutate(i.id);
                        }}
                      >
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {revoke.error ? <Notice kind="error">{errorMessage(revoke.error)}</Notice> : null}
      </Card>

      <Card title="Athletes" id="members">
        {athletes.error ? (
          <QueryError error={athletes.error} what="Athletes" />
        ) : athletes.isPending ? (
          <PageLoading />
        ) : (athletes.data ?? []).length === 0 ? (
          <Empty title="No athletes yet">Invited athletes appear here once they accept.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table stackable">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Shares</th>
                  <th scope="col">Joined</th>
                  <th scope="col" className="right">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {athletes.data!.map((a) => (
                  <tr key={a.id} data-testid="member-row">
                    <td className="lead">
                      <strong>{a.name}</strong>
                      {a.email ? <div className="muted xs">{a.email}</div> : null}
                    </td>
                    <td data-label="Shares">
                      <ConsentBadges consent={a.consent} />
                    </td>
                    <td className="num" data-label="Joined">
                      {a.joinedAt ? formatDate(a.joinedAt) : '—'}
                    </td>
                    <td className="right actions">
                      <Link className="btn sm ghost" to={`/athletes/${a.id}/sessions`}>
                        Sessions
                      </Link>
                      <button
                        type="button"
                        className="btn sm danger"
                        onClick={() => {
                          if (window.confirm(`Remove ${a.name} from the team?`)) remove.mutate(a.id);
                        }}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {remove.error ? <Notice kind="error">{errorMessage(remove.error)}</Notice> : null}
      </Card>
      {teamId ? <TeamAlertDefaultsCard teamId={teamId} /> : null}
    </main>
  );
}
