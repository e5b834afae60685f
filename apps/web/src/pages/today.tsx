import { Link, useParams } from 'react-router';
import { useDaily, useMe, useProfile, useSessions } from '../api/queries.ts';
import { LivePanel } from '../components/live-panel.tsx';
import { NoteThread } from '../components/note-thread.tsx';
import { ReadinessOverview } from '../components/readiness-overview.tsx';
import { SessionTable } from '../components/session-table.tsx';
import { TodayPlan } from '../components/today-plan.tsx';
import { Card, Empty, QueryError } from '../components/ui.tsx';
import { WellnessGrid } from '../components/wellness.tsx';
import { WellnessForm } from '../components/wellness-form.tsx';
import { hourOf, isoDay, todayKey } from '../lib/format.ts';
import { serverZones } from '../lib/zones.ts';
import { useAthleteLive, useLiveStream, useNow } from '../live/hooks.ts';
import { signalState } from '../live/store.ts';

function greeting(d = new Date()): string {
  const h = hourOf(d);
  return h < 12 ? 'Good morning' : h < 18 ? 'Good afternoon' : 'Good evening';
}

/** A coach's view of one consenting athlete's day: the same numbers the athlete sees. */
function AthleteToday({ athleteId }: { athleteId: string }) {
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">Athlete</p>
          <h1>Today</h1>
          <p className="subtitle">Readiness, recommendation, form and flags, as the athlete sees them.</p>
        </div>
        <div className="row">
          <Link className="btn" to={`/athletes/${athleteId}/sessions`}>
            Sessions
          </Link>
          <Link className="btn" to={`/athletes/${athleteId}/trends`}>
            Trends
          </Link>
          <Link className="btn" to={`/athletes/${athleteId}/calendar`}>
            Calendar
          </Link>
        </div>
      </div>
      <ReadinessOverview athleteId={athleteId} self={false} />
      <TodayPlan athleteId={athleteId} self={false} />
    </main>
  );
}

export default function TodayPage() {
  const me = useMe().data!;
  const { athleteId } = useParams();
  if (athleteId && athleteId !== me.id) return <AthleteToday athleteId={athleteId} />;
  return <MyToday />;
}

function MyToday() {
  const me = useMe().data!;
  const profile = useProfile(me.role === 'athlete');
  const zones = serverZones(profile.data);
  const live = useLiveStream({ athleteId: me.id });
  const a = useAthleteLive(live.store, me.id);
  const now = useNow(1000);
  const running = signalState(a, now) !== 'idle';
  const today = todayKey();
  const from = isoDay(Date.parse(`${today}T00:00:00Z`) - 2 * 86_400_000);
  const daily = useDaily(me.id, from, today);
  const sessions = useSessions(me.id);

  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>
            {greeting()}, {me.name.split(' ')[0]}
          </h1>
          <p className="subtitle">{running ? 'Session in progress' : 'No session running right now'}</p>
        </div>
        <div className="row">
          <Link className="btn primary" to="/record">
            Start recording
          </Link>
          <Link className="btn" to="/trends">
            Trends
          </Link>
        </div>
      </div>

      {me.role === 'athlete' ? <ReadinessOverview athleteId={me.id} self /> : null}
      {me.role === 'athlete' ? <TodayPlan athleteId={me.id} self /> : null}

      {live.error ? <QueryError error={new Error(live.error)} what="Live data" /> : null}

      {running ? (
        <section aria-labelledby="live-title" className="stack">
          <h2 id="live-title" className="visually-hidden">
            Live session
          </h2>
          <LivePanel store={live.store} athleteId={me.id} zones={zones} />
        </section>
      ) : (
        <Card title="Live session" id="live-idle">
          <Empty
            title="Nothing streaming"
            action={
              <div className="row">
                <Link className="btn primary" to="/record">
                  Pair a heart-rate strap
                </Link>
                <Link className="btn" to="/settings/devices">
                  Use a gateway key
                </Link>
              </div>
            }
          >
            Start a session from a Bluetooth strap, a gateway or the simulator and it appears here within a
            second.
          </Empty>
        </Card>
      )}

      {me.role === 'athlete' ? <WellnessForm athleteId={me.id} /> : null}
      {me.role === 'athlete' ? (
        <NoteThread subject={{ athleteId: me.id, date: today }} id="today-notes" title="Notes for today" />
      ) : null}

      <Card title="Today's wellness" id="wellness" actions={<Link to="/settings/integrations">Sources</Link>}>
        {daily.error ? (
          <QueryError error={daily.error} what="Wellness" />
        ) : (
          <WellnessGrid days={daily.data ?? []} />
        )}
        {!daily.error && daily.data?.length === 0 ? (
          <p className="small muted" style={{ marginTop: 12 }}>
            No wellness data yet. <Link to="/settings/integrations">Connect WHOOP or Garmin</Link> to see
            sleep, HRV and recovery.
          </p>
        ) : null}
      </Card>

      <Card title="Recent sessions" id="recent-sessions" actions={<Link to="/sessions">All sessions</Link>}>
        {sessions.error ? (
          <QueryError error={sessions.error} what="Sessions" />
        ) : (
          <SessionTable sessions={(sessions.data ?? []).slice(0, 5)} loading={sessions.isPending} />
        )}
      </Card>
    </main>
  );
}
