import { DEFAULT_HR_MAX } from '@athlete/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAlerts, useTeamAthletes, useTeams } from '../api/queries.ts';
import type { TeamAthlete } from '../api/types.ts';
import { AlertFeed, AlertJump } from '../components/alert-feed.tsx';
import { AthleteTile } from '../components/athlete-tile.tsx';
import { SpeechSwitch, useSpeechSwitch } from '../components/speech-switch.tsx';
import { TeamSessionControl } from '../components/team-session-control.tsx';
import { Card, Empty, Notice, PageLoading, QueryError } from '../components/ui.tsx';
import { AlertAnnouncer, browserSpeech, speakLatest } from '../lib/speech.ts';
import { serverZones, type ZoneSetup } from '../lib/zones.ts';
import { useLiveStream, useWatched } from '../live/hooks.ts';
import { type LiveStore, signalState } from '../live/store.ts';
import { useSharedNow } from '../live/ticker.ts';

type SortKey = 'name' | 'hr' | 'pct' | 'alerts';
const SORTS: Array<[SortKey, string]> = [
  ['alerts', 'Alerts first'],
  ['pct', '% HR max'],
  ['hr', 'Heart rate'],
  ['name', 'Name'],
];

function order(
  athletes: readonly TeamAthlete[],
  store: LiveStore,
  zones: Map<string, ZoneSetup | null>,
  key: SortKey,
  now: number,
) {
  const score = (a: TeamAthlete): number => {
    const live = store.get(a.id);
    const active = signalState(live, now) !== 'idle';
    const hr = active ? (live?.hr ?? 0) : 0;
    if (key === 'hr') return hr;
    if (key === 'pct') return hr / (zones.get(a.id)?.hrMax ?? DEFAULT_HR_MAX);
    if (key === 'alerts') return (live?.openAlerts ?? 0) * 1000 + (active ? 1 : 0);
    return 0;
  };
  return [...athletes].sort((a, b) => {
    const d = key === 'name' ? 0 : score(b) - score(a);
    return d !== 0 ? d : a.name.localeCompare(b.name);
  });
}

/** While `on`, speaks each alert that fires from now on (rate-limited by AlertAnnouncer). */
function useSpokenAlerts(store: LiveStore, names: ReadonlyMap<string, string>, on: boolean) {
  const [announcer] = useState(() => new AlertAnnouncer());
  const namesRef = useRef(names);
  namesRef.current = names;
  useEffect(() => {
    const out = browserSpeech();
    if (!on || !out) return;
    const off = store.onNewAlert((a) => {
      const text = announcer.consider(a, namesRef.current.get(a.athleteId) ?? 'Athlete', Date.now());
      if (text) speakLatest(out, text);
    });
    return () => {
      off();
      out.cancel();
    };
  }, [store, on, announcer]);
}

