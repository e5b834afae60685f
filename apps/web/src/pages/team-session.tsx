import type { TeamSessionAthlete, TeamSessionFigures } from '@athlete/contracts';
import { DEFAULT_THRESHOLDS, ZONE_NAMES } from '@athlete/core';
import { type ReactNode, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTeamSessionReview } from '../api/team-session-queries.ts';
import { SeriesChart } from '../charts/series-chart.tsx';
import { TeamHrChart, type TeamHrLine } from '../charts/team-hr-chart.tsx';
import { Card, Empty, PageLoading, QueryError, Stat } from '../components/ui.tsx';
import {
  formatBpm,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatNumber,
  formatTime,
} from '../lib/format.ts';
import { SRPE_FORMULA, TRIMP_FORMULA } from '../lib/formulas.ts';
import { zoneColorVar } from '../lib/zones.ts';
import '../styles/team-sessions.css';

/** Line colours of the overlay, told apart by the HTML legend's names as well. */
const PALETTE = [
  '#ff5a5f',
  '#4e9cff',
  '#2fbf71',
  '#f2c94c',
  '#b57cff',
  '#f2994a',
  '#3cc6c6',
  '#ff7ac8',
  '#9bc53d',
  '#c0c8d4',
];

const MINUS = '−';
/** "+12 bpm", "−0:45", "±0 bpm": a difference that rounds to nothing gets no sign. */
function signed(d: number, fmt: (abs: number) => string): string {
  const shown = fmt(Math.abs(d));
  if (shown === fmt(0)) return `±${shown}`;
  return `${d > 0 ? '+' : MINUS}${shown}`;
}

/** "+12 bpm" (vs the team average) under a player's figure; nothing when either side is unknown. */
function Delta({
  value,
  avg,
  fmt,
  testId,
}: {
  value: number | null;
  avg: number | null;
  fmt: (abs: number) => string;
  testId?: string;
}) {
  if (value === null || avg === null) return null;
  return (
    <span className="delta" data-testid={testId} title="Difference from the team average">
      {signed(value - avg, fmt)}
    </span>
  );
}

function ZoneStrip({ seconds }: { seconds: readonly number[] }) {
  const total = seconds.reduce((a, b) => a + b, 0);
  const used = seconds.map((s, i) => ({ s, i })).filter(({ s }) => s > 0);
  const text = used.map(({ s, i }) => `Z${i + 1} ${ZONE_NAMES[i]} ${formatDuration(s)}`).join(', ');
  const short = used.map(({ s, i }) => `Z${i + 1} ${formatDuration(s)}`).join(' · ');
  return (
    <>
      <span className="zone-strip" role="img" aria-label={text || 'No time in zones'}>
        {total > 0
          ? seconds.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the five zones are fixed positions
              <span key={i} style={{ width: `${(s / total) * 100}%`, background: zoneColorVar(i + 1) }} />
            ))
          : null}
      </span>
      <span className="delta" aria-hidden="true">
        {short || 'no HR in zones'}
      </span>
    </>
  );
}

const bpm = (v: number) => `${Math.round(v)} bpm`;
const int = (v: number) => formatNumber(v, 0);

type Column = {
  key: keyof Omit<TeamSessionFigures, 'timeInZonesS'>;
  label: string;
  show: (v: number | null) => string;
  delta: (abs: number) => string;
};
const COLUMNS: Column[] = [
  { key: 'durationS', label: 'Duration', show: formatDuration, delta: formatDuration },
  { key: 'distanceM', label: 'Distance', show: formatDistance, delta: formatDistance },
  { key: 'avgHr', label: 'Avg HR', show: formatBpm, delta: bpm },
  { key: 'maxHr', label: 'Max HR', show: formatBpm, delta: bpm },
  { key: 'trimp', label: 'TRIMP', show: (v) => formatNumber(v, 0), delta: int },
  { key: 'srpeLoad', label: 'sRPE load', show: (v) => formatNumber(v, 0), delta: int },
  { key: 'alertCount', label: 'Alerts', show: (v) => formatNumber(v, 0), delta: (v) => formatNumber(v, 1) },
];

