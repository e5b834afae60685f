import { memo } from 'react';
import { formatDistance, formatDuration, formatPercent, formatSpeed } from '../lib/format.ts';
import { readZone, type ZoneSetup, zoneColorVar } from '../lib/zones.ts';
import { useAthleteLive, useSessionStart } from '../live/hooks.ts';
import { type LiveStore, signalState } from '../live/store.ts';
import { useSharedNow } from '../live/ticker.ts';
import { SignalBadge } from './live-panel.tsx';

/** One athlete on the coach's wall: re-renders only when that athlete's data (or the clock) moves. */
export const AthleteTile = memo(function AthleteTile({
  store,
  athleteId,
  name,
  zones,
  onOpen,
}: {
  store: LiveStore;
  athleteId: string;
  name: string;
  zones: ZoneSetup | null;
  onOpen(athleteId: string): void;
}) {
  const a = useAthleteLive(store, athleteId);
  useSessionStart(store, athleteId, a?.sessionId, a?.sessionStartKnown ?? false);
  const now = useSharedNow(2000);
  const signal = signalState(a, now);
  const hr = signal === 'idle' ? null : (a?.hr ?? null);
  const z = readZone(hr, zones);
  const elapsed =
    a?.sessionStartedAt != null && a.lastTs != null ? (a.lastTs - a.sessionStartedAt) / 1000 : null;
  const alerts = a?.openAlerts ?? 0;
  const summary = `${name}: ${hr != null ? `${Math.round(hr)} bpm` : 'no heart rate'}${z.label ? `, ${z.label}` : ''}${
    z.pctMax != null ? `, ${Math.round(z.pctMax * 100)} percent of max` : ''
  }, ${signal}${alerts ? `, ${alerts} open alert${alerts > 1 ? 's' : ''}` : ''}`;
  return (
    <button
      type="button"
      className={`tile${alerts ? ' alerting' : ''}${signal === 'idle' ? ' idle' : ''}`}
      style={{ '--zone-color': zoneColorVar(z.zone) } as React.CSSProperties}
      onClick={() => onOpen(athleteId)}
      aria-label={summary}
      data-testid="athlete-tile"
      data-athlete-id={athleteId}
      data-hr={hr ?? ''}
    >
      <div className="tile-head">
        <span className="tile-name">{name}</span>
        {alerts ? (
          <span className="badge danger" data-testid="alert-badge">
            ⚠ {alerts}
          </span>
        ) : null}
        <SignalBadge state={signal} />
      </div>
      <div>
        <div className="tile-hr">
          <span className="bpm" data-testid="tile-hr">
            {hr != null ? Math.round(hr) : '—'}
          </span>
          <span className="pct">{z.pctMax != null ? formatPercent(z.pctMax) : ''}</span>
        </div>
        <div className="tile-zone">{z.label || (hr != null ? 'Zones unknown' : ' ')}</div>
      </div>
      <div className="tile-foot">
        <span>
          Speed<b>{formatSpeed(signal === 'idle' ? null : a?.speed)}</b>
        </span>
        <span>
          Distance<b>{formatDistance(a?.distance)}</b>
        </span>
        <span>
          Time<b>{formatDuration(elapsed)}</b>
        </span>
      </div>
    </button>
  );
});
