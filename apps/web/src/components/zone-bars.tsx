import { ZONE_NAMES } from '@athlete/core';
import { formatDuration } from '../lib/format.ts';
import { zoneColorVar, zoneShares } from '../lib/zones.ts';

/**
 * Time below zone 1, in zones 1..5 and without HR as labelled bars (name, bar, time and share of
 * the whole session), readable without colour.
 */
export function ZoneBars({
  seconds,
  belowS,
  durationS,
}: {
  seconds: readonly number[];
  /** Seconds below zone 1; null when the source did not report them. */
  belowS: number | null;
  durationS: number | null;
}) {
  return (
    <ul className="zone-bars" aria-label="Time in heart-rate zones">
      {zoneShares(seconds, belowS, durationS).map((row) => {
        const pct = Math.round(row.share * 100);
        const color = row.zone === null ? 'var(--border-strong)' : zoneColorVar(row.zone);
        const spoken = row.zone ? `Zone ${row.zone} ${ZONE_NAMES[row.zone - 1]}` : row.label;
        return (
          <li
            className="zone-bar"
            key={row.key}
            data-zone={row.zone ?? 'none'}
            aria-label={`${spoken}: ${formatDuration(row.seconds)}, ${pct} percent of the session`}
          >
            <span className="name">
              <span className="dot" style={{ color }} />
              {row.label}
            </span>
            <span className="track">
              <span
                className="fill"
                style={{ display: 'block', width: `${row.share * 100}%`, background: color }}
              />
            </span>
            <span className="num small right" style={{ textAlign: 'right' }}>
              {formatDuration(row.seconds)} <span className="faint">{pct}%</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