function PlayerRow({
  a,
  avg,
  selected,
  onSelect,
}: {
  a: TeamSessionAthlete;
  avg: TeamSessionFigures;
  selected: boolean;
  onSelect: () => void;
}) {
  const name: ReactNode = a.visible ? (
    <button
      type="button"
      className="btn ghost sm"
      aria-pressed={selected}
      onClick={onSelect}
      title="Highlight in the heart-rate chart"
    >
      {a.name}
    </button>
  ) : (
    <strong>{a.name}</strong>
  );
  if (!a.figures)
    return (
      <tr data-testid="team-review-row" data-athlete={a.name}>
        <td className="lead">{name}</td>
        <td colSpan={COLUMNS.length + 1} className="muted">
          Does not share sessions data with the team: only the name is shown.
        </td>
      </tr>
    );
  const f = a.figures;
  return (
    <tr data-testid="team-review-row" data-athlete={a.name} className={selected ? 'selected' : undefined}>
      <td className="lead">
        {name}
        {a.sessionIds[0] ? (
          <Link className="small" to={`/sessions/${a.sessionIds[0]}`}>
            {' '}
            session
          </Link>
        ) : null}
      </td>
      {COLUMNS.map((c) => (
        <td key={c.key} data-label={c.label} data-testid={`cell-${c.key}`}>
          {c.show(f[c.key])}
          {c.key === 'maxHr' && a.jumpSamplesExcluded > 0 ? (
            <span className="delta">
              {a.jumpSamplesExcluded} jump {a.jumpSamplesExcluded === 1 ? 'sample' : 'samples'} left out
            </span>
          ) : null}
          {c.key === 'srpeLoad' && a.rpe !== null ? <span className="delta">RPE {a.rpe}</span> : null}
          <Delta value={f[c.key]} avg={avg[c.key]} fmt={c.delta} testId={`delta-${c.key}`} />
        </td>
      ))}
      <td data-label="Time in zones" className="wide">
        <ZoneStrip seconds={f.timeInZonesS} />
      </td>
    </tr>
  );
}

