import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { keys, paths, useTeams } from '../../api/queries.ts';
import type { Consent, Team } from '../../api/types.ts';
import { Card, Empty, Notice, PageLoading, QueryError } from '../../components/ui.tsx';

function TeamConsent({ team }: { team: Team & { consent?: Consent } }) {
  const qc = useQueryClient();
  const [consent, setConsent] = useState<Consent>(
    team.consent ?? { live: true, sessions: true, wellness: true },
  );
  const save = useMutation({
    mutationFn: (c: Consent) => api.put(paths.membershipConsent(team.id), c),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.teams }),
  });
  const leave = useMutation({
    mutationFn: () => api.delete(paths.teamMember(team.id, 'me')),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.teams }),
  });
  return (
    <Card title={team.name} headingLevel={3}>
      <div className="row">
        {(['live', 'sessions', 'wellness'] as const).map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={consent[k]}
              onChange={(e) => {
                const next = { ...consent, [k]: e.target.checked };
                setConsent(next);
                save.mutate(next);
              }}
            />
            Share {k}
          </label>
        ))}
        <span className="spacer" />
        <button
          type="button"
          className="btn sm danger"
          onClick={() => window.confirm(`Leave ${team.name}?`) && leave.mutate()}
        >
          Leave team
        </button>
      </div>
      {save.error || leave.error ? (
        <Notice kind="error">{errorMessage(save.error ?? leave.error)}</Notice>
      ) : null}
    </Card>
  );
}

export function TeamsSection() {
  const teams = useTeams();
  if (teams.isPending) return <PageLoading />;
  if (teams.error) return <QueryError error={teams.error} what="Teams" />;
  if (!teams.data.length)
    return (
      <Card>
        <Empty title="You are not in a team">Accept an invite link from your coach to join one.</Empty>
      </Card>
    );
  return (
    <div className="stack">
      <p className="small muted">
        Revoking a share takes effect immediately: the coach's live view stops showing you within a second.
      </p>
      {teams.data.map((t) => (
        <TeamConsent key={t.id} team={t} />
      ))}
    </div>
  );
}
