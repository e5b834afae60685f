import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import {
  paths,
  useAthleteProfile,
  useMe,
  useProfile,
  useSession,
  useSessionLaps,
  useSessionSamples,
} from '../api/queries.ts';
import { SeriesChart } from '../charts/series-chart.tsx';
import { cssVar } from '../charts/setup.ts';
import { FileDetails } from '../components/file-details.tsx';
import { LapTable } from '../components/lap-table.tsx';
import { ManualSessionEdit } from '../components/manual-session-edit.tsx';
import { NoteThread } from '../components/note-thread.tsx';
import { RpePrompt } from '../components/rpe-prompt.tsx';
import { SessionComparisonPanel } from '../components/session-comparison.tsx';
import { SessionName } from '../components/session-name.tsx';
import { TrackMap } from '../components/track-map.tsx';
import { Card, PageLoading, QueryError, Stat } from '../components/ui.tsx';
import { ZoneBars } from '../components/zone-bars.tsx';
import {
  elevationValue,
  formatBpm,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatNumber,
  formatPace,
  formatSource,
  formatSpeed,
  formatSport,
  showsPace,
  speedValue,
  unitLabels,
} from '../lib/format.ts';
import { serverZones } from '../lib/zones.ts';

const MAX_POINTS = 1000;

export default function SessionPage() {
  const { sessionId } = useParams();
  const me = useMe().data!;
  const session = useSession(sessionId);
  const samples = useSessionSamples(sessionId, MAX_POINTS);
  const laps = useSessionLaps(sessionId);
  const own = session.data?.athleteId === me.id;
  const myProfile = useProfile(own && me.role === 'athlete');
  const theirProfile = useAthleteProfile(!own ? session.data?.athleteId : undefined);
  const zones = serverZones(own ? myProfile.data : theirProfile.data);

  const series = useMemo(() => {
    const list = samples.data ?? [];
    const t0 = session.data ? Date.parse(session.data.startedAt) : 0;
    const t = (ts: number | string) => ((typeof ts === 'number' ? ts : Date.parse(ts)) - t0) / 1000;
    const hr = list.filter((s) => s.hr != null).map((s) => ({ x: t(s.ts), y: s.hr! }));
    const speed = list.filter((s) => s.speed != null).map((s) => ({ x: t(s.ts), y: speedValue(s.speed!) }));
    const alt = list.filter((s) => s.alt != null).map((s) => ({ x: t(s.ts), y: elevationValue(s.alt!) }));
    const track = list
      .filter((s) => s.lat != null && s.lon != null)
      .map((s) => [s.lat!, s.lon!] as [number, number]);
    return { hr, speed, alt, track };
  }, [samples.data, session.data]);
  // Lap 1 starts with the session; each later lap start is a dashed line on the charts.
  const lapStarts = useMemo(() => {
    const t0 = session.data ? Date.parse(session.data.startedAt) : 0;
    return (laps.data ?? [])
      .filter((lap) => lap.index > 0)
      .map((lap) => ({ x: (Date.parse(lap.startedAt) - t0) / 1000, label: `L${lap.index + 1}` }));
  }, [laps.data, session.data]);

  if (session.isPending) return <PageLoading label="Loading session…" />;
  if (session.error || !session.data)
    return (
      <main className="page" id="main">
        <QueryError error={session.error} what="Session" />
      </main>
    );
  const s = session.data;
  const computedZones = s.timeInZonesS?.length === 5;
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={own ? '/sessions' : `/athletes/${s.athleteId}/sessions`}>Sessions</Link> /{' '}
            {formatSource(s.source)}
          </p>
          <h1>{s.name ?? `${formatSport(s.sport)} · ${formatDateTime(s.startedAt)}`}</h1>
          <p className="subtitle">
            {s.name ? `${formatSport(s.sport)} · ${formatDateTime(s.startedAt)} · ` : ''}
            {s.status === 'open' ? 'In progress' : `Ended ${s.endedAt ? formatDateTime(s.endedAt) : ''}`}
          </p>
          {own ? <SessionName session={s} /> : null}
          {own && s.source === 'manual' ? <ManualSessionEdit key={s.id} session={s} /> : null}
        </div>
        {s.status === 'closed' ? (
          <nav className="row" aria-label="Download this session" data-testid="session-downloads">
            {(['fit', 'gpx', 'tcx'] as const).map((format) => (
              <a key={format} className="btn small" href={paths.sessionExport(s.id, format)} download>
                {format.toUpperCase()}
              </a>
            ))}
            {s.source === 'file' ? (
              <a className="btn small" href={paths.sessionExport(s.id, 'original')} download>
                Original file
              </a>
            ) : null}
          </nav>
        ) : null}
      </div>

      <Card id="session-summary" title="Summary">
        <div className="stat-grid">
          <Stat id="sum-duration" label="Duration" value={formatDuration(s.durationS)} />
          {s.movingTimeS != null ? (
            <Stat id="sum-moving" label="Moving time" value={formatDuration(s.movingTimeS)} />
          ) : null}
          <Stat id="sum-distance" label="Distance" value={formatDistance(s.distanceM)} />
          <Stat id="sum-avg-hr" label="Avg HR" value={formatBpm(s.avgHr)} />
          <Stat id="sum-max-hr" label="Max HR" value={formatBpm(s.maxHr)} />
          <Stat
            id="sum-avg-speed"
            label="Avg speed"
            value={formatSpeed(s.avgSpeed)}
            hint={showsPace(s.sport) ? formatPace(s.avgSpeed) : undefined}
          />
          <Stat label="TRIMP" value={formatNumber(s.trimp, 0)} hint="training impulse" />
        </div>
      </Card>

      {s.status === 'closed' ? <RpePrompt sessionId={s.id} athleteId={s.athleteId} own={own} /> : null}

      <div className="grid cols-2">
        <Card id="session-hr" title="Heart rate">
          {samples.error ? (
            <QueryError error={samples.error} what="Samples" />
          ) : samples.isPending ? (
            <PageLoading label="Loading samples…" />
          ) : series.hr.length ? (
            <SeriesChart
              points={series.hr}
              color={cssVar('--accent', '#ff5a5f')}
              label="Heart rate"
              unit="bpm"
              zones={zones}
              height={280}
              laps={lapStarts}
            />
          ) : (
            <p className="muted">No heart-rate readings are stored for this session.</p>
          )}
        </Card>
        <Card id="session-zones" title="Time in zones">
          {computedZones ? (
            <ZoneBars
              seconds={s.timeInZonesS}
              belowS={s.summary?.timeBelowZonesS ?? null}
              durationS={s.durationS}
            />
          ) : (
            <p className="muted">
              {s.status === 'open'
                ? 'Zones are computed when the session closes.'
                : 'No heart-rate readings to place in zones.'}
            </p>
          )}
        </Card>
      </div>

      {s.status === 'closed' ? <SessionComparisonPanel sessionId={s.id} /> : null}

      {laps.data && laps.data.length > 0 ? (
        <Card id="session-laps" title="Laps">
          <LapTable laps={laps.data} sessionStart={s.startedAt} sport={s.sport} />
        </Card>
      ) : null}

      {s.file ? (
        <Card id="session-file" title="From the file">
          <FileDetails file={s.file} />
        </Card>
      ) : null}

      <NoteThread subject={{ sessionId: s.id }} id="session-notes" title="Notes on this session" />

      <Card id="session-map" title="Route">
        <TrackMap points={series.track} label={`GPS track of the session, ${series.track.length} points`} />
      </Card>

      <div className="grid cols-2">
        <Card id="session-speed" title="Speed">
          {series.speed.length ? (
            <SeriesChart
              points={series.speed}
              color={cssVar('--info', '#4e9cff')}
              label="Speed"
              unit={unitLabels().speed}
              fill
              min={0}
              laps={lapStarts}
            />
          ) : (
            <p className="muted">No speed data.</p>
          )}
        </Card>
        <Card id="session-alt" title="Altitude">
          {series.alt.length ? (
            <SeriesChart
              points={series.alt}
              color={cssVar('--ok', '#2fbf71')}
              label="Altitude"
              unit={unitLabels().elevation}
              fill
              laps={lapStarts}
            />
          ) : (
            <p className="muted">No altitude data.</p>
          )}
        </Card>
      </div>
    </main>
  );
}
