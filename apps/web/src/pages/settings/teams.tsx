import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call, errorMessage } from '../../api/client.ts';
import { keys, useMe } from '../../api/queries.ts';
import type { Consent, Membership } from '../../api/types.ts';
import { Card, Empty, Notice } from '../../components/ui.tsx';

function TeamConsent({ membership }: { membership: Membership }) {
  const qc = useQueryClient();
  const team = { id: membership.teamId, name: membership.teamName };
  const [consent, setConsent] = useState<Consent>(membership.consent);
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: keys.me }),
      qc.invalidateQueries({ queryKey: keys.teams }),
    ]);
  const save = useMutation({
    mutationFn: (c: Consent) => call('PUT /api/v1/teams/:id/consent', { params: { id: team.id }, body: c }),
    onSuccess: refresh,
  });
  const leave = useMutation({
    mutationFn: () => call('DELETE /api/v1/teams/:id/membership', { params: { id: team.id } }),
    onSuccess: refresh,
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
  const me = useMe().data!;
  const memberships = me.memberships.filter((m) => m.role === 'athlete');
  if (!memberships.length)
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
      {memberships.map((m) => (
        <TeamConsent key={m.teamId} membership={m} />
      ))}
    </div>
  );
}
