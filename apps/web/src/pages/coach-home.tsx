import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { call, errorMessage, fieldError } from '../api/client.ts';
import { keys, useMe, useTeams } from '../api/queries.ts';
import { Card, Empty, Field, Notice, PageLoading, QueryError } from '../components/ui.tsx';

export default function CoachHome() {
  const me = useMe().data!;
  const teams = useTeams();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (n: string) => call('POST /api/v1/teams', { body: { name: n } }),
    onSuccess: () => {
      setName('');
      void qc.invalidateQueries({ queryKey: keys.teams });
    },
  });
  const isCoach = me.role !== 'athlete';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  };
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Teams</h1>
          <p className="subtitle">
            {isCoach ? 'Open a team to watch it live or manage invites and consent.' : 'Teams you belong to.'}
          </p>
        </div>
      </div>
      {teams.error ? <QueryError error={teams.error} what="Teams" /> : null}
      {teams.isPending ? (
        <PageLoading />
      ) : (teams.data ?? []).length === 0 ? (
        <Card>
          <Empty title="No teams yet">
            {isCoach
              ? 'Create your first team below, then invite athletes.'
              : 'Accept an invite from your coach to join a team.'}
          </Empty>
        </Card>
      ) : (
        <div className="grid cols-3">
          {teams.data!.map((t) => (
            <Card key={t.id} title={t.name} headingLevel={2} id={`team-${t.id}`}>
              <p className="small muted" style={{ marginBottom: 12 }}>
                {t.athleteCount} athlete{t.athleteCount === 1 ? '' : 's'} · coach {t.coach.name}
              </p>
              <div className="row">
                {t.myRole !== 'athlete' ? (
                  <>
                    <Link className="btn primary" to={`/teams/${t.id}/live`}>
                      Live view
                    </Link>
                    <Link className="btn" to={`/teams/${t.id}/readiness`}>
                      Readiness
                    </Link>
                    <Link className="btn" to={`/teams/${t.id}/alerts`}>
                      Alerts
                    </Link>
                    <Link className="btn" to={`/teams/${t.id}/team-sessions`}>
                      Team sessions
                    </Link>
                    <Link className="btn" to={`/teams/${t.id}/manage`}>
                      Manage
                    </Link>
                  </>
                ) : (
                  <span className="muted small">Member</span>
                )}
              </div>
            </Card>
          ))}
        </div>
      )}
      {isCoach ? (
        <Card title="Create a team">
          <form className="row" onSubmit={submit} style={{ alignItems: 'flex-end' }}>
            <div style={{ flex: 1, minWidth: 220 }}>
              <Field label="Team name" htmlFor="team-name" error={fieldError(create.error, 'name')}>
                <input
                  id="team-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="e.g. U21 squad"
                />
              </Field>
            </div>
            <button className="btn primary" type="submit" disabled={create.isPending || !name.trim()}>
              Create team
            </button>
          </form>
          {create.error && !fieldError(create.error, 'name') ? (
            <Notice kind="error">{errorMessage(create.error)}</Notice>
          ) : null}
        </Card>
      ) : null}
    </main>
  );
}
