import { Link, useParams } from 'react-router';
import { useTeams } from '../api/queries.ts';
import { useTeamSessions } from '../api/team-session-queries.ts';
import { Card, Empty, PageLoading, QueryError } from '../components/ui.tsx';
import { formatDateTime, formatDuration, formatTime } from '../lib/format.ts';

/** A team's team sessions, newest first, each opening its review. */
export default function TeamSessionsPage() {
  const { teamId } = useParams();
  const team = useTeams().data?.find((t) => t.id === teamId);
  const list = useTeamSessions(teamId);
  const rows = list.data?.teamSessions ?? [];
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/coach">Teams</Link> / team sessions
          </p>
          <h1>{team?.name ?? 'Team'}: team sessions</h1>
          <p className="subtitle">Start one from the live view; each opens its review.</p>
        </div>
        <div className="row">
          <Link className="btn" to={`/teams/${teamId}/live`}>
            Live view
          </Link>
        </div>
      </div>
      {list.error ? (
        <QueryError error={list.error} what="Team sessions" />
      ) : list.isPending ? (
        <PageLoading label="Loading team sessions…" />
      ) : rows.length === 0 ? (
        <Card>
          <Empty
            title="No team sessions yet"
            action={
              <Link className="btn primary" to={`/teams/${teamId}/live`}>
                Open the live view
              </Link>
            }
          >
            Start a team session from the live view: every athlete streaming during it is grouped under it,
            and ending it closes their sessions.
          </Empty>
        </Card>
      ) : (
        <Card id="team-sessions">
          <div className="table-wrap">
            <table className="table stackable">
              <thead>
                <tr>
                  <th>Team session</th>
                  <th>Started</th>
                  <th>Length</th>
                  <th>Athletes</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.id} data-testid="team-session-row">
                    <td className="lead">
                      <Link to={`/team-sessions/${s.id}`}>{s.title}</Link>
                      {s.endedAt ? null : <span className="badge ok"> running</span>}
                    </td>
                    <td data-label="Started">
                      {formatDateTime(s.startedAt)}
                      {s.endedAt ? ` – ${formatTime(s.endedAt)}` : ''}
                    </td>
                    <td data-label="Length">
                      {s.endedAt
                        ? formatDuration((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000)
                        : 'running'}
                    </td>
                    <td data-label="Athletes">{s.athleteCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </main>
  );
}
