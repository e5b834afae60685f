import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { useEndTeamSession, useStartTeamSession, useTeamSessions } from '../api/team-session-queries.ts';
import { formatAgo, formatTime } from '../lib/format.ts';
import { Notice } from './ui.tsx';

/**
 * The coach's Start / End team session control on the live view. Starting groups every live
 * session of the team's athletes (running now or starting later) under the team session; ending
 * takes two taps (a stray tap on a tablet must not close everyone's session) and opens the review.
 */
export function TeamSessionControl({ teamId, now }: { teamId: string; now: number }) {
  const list = useTeamSessions(teamId);
  const start = useStartTeamSession(teamId);
  const end = useEndTeamSession();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [confirming, setConfirming] = useState(false);
  const open = list.data?.open ?? null;
  const error = start.error ?? end.error;

  return (
    <section className="team-session-bar" aria-label="Team session" data-testid="team-session-control">
      {open ? (
        <>
          <p className="team-session-state" aria-live="polite">
            <span className="badge ok">Team session running</span>{' '}
            <strong data-testid="team-session-title">{open.title}</strong>
            <span className="small muted">
              {' '}
              · since {formatTime(open.startedAt)} ({formatAgo(Date.parse(open.startedAt), now)}) ·{' '}
              <span data-testid="team-session-athletes">
                {open.athleteCount} {open.athleteCount === 1 ? 'athlete' : 'athletes'} in it
              </span>
            </span>
          </p>
          <div className="row">
            {confirming ? (
              <>
                <button
                  type="button"
                  className="btn lg primary"
                  disabled={end.isPending}
                  data-testid="team-session-confirm-end"
                  onClick={() =>
                    end.mutate(open.id, {
                      onSuccess: () => navigate(`/team-sessions/${open.id}`),
                      onSettled: () => setConfirming(false),
                    })
                  }
                >
                  {end.isPending ? 'Ending…' : 'End it and close every session'}
                </button>
                <button type="button" className="btn lg" onClick={() => setConfirming(false)}>
                  Keep running
                </button>
              </>
            ) : (
              <button
                type="button"
                className="btn lg danger"
                data-testid="team-session-end"
                onClick={() => setConfirming(true)}
              >
                End team session
              </button>
            )}
          </div>
        </>
      ) : (
        <form
          className="row team-session-start"
          onSubmit={(e) => {
            e.preventDefault();
            start.mutate(title.trim() ? { title: title.trim() } : {}, { onSuccess: () => setTitle('') });
          }}
        >
          <label className="small muted" htmlFor="team-session-title">
            Team session
          </label>
          <input
            id="team-session-title"
            value={title}
            maxLength={120}
            placeholder="Title (optional)"
            onChange={(e) => setTitle(e.target.value)}
          />
          <button
            type="submit"
            className="btn lg primary"
            disabled={start.isPending || list.isPending}
            data-testid="team-session-start"
          >
            {start.isPending ? 'Starting…' : 'Start team session'}
          </button>
        </form>
      )}
      <Link className="small" to={`/teams/${teamId}/team-sessions`}>
        Past team sessions
      </Link>
      {error ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
    </section>
  );
}