export default function CoachLive() {
  const { teamId } = useParams();
  const navigate = useNavigate();
  const teams = useTeams();
  const team = teams.data?.find((t) => t.id === teamId);
  const athletes = useTeamAthletes(teamId);
  const live = useLiveStream({ teamId });
  const alerts = useAlerts({ teamId, active: true });
  const [sort, setSort] = useState<SortKey>('alerts');
  // Re-sort every few seconds rather than every sample, so tiles do not jump under a finger.
  const now = useSharedNow(3000);

  useEffect(() => {
    if (alerts.data) live.store.setAlerts(alerts.data);
  }, [alerts.data, live.store]);

  const members = athletes.data;
  const watched = useWatched(live.store);
  // Tiles are the athletes who share live data: the socket's snapshot says who, at once when
  // someone stops (or starts) sharing; before it comes, the consent the team list gives.
  const list = useMemo(
    () => (members ?? []).filter((a) => (watched ? watched.has(a.id) : a.consent.live)),
    [members, watched],
  );
  const notSharing = (members?.length ?? 0) - list.length;
  const refetchAthletes = athletes.refetch;
  useEffect(() => {
    // Someone joined while the page was open: the team list does not know them yet.
    if (watched && members && [...watched].some((id) => !members.some((a) => a.id === id)))
      void refetchAthletes();
  }, [watched, members, refetchAthletes]);
  const zones = useMemo(() => new Map(list.map((a) => [a.id, serverZones(a.profile)])), [list]);
  const names = useMemo(() => new Map(list.map((a) => [a.id, a.name])), [list]);
  const [speak, setSpeak] = useSpeechSwitch('alerts');
  useSpokenAlerts(live.store, names, speak);
  const sorted = useMemo(
    () => order(list, live.store, zones, sort, now),
    [list, live.store, zones, sort, now],
  );
  const open = useCallback(
    (athleteId: string) => navigate(`/teams/${teamId}/athletes/${athleteId}`),
    [navigate, teamId],
  );
  const streaming = list.filter((a) => signalState(live.store.get(a.id), now) !== 'idle').length;

  return (
    <main className="page wide" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/coach">Teams</Link> / live
          </p>
          <h1>{team?.name ?? 'Team'} · Live</h1>
          <p className="subtitle" aria-live="polite">
            <span data-testid="streaming-count">
              {streaming} of {list.length} athletes streaming
            </span>
            {notSharing > 0 ? (
              <span data-testid="not-sharing">
                {' '}
                · {notSharing} {notSharing === 1 ? 'athlete does' : 'athletes do'} not share live data
              </span>
            ) : null}{' '}
            · {live.state === 'open' ? 'connected' : live.state === 'closed' ? 'disconnected' : 'connecting…'}
          </p>
        </div>
        <div className="row">
          <label className="small muted" htmlFor="sort">
            Sort
          </label>
          <select
            id="sort"
            value={sort}
            onChange={(e) => setSort(e.target.value as SortKey)}
            style={{ width: 'auto' }}
          >
            {SORTS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          <Link className="btn" to={`/teams/${teamId}/readiness`}>
            Readiness
          </Link>
          <Link className="btn" to={`/teams/${teamId}/alerts`}>
            Alert history
          </Link>
          <Link className="btn" to={`/teams/${teamId}/manage`}>
            Manage team
          </Link>
          <AlertJump store={live.store} />
          <SpeechSwitch on={speak} onChange={setSpeak} label="Speak alerts" testId="speak-alerts" />
        </div>
      </div>
      {live.error ? (
        <Notice kind="error" title="Live stream">
          {live.error}
        </Notice>
      ) : null}
      {athletes.error ? <QueryError error={athletes.error} what="Team athletes" /> : null}
      {teamId ? <TeamSessionControl teamId={teamId} now={now} /> : null}
      <div className="coach-layout">
        <section aria-label="Athletes">
          {athletes.isPending ? (
            <PageLoading label="Loading team…" />
          ) : list.length === 0 && notSharing > 0 ? (
            <Card>
              <Empty title="Nobody shares live data">
                The athletes of this team have not agreed to share live data; their tiles appear once they do
                (Settings → Teams).
              </Empty>
            </Card>
          ) : list.length === 0 ? (
            <Card>
              <Empty
                title="No athletes yet"
                action={
                  <Link className="btn primary" to={`/teams/${teamId}/manage`}>
                    Invite athletes
                  </Link>
                }
              >
                Invite athletes; once they accept and share live data, they appear here.
              </Empty>
            </Card>
          ) : (
            <div className="tiles" data-testid="tiles">
              {sorted.map((a) => (
                <AthleteTile
                  key={a.id}
                  store={live.store}
                  athleteId={a.id}
                  name={a.name}
                  zones={zones.get(a.id) ?? null}
                  onOpen={open}
                />
              ))}
            </div>
          )}
        </section>
        <aside>
          {alerts.error ? <QueryError error={alerts.error} what="Alert history" /> : null}
          <AlertFeed store={live.store} names={names} />
        </aside>
      </div>
    </main>
  );
}
