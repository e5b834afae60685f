import { Link } from 'react-router';
import type { TrainingSession } from '../api/types.ts';
import {
  formatBpm,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatNumber,
  formatSource,
  formatSport,
} from '../lib/format.ts';
import { Empty, PageLoading } from './ui.tsx';

export function SessionTable({
  sessions,
  loading,
}: {
  sessions: readonly TrainingSession[];
  loading?: boolean;
}) {
  if (loading) return <PageLoading label="Loading sessions…" />;
  if (sessions.length === 0)
    return <Empty title="No sessions yet">Recorded and imported sessions appear here.</Empty>;
  return (
    <div className="table-wrap">
      <table className="table stackable" data-testid="session-table">
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Sport · source</th>
            <th scope="col" className="right">
              Duration
            </th>
            <th scope="col" className="right">
              Distance
            </th>
            <th scope="col" className="right">
              Avg HR
            </th>
            <th scope="col" className="right">
              TRIMP
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td className="lead">
                <Link to={`/sessions/${s.id}`}>{s.name ?? formatDateTime(s.startedAt)}</Link>
                {s.status === 'open' ? (
                  <span className="badge ok" style={{ marginLeft: 8 }}>
                    live
                  </span>
                ) : null}
                {s.name ? <div className="small muted">{formatDateTime(s.startedAt)}</div> : null}
              </td>
              <td data-label="Sport · source">
                {s.sport ? `${formatSport(s.sport)} · ` : ''}
                {formatSource(s.source)}
              </td>
              <td className="right num" data-label="Duration">
                {formatDuration(s.durationS)}
              </td>
              <td className="right num" data-label="Distance">
                {formatDistance(s.distanceM)}
              </td>
              <td className="right num" data-label="Avg HR">
                {formatBpm(s.avgHr)}
              </td>
              <td className="right num" data-label="TRIMP">
                {formatNumber(s.trimp, 0)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