function AlertList({ athletes }: { athletes: TeamSessionAthlete[] }) {
  const rows = athletes.flatMap((a) => a.alerts.map((x) => ({ ...x, name: a.name })));
  if (rows.length === 0) return <p className="muted">No alerts in this team session.</p>;
  rows.sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt));
  return (
    <ul
      className="stack"
      style={{ gap: 6, listStyle: 'none', padding: 0, margin: 0 }}
      data-testid="team-review-alerts"
    >
      {rows.map((x) => (
        <li key={x.id}>
          <span className={`badge ${x.severity === 'critical' ? 'danger' : 'warn'}`}>{x.rule}</span>{' '}
          <strong>{x.name}</strong> {formatTime(x.startedAt)}: {x.message}
          {x.value !== null && x.threshold !== null ? (
            <span className="small muted">
              {' '}
              (value {formatNumber(x.value, 0)}, threshold {formatNumber(x.threshold, 0)})
            </span>
          ) : null}
          {x.clearedAt ? <span className="small muted"> · cleared {formatTime(x.clearedAt)}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The team session review: each player against the team average, and everyone's heart rate. */
export default function TeamSessionPage() {
  const { teamSessionId } = useParams();
  const review = useTeamSessionReview(teamSessionId);
  const [selected, setSelected] = useState<string | null>(null);
  const [layout, setLayout] = useState<'overlay' | 'multiples'>('overlay');

  const lines = useMemo<TeamHrLine[]>(
    () =>
      (review.data?.athletes ?? [])
        .filter((a) => a.visible && a.hr.length > 0)
        .map((a, i) => ({
          athleteId: a.athleteId,
          name: a.name,
          color: PALETTE[i % PALETTE.length]!,
          points: a.hr.map((p) => ({ x: p.t, y: p.hr })),
        })),
    [review.data],
  );

  if (review.isPending) return <PageLoading label="Loading the team session…" />;
  if (review.error || !review.data)
    return (
      <main className="page" id="main">
        <QueryError error={review.error} what="Team session" />
      </main>
    );
  const { teamSession: ts, athletes, teamAverage: avg, teamName } = review.data;
  const lengthS = ts.endedAt ? (Date.parse(ts.endedAt) - Date.parse(ts.startedAt)) / 1000 : null;
  const shared = athletes.filter((a) => a.figures !== null).length;

  return (
    <main className="page wide" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/coach">Teams</Link> / <Link to={`/teams/${ts.teamId}/team-sessions`}>{teamName}</Link>{' '}
            / team session
          </p>
          <h1 data-testid="team-review-title">{ts.title}</h1>
          <p className="subtitle">
            {formatDateTime(ts.startedAt)}
            {ts.endedAt ? ` – ${formatTime(ts.endedAt)}` : ' · still running'}
            {ts.startedBy ? ` · started by ${ts.startedBy.name}` : ''}
          </p>
        </div>
        <div className="row">
          <Link className="btn" to={`/teams/${ts.teamId}/live`}>
            Live view
          </Link>
          <Link className="btn" to={`/teams/${ts.teamId}/team-sessions`}>
            All team sessions
          </Link>
        </div>
      </div>

      <Card>
        <div className="stat-grid">
          <Stat label="Length" value={lengthS !== null ? formatDuration(lengthS) : 'running'} />
          <Stat label="Athletes" value={athletes.length} hint={`${shared} share sessions data`} />
          <Stat id="avg-trimp" label="Team avg TRIMP" value={formatNumber(avg.trimp, 0)} />
          <Stat id="avg-hr" label="Team avg HR" value={formatBpm(avg.avgHr)} />
        </div>
      </Card>

      {athletes.length === 0 ? (
        <Card>
          <Empty title="No athlete streamed during this team session">
            Live sessions of the team's athletes who share live data join a team session while it runs.
          </Empty>
        </Card>
      ) : (
        <>
          <Card id="team-review" title="Players vs team average">
            <p className="small muted" style={{ marginTop: 0 }}>
              The small figure under each value is the player's difference from the team average (last row).
            </p>
            <div className="table-wrap">
              <table className="table stackable team-review-table">
                <thead>
                  <tr>
                    <th>Athlete</th>
                    {COLUMNS.map((c) => (
                      <th key={c.key}>{c.label}</th>
                    ))}
                    <th>Time in zones</th>
                  </tr>
                </thead>
                <tbody>
                  {athletes.map((a) => (
                    <PlayerRow
                      key={a.athleteId}
                      a={a}
                      avg={avg}
                      selected={selected === a.athleteId}
                      onSelect={() => setSelected((s) => (s === a.athleteId ? null : a.athleteId))}
                    />
                  ))}
                </tbody>
                <tfoot>
                  <tr data-testid="team-review-average">
                    <td className="lead">Team average</td>
                    {COLUMNS.map((c) => (
                      <td key={c.key} data-label={c.label}>
                        {c.key === 'alertCount' ? formatNumber(avg.alertCount, 1) : c.show(avg[c.key])}
                      </td>
                    ))}
                    <td data-label="Time in zones" className="wide">
                      <ZoneStrip seconds={avg.timeInZonesS} />
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </Card>

          <Card
            id="team-review-hr"
            title="Heart rate"
            actions={
              <fieldset className="row plain-fieldset" aria-label="Chart layout">
                <button
                  type="button"
                  className={`btn sm ${layout === 'overlay' ? 'primary' : ''}`}
                  aria-pressed={layout === 'overlay'}
                  onClick={() => setLayout('overlay')}
                >
                  Overlaid
                </button>
                <button
                  type="button"
                  className={`btn sm ${layout === 'multiples' ? 'primary' : ''}`}
                  aria-pressed={layout === 'multiples'}
                  onClick={() => setLayout('multiples')}
                >
                  Side by side
                </button>
              </fieldset>
            }
          >
            {lines.length === 0 ? (
              <p className="muted">No heart-rate data to show.</p>
            ) : layout === 'overlay' ? (
              <>
                <TeamHrChart lines={lines} highlight={selected} />
                <ul className="team-hr-legend" aria-label="Athletes in the chart">
                  {lines.map((l) => (
                    <li key={l.athleteId}>
                      <button
                        type="button"
                        className="btn ghost sm"
                        aria-pressed={selected === l.athleteId}
                        onClick={() => setSelected((s) => (s === l.athleteId ? null : l.athleteId))}
                      >
                        <span className="swatch" style={{ background: l.color }} />
                        {l.name}
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <div className="small-multiples">
                {lines.map((l) => (
                  <div key={l.athleteId}>
                    <h3>{l.name}</h3>
                    <SeriesChart
                      points={l.points.filter((p) => p.x >= 0)}
                      color={l.color}
                      label={`${l.name} heart rate`}
                      unit="bpm"
                      height={180}
                    />
                  </div>
                ))}
              </div>
            )}
            <p className="small muted" style={{ marginTop: 8 }}>
              Time is counted from the start of the team session (negative: the athlete was already
              streaming). Implausible jumps are left out of the lines, as they are out of max HR.
            </p>
          </Card>

          <Card id="team-review-alerts" title="Alerts">
            <AlertList athletes={athletes.filter((a) => a.visible)} />
          </Card>
        </>
      )}

      <details className="how" data-testid="team-review-how">
        <summary>How these numbers are worked out</summary>
        <div className="how-body">
          <p>
            Each athlete's row adds up the live sessions they streamed while the team session ran (duration,
            distance, TRIMP, time in zones; average HR weighted by duration), from the same summary their
            session page shows. Zones are each athlete's own.
          </p>
          <p>
            Max HR leaves out the samples the live alert engine flags as implausible jumps: a change of more
            than {DEFAULT_THRESHOLDS.jumpBpm} bpm from the previous sample within{' '}
            {DEFAULT_THRESHOLDS.jumpWindowSeconds} s (or the athlete's own jump threshold). The row says how
            many were left out.
          </p>
          <p>{TRIMP_FORMULA}.</p>
          <p>{SRPE_FORMULA}; empty until the athlete rates the session.</p>
          <p>
            Team average = the mean over the athletes who share sessions data with the team and have the
            figure; the small figure under a value = the athlete's figure − the team average. Athletes who do
            not share sessions data show their name only and count in no average.
          </p>
        </div>
      </details>
    </main>
  );
}
