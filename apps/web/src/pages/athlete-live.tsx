import { Link, useParams } from 'react-router';
import { useTeamAthletes } from '../api/queries.ts';
import { LivePanel } from '../components/live-panel.tsx';
import { Notice } from '../components/ui.tsx';
import { serverZones } from '../lib/zones.ts';
import { useLiveStream } from '../live/hooks.ts';

export default function AthleteLivePage() {
  const { teamId, athleteId } = useParams();
  const athletes = useTeamAthletes(teamId);
  const athlete = athletes.data?.find((a) => a.id === athleteId);
  const live = useLiveStream({ athleteId });
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={`/teams/${teamId}/live`}>Live</Link> / athlete
          </p>
          <h1>{athlete?.name ?? 'Athlete'}</h1>
        </div>
        <div className="row">
          <Link className="btn" to={`/athletes/${athleteId}/today`}>
            Today
          </Link>
          <Link className="btn" to={`/athletes/${athleteId}/sessions`}>
            Sessions
          </Link>
          <Link className="btn" to={`/athletes/${athleteId}/trends`}>
            Trends
          </Link>
        </div>
      </div>
      {live.error ? (
        <Notice kind="error" title="Live stream">
          {live.error}
        </Notice>
      ) : null}
      <LivePanel
        store={live.store}
        athleteId={athleteId!}
        zones={serverZones(athlete?.profile)}
        name={athlete?.name}
      />
    </main>
  );
}
