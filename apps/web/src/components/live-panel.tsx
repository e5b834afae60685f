import { useMemo } from 'react';
import { LiveHrChart } from '../charts/live-hr-chart.tsx';
import { formatDistance, formatDuration, formatPercent, formatSpeed } from '../lib/format.ts';
import { readZone, type ZoneSetup, zoneColorVar } from '../lib/zones.ts';
import { useAthleteLive, useNow, useSessionBackfill, useSessionStart } from '../live/hooks.ts';
import { type LiveStore, signalState } from '../live/store.ts';
import { TrackMap } from './track-map.tsx';
import { Card, Stat } from './ui.tsx';

const SIGNAL_TEXT = { live: 'Live', weak: 'Weak signal', lost: 'Signal lost', idle: 'No session' } as const;

export function SignalBadge({ state }: { state: keyof typeof SIGNAL_TEXT }) {
  return (
    <span className={`signal ${state}`} data-signal={state}>
      <span className="dot" aria-hidden="true" />
      {SIGNAL_TEXT[state]}
    </span>
  );
}

/** The big heart-rate readout: number, zone by colour and name, % of HR max; announced politely. */
export function HrHero({ hr, zones, name }: { hr: number | null; zones: ZoneSetup | null; name?: string }) {
  const z = readZone(hr, zones);
  return (
    <div className="hr-big" style={{ '--zone-color': zoneColorVar(z.zone) } as React.CSSProperties}>
      <span className="eyebrow">Heart rate{name ? ` · ${name}` : ''}</span>
      <div className="bpm" data-testid="live-hr" aria-live="polite" aria-atomic="true">
        {hr != null ? Math.round(hr) : '—'}
        <small>bpm</small>
      </div>
      <div className="row">
        {z.label ? (
          <span className="zone-pill" data-testid="live-zone">
            {z.label}
          </span>
        ) : (
          <span className="muted small">
            {zones ? 'Waiting for data' : 'Set HR max in Settings to see zones'}
          </span>
        )}
        <span className="num muted" title="Share of HR max">
          {z.pctMax != null ? `${formatPercent(z.pctMax)} of max` : ''}
        </span>
      </div>
      <div className="zone-scale" aria-hidden="true">
        {[1, 2, 3, 4, 5].map((n) => (
          <span key={n} className={n === z.zone ? 'on' : ''} style={{ background: zoneColorVar(n) }} />
        ))}
      </div>
    </div>
  );
}

/** Live view of one athlete: big HR, stats, streaming chart and the map trace. */
export function LivePanel({
  store,
  athleteId,
  zones,
  name,
}: {
  store: LiveStore;
  athleteId: string;
  zones: ZoneSetup | null;
  name?: string;
}) {
  const a = useAthleteLive(store, athleteId);
  useSessionStart(store, athleteId, a?.sessionId, a?.sessionStartKnown ?? false);
  useSessionBackfill(store, athleteId, a?.sessionId);
  const now = useNow(1000);
  const signal = signalState(a, now);
  const elapsed =
    a?.sessionStartedAt != null && a.lastTs != null
      ? (a.sessionEndedAt ?? Math.max(a.lastTs, now)) - a.sessionStartedAt
      : null;
  const track = useMemo(() => (a ? a.track.toArray() : []), [a, a?.version]);
  return (
    <div className="stack lg">
      <div className="live-hero">
        <HrHero hr={signal === 'idle' && !a?.hr ? null : (a?.hr ?? null)} zones={zones} name={name} />
        <Card title="Session" actions={<SignalBadge state={signal} />} id="live-session">
          <div className="stat-grid">
            <Stat
              id="live-elapsed"
              label="Elapsed"
              value={formatDuration(elapsed != null ? elapsed / 1000 : null)}
            />
            <Stat id="live-distance" label="Distance" value={formatDistance(a?.distance)} />
            <Stat id="live-speed" label="Speed" value={formatSpeed(a?.speed)} />
            <Stat
              label="HR max basis"
              value={zones ? `${zones.hrMax} bpm` : '—'}
              hint={zones?.hrMaxSource === 'estimated' ? 'estimated from age' : undefined}
            />
          </div>
          <div style={{ marginTop: 16 }}>
            <LiveHrChart
              store={store}
              athleteId={athleteId}
              zones={zones}
              label={`Heart rate and speed of the last 5 minutes${name ? ` for ${name}` : ''}`}
            />
          </div>
        </Card>
      </div>
      <Card title="Route" id="live-map">
        <TrackMap points={track} version={a?.version} follow label="Live GPS trace of the current session" />
      </Card>
    </div>
  );
}
